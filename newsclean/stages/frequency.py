"""Word frequencies from wordfreq's word lists, held compactly.

`zipf_frequency` gives what `wordfreq.zipf_frequency(word, language)` gives and
`top_words` what `wordfreq.top_n_list(language, n)` gives, without wordfreq's two
per-language caches of every word as Python objects (its frequency dict and the raw
list it is built from: 25-115 MB a language; a worker cleaning articles in six
languages held ~350 MB of them, more than half its memory).

A language's list (wordfreq's "cBpack": buckets of words, bucket i holding the words of
frequency 10 ** (-i / 100)) is read bucket by bucket, never whole, into numpy arrays
(`FrequencyTable`): each word's hash, sorted, with the word's UTF-8 bytes to confirm a
match (a hash alone could collide) and its bucket; about 25 bytes a word. Looking a word
up is wordfreq's own code path (`lossy_tokenize`, `smash_numbers`, `digit_freq`, the same
float operations and rounding) with the table in place of its dict, so the values are
equal, not close: `tests/stages/test_frequency.py` compares them with wordfreq's.

Tables are loaded on first use, once per process (under a lock: the thread runner's
threads share them), and kept: a crawl's languages are few.
"""

from __future__ import annotations

import gzip
import math
import threading
from array import array
from collections.abc import Iterable, Iterator
from functools import lru_cache

import langcodes
import msgpack
import numpy as np
from wordfreq import INFERRED_SPACE_FACTOR, available_languages, cB_to_freq, freq_to_zipf, zipf_to_freq
from wordfreq.language_info import get_language_info
from wordfreq.numbers import digit_freq, has_digit_sequence, smash_numbers
from wordfreq.tokens import lossy_tokenize

from newsclean.stages.memory import return_freed_memory

WORDLIST = "best"  # wordfreq's default: its large list where there is one, else its small one


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """The languages wordfreq has a word list for (its call lists its data folder each time)."""
    return frozenset(available_languages(WORDLIST))


@lru_cache(maxsize=64)
def list_path(language: str) -> str:
    """The word list file wordfreq reads for a language: the nearest one it has, as
    `wordfreq.get_frequency_list` chooses it. LookupError when there is none."""
    available = available_languages(WORDLIST)
    best, _distance = langcodes.closest_match(language, list(available), max_distance=60)
    if best == "und":
        raise LookupError(f"No wordlist {WORDLIST!r} available for language {language!r}")
    return available[best]


def read_buckets(path: str) -> Iterator[list[str]]:
    """The buckets of a cBpack file in order (bucket i: the words of -i centibels), decoded
    one at a time (wordfreq's `read_cBpack` decodes the whole file into one list)."""
    with gzip.open(path, "rb") as infile:
        unpacker = msgpack.Unpacker(infile, raw=False)
        items = unpacker.read_array_header()
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
            raise ValueError(f"Unexpected header: {header!r}")
        for _ in range(items - 1):
            yield unpacker.unpack()


class FrequencyTable:
    """One language's words and their buckets (-centibels) as sorted numpy arrays.

    >>> table = FrequencyTable([["the"], [], ["of", "and"]])
    >>> table.bucket("and"), table.bucket("the"), table.bucket("aleppo"), len(table)
    (2, 0, -1, 3)
    """

    def __init__(self, buckets: Iterable[list[str]]) -> None:
        hashes, lengths, indices = array("q"), array("q"), array("H")
        chunks: list[bytes] = []
        for index, words in enumerate(buckets):
            if not words:
                continue
            encoded = [word.encode("utf-8") for word in words]
            hashes.extend(map(hash, words))
            lengths.extend(map(len, encoded))
            indices.extend([index] * len(words))
            chunks.append(b"".join(encoded))
        self.blob = b"".join(chunks)
        # Sorted by hash; stable, so words of equal hash keep the list's order, and a word
        # listed twice resolves to its last bucket, as wordfreq's dict (built in order) does.
        order = np.argsort(np.frombuffer(hashes, dtype=np.int64), kind="stable")
        ends = np.cumsum(np.frombuffer(lengths, dtype=np.int64))
        offset = np.uint32 if len(self.blob) < 2**32 else np.int64
        self.hashes = np.frombuffer(hashes, dtype=np.int64)[order]
        self.starts = (ends - np.frombuffer(lengths, dtype=np.int64))[order].astype(offset)
        self.ends = ends[order].astype(offset)
        self.buckets = np.frombuffer(indices, dtype=np.uint16)[order]

    def __len__(self) -> int:
        return len(self.hashes)

    def bucket(self, word: str) -> int:
        """The word's bucket (its frequency is 10 ** (-bucket / 100)), -1 when not listed."""
        key = hash(word)
        hashes = self.hashes
        i = int(hashes.searchsorted(key))
        found = -1
        if i < len(hashes) and hashes[i] == key:
            data = word.encode("utf-8")
            while i < len(hashes) and hashes[i] == key:
                if self.blob[self.starts[i]:self.ends[i]] == data:
                    found = int(self.buckets[i])
                i += 1
        return found


_TABLES: dict[str, FrequencyTable] = {}
_TABLES_LOCK = threading.Lock()


def frequency_table(language: str) -> FrequencyTable:
    """The table of a language's word list, read on first use and kept."""
    table = _TABLES.get(language)
    if table is None:
        with _TABLES_LOCK:
            table = _TABLES.get(language)
            if table is None:
                table = FrequencyTable(read_buckets(list_path(language)))
                _TABLES[language] = table
                # The build's transients (its words decoded as Python strings, bucket by
                # bucket, and the arrays sorted into the table: about twice the table) stay
                # in the process otherwise: a Russian table of 18 MB raised the RSS by 54 MB,
                # by 24 MB with this.
                return_freed_memory()
    return table


def word_frequency(word: str, language: str, minimum: float = 0.0) -> float:
    """`wordfreq.word_frequency(word, language, minimum=minimum)`, from the compact table:
    the same tokens, the same float operations in the same order, the same rounding."""
    tokens = lossy_tokenize(word, language)
    if not tokens:
        return minimum
    table = frequency_table(language)
    one_over_result = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        bucket = table.bucket(smashed)
        if bucket < 0:
            return minimum  # a token not listed: the default value
        freq = cB_to_freq(-bucket)
        if smashed != token:
            freq *= digit_freq(token)
        one_over_result += 1.0 / freq
    freq = 1.0 / one_over_result
    if get_language_info(language)["tokenizer"] == "jieba":
        freq *= INFERRED_SPACE_FACTOR ** -(len(tokens) - 1)
    unrounded = max(freq, minimum)
    if unrounded == 0.0:
        return 0.0
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    return round(unrounded, leading_zeroes + 3)


def zipf_frequency(word: str, language: str, minimum: float = 0.0) -> float:
    """`wordfreq.zipf_frequency(word, language)`: the word's frequency on the Zipf scale.

    >>> zipf_frequency("the", "en"), zipf_frequency("aleppo", "en") < 4, zipf_frequency("xqzvk", "en")
    (7.73, True, 0.0)
    """
    freq = word_frequency(word, language, zipf_to_freq(minimum))
    return round(freq_to_zipf(freq), 2)


def top_words(language: str, n: int) -> list[str]:
    """`wordfreq.top_n_list(language, n)`: the n most frequent words without a digit
    sequence, most frequent first, read from the head of the list only.

    >>> top_words("en", 3)
    ['the', 'to', 'and']
    """
    found: list[str] = []
    for words in read_buckets(list_path(language)):
        for word in words:
            if not has_digit_sequence(word):
                found.append(word)
                if len(found) >= n:
                    return found
    return found
