"""Classify, boilerplate rules (`newsclean.stages.classify.boilerplate`): widget and
prompt phrases, notices, URL lines, separators, captions, code blobs, all-caps teasers,
each on one paragraph; and the sentences that mention such words and stay body.

Cases are small articles: a title, real-looking body paragraphs and the one paragraph a
case is about. Each case says which paragraph to look at, what it must be labelled, by
which rule, and why.
"""

from __future__ import annotations

import pytest

from newsclean.stages.classify import is_code_blob
from tests.stages.classify_helpers import case_params, check_case, with_body
from tests.stages.council_story import TITLE

# --- one paragraph, one verdict -----------------------------------------------------------

CASES = [
    # -- widgets, prompts and notices
    dict(paragraphs=with_body(TITLE, "Share"), check="Share",
         label="boilerplate", reason="share_widget", why="share button text"),
    dict(paragraphs=with_body(TITLE, "Share this article", "Tweet"), check="Tweet",
         label="boilerplate", reason="share_widget", why="a row of share buttons"),
    dict(paragraphs=with_body(TITLE, "Follow us on:"), check="Follow us on:",
         label="boilerplate", reason="share_widget", why="follow prompt, trailing colon"),
    dict(paragraphs=with_body(TITLE, middle=("Advertisement",)), check="Advertisement",
         label="boilerplate", reason="ad_marker", why="ad slot label inside the body"),
    dict(paragraphs=with_body(TITLE, middle=("ADVERTISEMENT",)), check="ADVERTISEMENT",
         label="boilerplate", reason="ad_marker", why="phrases are matched case-insensitively"),
    dict(paragraphs=with_body(TITLE, middle=("Story continues below advertisement",)),
         check="Story continues below advertisement",
         label="boilerplate", reason="ad_marker", why="ad slot sentence"),
    dict(paragraphs=with_body(TITLE, middle=("Sign up for our daily newsletter",)),
         check="Sign up for our daily newsletter",
         label="boilerplate", reason="newsletter_prompt", why="newsletter prompt"),
    dict(paragraphs=with_body(TITLE, middle=("Get the Riverside Herald morning briefing delivered to your inbox.",)),
         check="Get the Riverside Herald morning briefing delivered to your inbox.",
         label="boilerplate", reason="newsletter_prompt", why="briefing prompt"),
    dict(paragraphs=with_body(TITLE, "By Jane Doe", "12 Comments"), check="12 Comments",
         label="boilerplate", reason="comment_prompt", why="comment counter under the byline"),
    dict(paragraphs=with_body(TITLE, tail=("Leave a comment",)), check="Leave a comment",
         label="boilerplate", reason="comment_prompt", why="comment prompt"),
    dict(paragraphs=with_body(TITLE, tail=("We use cookies to give you the best experience on our website.",)),
         check="We use cookies to give you the best experience on our website.",
         label="boilerplate", reason="cookie_notice", why="cookie banner"),
    dict(paragraphs=with_body(TITLE, tail=("By continuing to use this site you agree to our cookie policy.",)),
         check="By continuing to use this site you agree to our cookie policy.",
         label="boilerplate", reason="cookie_notice", why="cookie consent, though it starts with 'By'"),
    dict(paragraphs=with_body(TITLE, tail=("© 2023 Riverside Herald Media Group",)),
         check="© 2023 Riverside Herald Media Group",
         label="boilerplate", reason="copyright_notice", why="copyright line"),
    dict(paragraphs=with_body(TITLE, tail=("Copyright 2023 The Associated Press. All rights reserved.",)),
         check="Copyright 2023 The Associated Press. All rights reserved.",
         label="boilerplate", reason="copyright_notice", why="wire copyright line"),
    dict(paragraphs=with_body(TITLE, "4 min read"), check="4 min read",
         label="boilerplate", reason="reading_widget", why="reading-time widget"),
    # -- URL lines, separators, teasers in capitals, prompts
    dict(paragraphs=with_body("https://riversideherald.example/news/council-budget", TITLE),
         check="https://riversideherald.example/news/council-budget",
         label="boilerplate", reason="url_line", why="the page's own address pasted above the story"),
    dict(paragraphs=with_body(TITLE, middle=("https://cdn.riversideherald.example/img/council-vote.jpg",)),
         check="https://cdn.riversideherald.example/img/council-vote.jpg",
         label="boilerplate", reason="url_line", why="a bare image link inside the story"),
    dict(paragraphs=with_body(TITLE, middle=("-",)), check="-",
         label="boilerplate", reason="no_words", why="a separator with no word"),
    dict(paragraphs=with_body(TITLE, middle=("'COUNCIL MEMBER SAYS LIBRARY CUTS WOULD HURT THE EAST SIDE FAMILIES'",)),
         check="'COUNCIL MEMBER SAYS LIBRARY CUTS WOULD HURT THE EAST SIDE FAMILIES'",
         label="boilerplate", reason="allcaps_teaser", why="a teaser link set in capitals"),
    dict(paragraphs=with_body(TITLE, tail=("Follow our full coverage of the budget at riversideherald.example/budget",)),
         check="Follow our full coverage of the budget at riversideherald.example/budget",
         label="boilerplate", reason="social_prompt", why="a coverage prompt"),
    # -- captions
    dict(paragraphs=with_body(TITLE, "File photo of council president Denise Carter at City Hall [Xinhua]"),
         check="File photo of council president Denise Carter at City Hall [Xinhua]",
         label="boilerplate", reason="caption", why="file photo caption with agency tag"),
    dict(paragraphs=with_body(TITLE, "Photo: John Smith/AP"), check="Photo: John Smith/AP",
         label="boilerplate", reason="caption", why="photo credit line"),
    dict(paragraphs=with_body(TITLE, middle=("Council members listen to residents during Tuesday’s meeting. (Photo by Ana Ruiz)",)),
         check="Council members listen to residents during Tuesday’s meeting. (Photo by Ana Ruiz)",
         label="boilerplate", reason="caption", why="caption with a trailing photo credit"),
    # -- code blobs
    dict(paragraphs=with_body(TITLE, '{"id": "1854790", "sort": "3612352", "type": "gallery", "items": [1, 2, 3]}'),
         check='{"id": "1854790", "sort": "3612352", "type": "gallery", "items": [1, 2, 3]}',
         label="boilerplate", reason="code_blob", why="JSON left in the text"),
    dict(paragraphs=with_body(TITLE, 'string(1126) "[{\\"id\\":\\"1854790\\",\\"sort\\":\\"3612352\\"}]"'),
         check='string(1126) "[{\\"id\\":\\"1854790\\",\\"sort\\":\\"3612352\\"}]"',
         label="boilerplate", reason="code_blob", why="PHP var_dump output"),
    dict(paragraphs=with_body(TITLE, middle=('var utag_data = {"page_type": "article", "section": "news", "author": "lopez"};',)),
         check='var utag_data = {"page_type": "article", "section": "news", "author": "lopez"};',
         label="boilerplate", reason="code_blob", why="JavaScript tracking object"),
    dict(paragraphs=with_body(TITLE, tail=(".article-body { font-size: 18px; line-height: 1.6; color: #222; }",)),
         check=".article-body { font-size: 18px; line-height: 1.6; color: #222; }",
         label="boilerplate", reason="code_blob", why="CSS rule"),
    # -- negatives: these are the story and stay body
    dict(paragraphs=with_body(TITLE, middle=(
        "Residents who subscribe to the city’s emergency text alerts will now also get notices about road "
        "closures, water main breaks and changes to rubbish collection days, the council said in a statement "
        "on Wednesday.",)),
        check="Residents who subscribe to the city’s emergency text alerts will now also get notices about road "
        "closures, water main breaks and changes to rubbish collection days, the council said in a statement "
        "on Wednesday.",
        label="body", reason="kept", why="a long sentence that mentions subscribing"),
    dict(paragraphs=with_body(TITLE, middle=(
        "The city’s website, which uses cookies to track visitors, was redesigned last year at a cost of "
        "$2 million, according to budget documents.",)),
        check="The city’s website, which uses cookies to track visitors, was redesigned last year at a cost of "
        "$2 million, according to budget documents.",
        label="body", reason="kept", why="a sentence about cookies"),
    dict(paragraphs=with_body(TITLE, middle=(
        "Carter said the city would share the cost of the new bus shelters with the regional transit "
        "authority, which has agreed to pay for maintenance.",)),
        check="Carter said the city would share the cost of the new bus shelters with the regional transit "
        "authority, which has agreed to pay for maintenance.",
        label="body", reason="kept", why="'share' as a verb in a sentence"),
    dict(paragraphs=with_body(TITLE, middle=("Share prices of the city’s bond insurer rose 3% on Wednesday.",)),
         check="Share prices of the city’s bond insurer rose 3% on Wednesday.",
         label="body", reason="kept", why="starts with 'Share' but is a sentence"),
    dict(paragraphs=with_body(TITLE, middle=("Photo enforcement cameras will be installed at 12 intersections next year.",)),
         check="Photo enforcement cameras will be installed at 12 intersections next year.",
         label="body", reason="kept", why="starts with 'Photo' but is not a caption"),
    dict(paragraphs=with_body(TITLE, middle=("He said: \"we will [not] stop\" and left the chamber.",)),
         check="He said: \"we will [not] stop\" and left the chamber.",
         label="body", reason="kept", why="brackets and quotes in prose are not code"),
]

