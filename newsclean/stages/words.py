"""Counting words in any script: a script written without spaces between words (Japanese,
Chinese, Thai, Lao, Khmer, Myanmar) holds one word in about two of its characters, not
one in a run of forty, so rules bounded by a paragraph's words (prose, block choice, the
guard) see a Japanese paragraph as long as its English translation would be.
"""

from __future__ import annotations

import re

# Hiragana, katakana, CJK ideographs (and extension A, compatibility), Thai, Lao, Myanmar, Khmer.
NO_SPACE_CHARS = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
)
CHARS_PER_WORD = 2  # the mean length of a Japanese or Chinese word, near enough
_WORD = re.compile(r"\w+")


def count_words(text: str) -> int:
    """Words of a paragraph: runs of word characters, and in scripts without spaces one
    word per `CHARS_PER_WORD` of their characters.

    >>> count_words("The council voted on Tuesday."), count_words("市議会は火曜日に予算案を可決した。")
    (5, 8)
    >>> count_words("iPhoneの価格")
    3
    """
    no_space = len(NO_SPACE_CHARS.findall(text))
    if not no_space:
        return len(_WORD.findall(text))
    spaced = len(_WORD.findall(NO_SPACE_CHARS.sub(" ", text)))
    return spaced + -(-no_space // CHARS_PER_WORD)


def word_tokens(text: str) -> list[str]:
    """Lower-cased letter runs, with each character of a script without spaces its own
    token (so the function words of Japanese or Chinese, mostly one character, are found).

    >>> word_tokens("Apple社の商標")
    ['apple', '社', 'の', '商', '標']
    """
    spaced = NO_SPACE_CHARS.sub(lambda m: f" {m.group()} ", text)
    return [w.lower() for w in re.findall(r"[^\W\d_]+", spaced)]
