"""Classify, link rules (`newsclean.stages.classify.links`): links to other stories
inside an article's text: related-headline bullet lists, section headers with what they
introduce (related stories, comment threads), teaser listings with cut excerpts, and
headline lines after the story; and the article's own lists and last lines, which stay.
"""

from __future__ import annotations

import pytest

from tests.stages.classify_helpers import case_params, check_case, with_body
from tests.stages.council_story import TITLE

CASES = [
    # -- comment threads
    dict(paragraphs=with_body(TITLE, tail=("12 Comments", "Finally some good news for the east side branch. Thank you Denise!")),
         check="12 Comments",
         label="boilerplate", reason="comment_thread", why="comment counter opening the comment thread"),
    dict(paragraphs=with_body(TITLE, tail=("12 Comments", "Finally some good news for the east side branch. Thank you Denise!")),
         check="Finally some good news for the east side branch. Thank you Denise!",
         label="boilerplate", reason="comment_thread", why="a reader comment after the comment header"),
    # -- related-stories headers, headline runs, teaser listings
    dict(paragraphs=with_body(TITLE, tail=("More from Riverside", "Mayor names new parks director after long search",
                                           "School board delays vote on later start times")),
         check="School board delays vote on later start times",
         label="boilerplate", reason="related_stories", why="a teaser under a related-stories header"),
    dict(paragraphs=with_body(TITLE, tail=("Most read in local news",)), check="Most read in local news",
         label="boilerplate", reason="related_stories", why="a related-stories header on its own"),
    dict(paragraphs=with_body(TITLE, tail=("Mayor Names New Parks Director After a Long National Search",
                                           "School Board Delays Its Vote on Later Start Times for Teens",
                                           "Riverside Library Card Sign-Ups Hit a Record High This Summer")),
         check="School Board Delays Its Vote on Later Start Times for Teens",
         label="boilerplate", reason="trailing_headline", why="a run of Title Case headlines after the story"),
    dict(paragraphs=with_body(TITLE, tail=("Mayor names new parks director",
                                           "The mayor on Friday named a longtime county official to lead the parks...",
                                           "School board delays start-time vote",
                                           "Board members said they needed more time to study the bus schedule and...")),
         check="The mayor on Friday named a longtime county official to lead the parks...",
         label="boilerplate", reason="teaser_excerpt", why="headlines with cut-off excerpts: a listing"),
    # -- related headline lists
    dict(paragraphs=["- Mayor names new police chief", "- Library hours to be restored",
                     "- Bridge closure extended to July", *with_body(TITLE)],
         check="- Library hours to be restored",
         label="boilerplate", reason="related_headline_list", why="headline bullets above the story"),
    dict(paragraphs=["• Mayor names new police chief after national search", "• Bridge closure extended to July",
                     *with_body(TITLE)],
         check="• Mayor names new police chief after national search",
         label="boilerplate", reason="related_headline_list", why="round bullets work too"),
    dict(paragraphs=["Related", "Mayor names new police chief after national search",
                     "Bridge closure extended to July", *with_body(TITLE)],
         check="Bridge closure extended to July",
         label="boilerplate", reason="related_stories", why="teasers under a 'Related' header"),
    dict(paragraphs=with_body(TITLE, middle=("The amendment would have funded:", "- longer opening hours at six branches",
                                             "- two new bookmobiles for the east side", "- a summer reading programme")),
         check="- two new bookmobiles for the east side",
         label="body", reason="kept", why="a bullet list in the middle of the story is part of it"),
    # -- trailing headline links
    dict(paragraphs=with_body(TITLE, tail=("Mayor names new police chief after national search",)),
         check="Mayor names new police chief after national search",
         label="boilerplate", reason="trailing_headline", why="link to another story after the body"),
    dict(paragraphs=with_body(TITLE, tail=("Mayor Names New Police Chief After National Search",
                                           "Bridge Closure Extended Until July")),
         check="Mayor Names New Police Chief After National Search",
         label="boilerplate", reason="trailing_headline", why="a run of trailing links in Title Case"),
    dict(paragraphs=with_body(TITLE, tail=("How to comment on the budget plan", "Email the city clerk before Friday")),
         check="How to comment on the budget plan",
         label="body", reason="kept", why="a sentence-case run at the end is the article's own list"),
    # -- negatives: the story's own last lines stay body
    dict(paragraphs=with_body(TITLE, tail=("The budget takes effect on July 1.",)),
         check="The budget takes effect on July 1.",
         label="body", reason="kept", why="a short last paragraph ending with a period"),
    dict(paragraphs=with_body(TITLE, tail=("“We will be back next year,” Ruiz said.",)),
         check="“We will be back next year,” Ruiz said.",
         label="body", reason="kept", why="a short closing quote"),
    dict(paragraphs=with_body(TITLE, tail=("“We will be back next year to fight for every branch”",)),
         check="“We will be back next year to fight for every branch”",
         label="body", reason="kept", why="a last quote ending with a closing quote mark"),
]

# The article's own lists and prose that look like link lists: they must stay body.
FALSE_POSITIVES = [
    dict(paragraphs=with_body(TITLE, tail=("Central Library Branch, Main Street, Riverside",
                                           "East Side Library Branch, Ortega Avenue, Riverside",
                                           "Hillcrest Library Branch, Carter Road, Riverside")),
         check="East Side Library Branch, Ortega Avenue, Riverside",
         label="body", reason="kept", why="a closing list of names and places is the article's own list"),
    dict(paragraphs=with_body(TITLE, middle=("The treasurer paused and said the reserve was, in her words, thin…",)),
         check="The treasurer paused and said the reserve was, in her words, thin…",
         label="body", reason="kept", why="one paragraph ending in an ellipsis is prose, not a listing"),
]


@pytest.mark.parametrize("case", case_params(CASES + FALSE_POSITIVES))
def test_paragraph_verdicts(case, settings):
    check_case(case, settings)