# Ordinary news sentences that mention a boilerplate word: they must stay body.
FALSE_POSITIVES = [
    dict(paragraphs=with_body(TITLE, middle=(
        "Residents who subscribe to the city’s emergency text alerts will now get notices about road "
        "closures as well, the council said in a statement on Wednesday.",)),
        check="Residents who subscribe to the city’s emergency text alerts will now get notices about road "
        "closures as well, the council said in a statement on Wednesday.",
        label="body", reason="kept", why="a 25-word sentence about subscribing to alerts (newsletter_prompt)"),
    dict(paragraphs=with_body(TITLE, middle=(
        "The Herald loses about 4,000 newspaper subscribers per month, a local media analyst told the council.",)),
        check="The Herald loses about 4,000 newspaper subscribers per month, a local media analyst told the council.",
        label="body", reason="kept", why="a sentence about subscribers (subscription_prompt)"),
    dict(paragraphs=with_body(TITLE, middle=(
        "The regulator fined the retailer €2 million over its cookie consent banner, which it said nudged "
        "shoppers to accept all cookies.",)),
        check="The regulator fined the retailer €2 million over its cookie consent banner, which it said nudged "
        "shoppers to accept all cookies.",
        label="body", reason="kept", why="a news sentence about cookie banners (cookie_notice)"),
    dict(paragraphs=with_body(TITLE, middle=("Copyright lawyers said the ruling would affect thousands of songwriters.",)),
         check="Copyright lawyers said the ruling would affect thousands of songwriters.",
         label="body", reason="kept", why="a sentence starting with 'Copyright' (copyright_notice)"),
]


