"""Compact word frequency tables: the values wordfreq gives, equal, not close."""

from __future__ import annotations

import random

import pytest
import wordfreq

from newsclean.stages.frequency import FrequencyTable, frequency_table, list_path, read_buckets, top_words, zipf_frequency

# Words of the shapes the off-topic stage looks up (`\w+` runs, lower-cased), and some it
# never asks about, for the code paths of wordfreq's lookup: digits smashed to 0 and
# priced by digit_freq, words its tokenizer splits, words not listed, an empty string. (Japanese, Chinese and Korean need
# MeCab or jieba in wordfreq, which are not installed: the stage looks their words up as English.)
CASES = {
    "en": ["the", "said", "aleppo", "warplanes", "covid19", "2020", "1999", "3rd", "a1b2", "don't",
           "xqzvkw", "", "x" * 70, "naïve", "café", "12345678", "ice-cream", "U.S.", "BBC"],
    "de": ["und", "straße", "bundesregierung", "kanzlerin", "über", "2019", "fußballweltmeisterschaft"],
    "ru": ["и", "москва", "правительство", "2020", "путин", "ёлка"],
    "pt": ["de", "não", "governo", "eleições", "são"],
    "ar": ["في", "الحكومة", "2020"],
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_zipf_frequency_is_wordfreqs(language):
    table_words = list(wordfreq.iter_wordlist(language))
    sample = random.Random(0).sample(table_words, 300)  # listed words, all over the list
    for word in CASES[language] + sample + [w + "q" for w in sample[:50]]:
        assert zipf_frequency(word, language) == wordfreq.zipf_frequency(word, language), word


@pytest.mark.parametrize("language", ["en", "de", "ko", "ja", "id", "nb"])
def test_top_words_are_wordfreqs(language):
    assert top_words(language, 120) == wordfreq.top_n_list(language, 120)
    assert top_words(language, 3) == wordfreq.top_n_list(language, 3)


def test_every_listed_word_has_its_bucket():
    """Every word of a whole list resolves to the bucket wordfreq's dict gives it."""
    table = frequency_table("id")  # a small list: 31,000 words
    expected = wordfreq.get_frequency_dict("id")
    assert len(table) == sum(len(bucket) for bucket in read_buckets(list_path("id")))
    for word, freq in expected.items():
        assert wordfreq.cB_to_freq(-table.bucket(word)) == freq, word


def test_a_word_listed_twice_takes_its_last_bucket_as_wordfreqs_dict_does():
    table = FrequencyTable([["alpha", "beta"], [], ["beta"]])
    assert table.bucket("beta") == 2 and table.bucket("alpha") == 0 and table.bucket("gamma") == -1


@pytest.mark.parametrize("code", ["pt-BR", "no", "en-GB", "sr-Latn"])
def test_a_language_code_resolves_to_the_list_wordfreq_chooses(code):
    assert top_words(code, 20) == wordfreq.top_n_list(code, 20)
    assert zipf_frequency("governo", code) == wordfreq.zipf_frequency("governo", code)
