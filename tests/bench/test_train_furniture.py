"""The furniture model's trainer (bench/train_furniture.py): its solver, the table it
writes, and that the shipped weights are the ones it trains (the model is built from data
we ship, reproducibly)."""

from pathlib import Path

import tomllib

import numpy as np
import pytest

import train_furniture
from newsclean.settings import load_settings

CHECKOUT = Path(__file__).resolve().parents[2]
BENCHMARK = CHECKOUT.parent / "shared" / "benchmark"


def test_the_solver_separates_two_classes_along_their_direction():
    rng = np.random.default_rng(7)
    x = np.vstack([rng.normal(-1.0, 0.5, (200, 3)), rng.normal(1.0, 0.5, (50, 3))])
    x[:, 2] = rng.normal(0.0, 0.5, 250)  # a feature that tells nothing
    y = np.r_[np.zeros(200), np.ones(50)]
    weights, bias = train_furniture.train(x, y, l2=0.1)
    predicted = (x @ weights + bias) > 0
    assert (predicted == (y == 1)).mean() > 0.95
    assert abs(weights[2]) < 0.3 * min(weights[0], weights[1])


def test_the_table_replaces_the_old_one_and_keeps_the_rest(tmp_path, monkeypatch):
    rules = tmp_path / "rules.toml"
    rules.write_text('[boilerplate.phrases]\nshare = ["Share this"]\n\n[furniture_model]\nbias = 1.0\nweights = [1.0]\n')
    monkeypatch.setattr(train_furniture, "RULES_FILES", (rules,))
    train_furniture.write_model(np.arange(10, dtype=float), -2.5)
    text = rules.read_text()
    assert text.count("[furniture_model]") == 1 and 'share = ["Share this"]' in text
    table = tomllib.loads(text)["furniture_model"]
    assert table["bias"] == -2.5 and table["weights"] == list(range(10))


def test_the_shipped_weights_are_the_trainers():
    """Training again on the tune fold gives the weights in config/rules.toml (to 1e-5)."""
    if not BENCHMARK.is_dir():
        pytest.skip("benchmark not found beside the checkout")
    settings = load_settings(CHECKOUT / "config" / "pipeline.toml")
    model = settings.classify.rules.furniture_model
    _, tune, _ = train_furniture.bodies_by_fold(BENCHMARK)
    real, _ = train_furniture.true_examples(tune, settings, sentences=True)
    lines = train_furniture.furniture_lines(train_furniture.TRAINING_SETS, train_furniture.folds.TUNE, 3, list(tune.values()))
    junk = train_furniture.furniture_examples(lines, tune, settings)
    weights, bias = train_furniture.train(np.vstack([real, junk]), np.r_[np.zeros(len(real)), np.ones(len(junk))], 1.0)
    assert np.allclose(weights, model.weights, atol=1e-5) and abs(bias - model.bias) < 1e-5
