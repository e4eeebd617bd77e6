"""langdetect's Detector, giving the same answers for a fraction of the CPU.

langdetect spends its time in per-character Python: `NGram.add_char` and a dictionary
test for every character of the text, then, for every n-gram its trials draw, a loop
over the 55 languages. `FastDetector` is langdetect's own `Detector` (same profiles,
same seed, same random draws) with those steps done in bulk, each computing exactly
what the original computes:

- `append`: the same URL, e-mail and Vietnamese substitutions (skipped when the text
  holds no ``://`` or ``@``, so they could not match); runs of spaces collapse in one
  regex instead of a character loop;
- `cleaning_text`: letters counted once per distinct character;
- n-grams: the n-gram window restarts after every space, so a text's n-grams are its
  words' n-grams in order; each word's are found once, by langdetect's own `NGram`, and
  cached. They are kept as rows of the language-probability table, not as strings;
- the trials: the same draws in the same order (`random.choice` over the text's
  n-grams, one `gauss` per trial) and the same float operations in the same order, on
  numpy arrays: an elementwise product is the product the list loop makes, and the sum
  that normalises is sequential (`np.add.accumulate`), as Python's `sum` is.

`tests/stages/test_detector.py` compares it with langdetect's Detector on texts in
many scripts, and the benchmark comparison on whole runs (identical languages and
scores).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram
from langdetect.utils.unicode_block import unicode_block

MAX_CACHED_WORDS = 200_000  # words whose n-gram rows are kept (a tuple of references each)
_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # the range cleaning_text drops: 'A' <= ch <= 'z'


class _NormalisedNGram(NGram):
    """langdetect's n-gram window fed characters that are normalised already."""

    @classmethod
    def normalize(cls, ch: str) -> str:
        return ch


class FastDetector(Detector):
    """langdetect's Detector with bulk n-gram extraction and numpy trials (same results)."""

    def __init__(self, factory, tables: "ProfileTables") -> None:
        super().__init__(factory)
        self.tables = tables

    def append(self, text: str) -> None:
        if "://" in text:
            text = self.URL_RE.sub(" ", text)
        if "@" in text:
            text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        # The original keeps a character unless it and the one before it are both spaces.
        self.text += _SPACE_RUN.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        latin_count, non_latin_count = 0, 0
        for ch, count in Counter(self.text).items():
            if "A" <= ch <= "z":
                latin_count += count
            elif ch >= "\u0300" and unicode_block(ch) != "Latin Extended Additional":
                non_latin_count += count
        if latin_count * 2 < non_latin_count:
            self.text = _LATIN.sub("", self.text)

    def _extract_ngrams(self) -> list[int]:
        """The table rows of the text's n-grams, in the order the original finds them."""
        return self.tables.text_rows(self.text)

    def _detect_block(self) -> None:
        self.cleaning_text()
        rows = self._extract_ngrams()
        if not rows:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        matrix = self.tables.matrix
        n_langs = len(self.langlist)
        langprob = np.zeros(n_langs, dtype=np.float64)
        rnd = self.random
        rnd.seed(self.seed)
        gauss, getrandbits = rnd.gauss, rnd.getrandbits
        n_rows = len(rows)
        bits = n_rows.bit_length()

        def choice(rows: list[int]) -> int:
            # random.Random.choice's own draw (_randbelow_with_getrandbits), inlined: the
            # same bits from the same generator, one call instead of three
            r = getrandbits(bits)
            while r >= n_rows:
                r = getrandbits(bits)
            return rows[r]

        accumulate, take = np.add.accumulate, matrix.take
        limit, threshold, n_trial = self.ITERATION_LIMIT, self.CONV_THRESHOLD, self.n_trial
        start = np.array(self._init_probability(), dtype=np.float64)
        for _ in range(n_trial):
            alpha = self.alpha + gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            # The original updates the probabilities once per draw (`choice` of an
            # n-gram) and normalises at draws 0, 5, 10, ...: the five draws between two
            # normalisations are made first (the same draws, in the same order), their
            # rows taken in one call, and multiplied in one after the other.
            prob = start * (weight + matrix[choice(rows)])  # draw 0
            prob /= accumulate(prob)[-1]  # _normalize_prob: a sequential sum
            i = 0
            while not (prob.max() > threshold or i >= limit):
                factors = take([choice(rows), choice(rows), choice(rows), choice(rows), choice(rows)], axis=0)
                factors += weight
                prob *= factors[0]
                prob *= factors[1]
                prob *= factors[2]
                prob *= factors[3]
                prob *= factors[4]
                prob /= accumulate(prob)[-1]
                i += 5
            langprob += prob / n_trial
        self.langprob = langprob.tolist()


class ProfileTables:
    """The factory's n-gram probabilities as rows of one numpy table, and each word's
    n-gram rows (row numbers into it).

    Rows are added on first use (a text uses a few thousand of the 87,598 n-grams); the
    word cache holds up to `MAX_CACHED_WORDS` words (the first ones seen).
    """

    def __init__(self, factory) -> None:
        self.probabilities = factory.word_lang_prob_map
        self.n_langs = len(factory.langlist)
        self.index: dict[str, int] = {}  # n-gram -> its row in `matrix`
        self.matrix = np.zeros((1024, self.n_langs), dtype=np.float64)
        self.words: dict[str, tuple[int, ...]] = {}
        self.normal: dict[int, str] = {}  # str.translate table: langdetect's NGram.normalize

    def row(self, gram: str) -> int:
        """The row number of an n-gram's probabilities in `matrix` (added on first use)."""
        row = self.index.get(gram)
        if row is None:
            row = len(self.index)
            if row == len(self.matrix):  # grow by doubling: rows keep their numbers
                self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
            self.matrix[row] = np.array(self.probabilities[gram][: self.n_langs], dtype=np.float64)
            self.index[gram] = row
        return row

    def word_rows(self, word: str) -> tuple[int, ...]:
        """Rows of the n-grams langdetect finds in `word` (normalised characters, a
        trailing space included when one follows), from a fresh window, as after a space."""
        ngram = _NormalisedNGram()
        probabilities = self.probabilities
        found = []
        for ch in word:
            ngram.add_char(ch)
            if ngram.capitalword:
                continue
            grams = ngram.grams
            for n in (1, 2, 3):
                if len(grams) < n:
                    break
                gram = grams[-n:]
                if gram and gram != " " and gram in probabilities:
                    found.append(self.row(gram))
        return tuple(found)

    def normalise(self, text: str) -> str:
        """The text as langdetect's NGram sees it, one character at a time."""
        normal = self.normal
        for ch in set(text):
            if ord(ch) not in normal:
                normal[ord(ch)] = NGram.normalize(ch)
        return text.translate(normal)

    def text_rows(self, text: str) -> list[int]:
        """The n-gram rows of a whole text: its words', each followed by the space after
        it (every word but the last has one)."""
        words = self.normalise(text).split(" ")
        last = words.pop()
        cache = self.words
        local: dict[str, tuple[int, ...]] = {}
        for word in set(words).difference(cache):
            rows = self.word_rows(word + " ")
            if len(cache) < MAX_CACHED_WORDS:
                cache[word] = rows
            else:
                local[word] = rows
        if local:
            found = [r for word in words for r in (cache.get(word) or local.get(word, ()))]
        else:
            found = [r for word in words for r in cache[word]]
        if last:
            found.extend(self.word_rows(last))
        return found
