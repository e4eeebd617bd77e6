"""Sentence vectors: the WordLlama model read from its package folder, never downloaded."""

from __future__ import annotations

import socket
import sys
import threading

import numpy as np
import pytest

from newsclean.stages import embed
from newsclean.stages.embed import ModelNotFound, embed_paragraphs, load_model, model_folder, sentence_model

COUNCIL = "The city council approved the budget after a late-night vote on library hours."
COUNCIL_AGAIN = "Council members passed the spending plan, keeping every library branch open."
FOOTBALL = "The striker scored twice as United beat City in the derby on Saturday."


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the sentence model reached for the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


def test_model_loads_from_the_package_folder_with_the_network_blocked(no_network):
    model = load_model()
    assert model.vectors.shape == (32000, 256) and model.vectors.dtype == np.float32
    vectors = model.embed([COUNCIL])
    assert vectors.shape == (1, 256)
    assert "wordllama" not in sys.modules, "the package is never imported (its import configures logging)"


def test_model_files_are_the_wheels(no_network):
    folder = model_folder()
    assert (folder / embed.WEIGHTS_FILE).is_file() and (folder / embed.TOKENIZER_FILE).is_file()
    assert not (folder / "tokenizer").exists(), "the wheel's folder is tokenizers/: wordllama's loader would miss it"


def test_a_missing_file_raises_model_not_found(tmp_path, no_network):
    with pytest.raises(ModelNotFound, match="missing"):
        load_model(tmp_path)


def test_vectors_are_unit_length_and_empty_texts_are_zero():
    vectors = embed_paragraphs([COUNCIL, "", "   ", FOOTBALL])
    assert vectors.shape == (4, 256)
    assert np.allclose(np.linalg.norm(vectors[[0, 3]], axis=1), 1.0, atol=1e-5)
    assert not vectors[1].any() and not vectors[2].any(), "no tokens, no direction"
    assert embed_paragraphs([]).shape == (0, 256)


def test_similar_meaning_is_closer_than_shared_genre():
    council, again, football = embed_paragraphs([COUNCIL, COUNCIL_AGAIN, FOOTBALL])
    assert council @ again > 0.35, "two sentences on the council's budget (0.45)"
    assert council @ football < 0.2, "a council vote and a football derby (0.12)"
    assert council @ again > 2 * council @ football


@pytest.mark.parametrize("text", [COUNCIL, FOOTBALL, "Café owners in Zürich said “no” to the 2.5% levy…", "a"])
def test_token_ids_are_the_tokenizers(text):
    model = sentence_model()
    assert model.token_ids(text) == model.tokenizer.encode(text, add_special_tokens=False).ids


def test_the_model_is_loaded_once_whichever_threads_ask(monkeypatch):
    real = sentence_model()
    loads = []
    started = threading.Barrier(8)

    def counting_load(folder=None):
        loads.append(threading.get_ident())
        return real

    monkeypatch.setattr(embed, "_model", None)
    monkeypatch.setattr(embed, "load_model", counting_load)
    seen = []

    def ask():
        started.wait()
        seen.append(sentence_model())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1, "one load for the process"
    assert all(model is real for model in seen)