@pytest.mark.parametrize("case", case_params(CASES + FALSE_POSITIVES))
def test_paragraph_verdicts(case, settings):
    check_case(case, settings)


# --- code blobs ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ('string(1126) "[{\\"id\\":\\"1854790\\",\\"sort\\":\\"3612352\\"}]"', True),
        ('[{"id":1,"title":"Budget"},{"id":2,"title":"Library"},{"id":3,"title":"Police"}]', True),
        ('if (window.innerWidth < 768) { loadAds("mobile"); } else { loadAds("desktop"); }', True),
        ("He said: \"we will [not] stop\" and left.", False),
        ("The vote was 9-4; the budget is $4.2bn (up 3%) and takes effect on July 1.", False),
        ('{"a": 1}', False),  # shorter than blob_min_chars
    ],
)
def test_is_code_blob(text, expected, settings):
    assert is_code_blob(text, settings.classify) is expected


def test_pattern_answers_follow_the_settings():
    """rule_pattern remembers its answers per paragraph: other patterns answer anew,
    equal ones (the same rules file read again) keep what was found."""
    import re

    from newsclean.settings import ClassifySettings, Rules
    from newsclean.stages.classify.article import Article
    from newsclean.stages.classify.boilerplate import rule_pattern

    def settings(name, pattern):
        return ClassifySettings(rules=Rules(patterns=((name, re.compile(pattern, re.IGNORECASE)),)))

    article = Article(("Share this article",), (3,), None)
    assert rule_pattern(article, 0, settings("share", "share")) == ("boilerplate", "share")
    assert rule_pattern(article, 0, settings("other", "article")) == ("boilerplate", "other")
    assert rule_pattern(article, 0, settings("share", "share")) == ("boilerplate", "share")
    assert rule_pattern(article, 0, ClassifySettings(rules=Rules())) is None
