"""Off-topic tails: unrelated stories or teasers appended after an article's body.

A general method, no topic words: each paragraph of the body's tail is compared with
the article before it by weighted word overlap (rare words weigh more, by wordfreq's
Zipf frequency) and by meaning (the cosine of sentence vectors, `newsclean.stages.embed`),
the lower of the two counting, and the score adds teaser shape (cut mid-sentence, a
capitalised kicker). The longest tail (of at most max_tail_paragraphs) that opens with an off-topic
paragraph and whose judged paragraphs are off-topic on average, none of them clearly
on-topic, is split off. Only tails are split: an unrelated paragraph inside the body is
left alone, because a story's middle seldom changes topic and stays whole.

`score` scores one paragraph against the head of its article; `tail` finds where the
tail starts (`offtopic_scores`, what classify calls).
"""

from newsclean.stages.offtopic.score import (
    SemanticHead,
    dominant_script,
    has_kicker,
    is_truncated,
    paragraph_score,
    word_weights,
)
from newsclean.stages.offtopic.tail import (
    REASON,
    Embedder,
    cut_teasers_before,
    is_offtopic_tail,
    offtopic_scores,
    script_switch_tail,
)

__all__ = [
    "REASON",
    "Embedder",
    "SemanticHead",
    "cut_teasers_before",
    "dominant_script",
    "has_kicker",
    "is_offtopic_tail",
    "is_truncated",
    "offtopic_scores",
    "paragraph_score",
    "script_switch_tail",
    "word_weights",
]
