"""Train `classify.meaning`'s furniture model on the benchmark's tune fold and write its
weights into `[furniture_model]` of config/rules.toml and newsclean/defaults/rules.toml.

Examples, all from the tune fold or invented:
- article text (label 0): every line of at most `meaning_max_words` words of a tune page's
  true body (subheads, list items, short paragraphs), read against its own article's prose;
- furniture (label 1): the templates of `noisy.py` dealt to the tune fold, and all of
  `noisy_probe.py`'s and `noisy_probe3.py`'s, each filled `--fills` times and read against
  a tune article it was not written for.

The model: L2-regularised logistic regression (Newton steps, classes weighted equally),
deterministic. `--report` prints the tune fold's five-way cross-validation by site (the
share of true short lines scored above each threshold) and the held-out furniture of
`noisy.py`'s check half and `noisy_probe4.py`, without writing anything.

    python bench/train_furniture.py [--report] [--l2 X] [--fills N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

import folds
import metric
import noisy
import noisy_probe
import noisy_probe3
import noisy_probe4

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsclean.settings import load_settings  # noqa: E402
from newsclean.settings_rules import FurnitureModel  # noqa: E402
from newsclean.stages.classify.article import Article, Findings, prose_lines  # noqa: E402
from newsclean.stages.classify.loop import language_sample  # noqa: E402
from newsclean.stages.classify.meaning import line_rows, mark_furniture_by_meaning  # noqa: E402
from newsclean.stages.language import detect_language  # noqa: E402
from newsclean.stages.records import Document  # noqa: E402
from newsclean.stages.words import count_words  # noqa: E402

SEED = 20261203
RULES_FILES = (REPO / "config" / "rules.toml", REPO / "newsclean" / "defaults" / "rules.toml")
TRAINED_ON = "bench/train_furniture.py: tune-fold true short lines against noisy.py (tune half), noisy_probe.py, noisy_probe3.py"


TRAINING_SETS = (noisy, noisy_probe, noisy_probe3)  # the furniture the model learns from (tuning data)


def bodies_by_fold(benchmark: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The benchmark's page urls, and its true bodies of the tune and of the check fold."""
    truth = metric.load_bodies(benchmark / "ground-truth.json")
    urls = {k: v.get("url") or "" for k, v in json.loads((benchmark / "ground-truth.json").read_text(encoding="utf-8")).items()}
    tune = {p: b for p, b in truth.items() if folds.fold_of(urls[p]) == folds.TUNE}
    check = {p: b for p, b in truth.items() if folds.fold_of(urls[p]) == folds.CHECK}
    return urls, tune, check


def paragraphs_of(body: str) -> list[str]:
    """A true body's paragraphs: its non-blank lines."""
    return [p.strip() for p in body.splitlines() if p.strip()]


def article_of(paragraphs: list[str], settings) -> Article:
    """An Article of the paragraphs, its language detected as classify does."""
    words = tuple(count_words(t) for t in paragraphs)
    language, _ = detect_language(language_sample(paragraphs, words, settings.classify), settings.language)
    doc = Document(article_id="train", source_path="train", kind="text", input_sha256="")
    return Article(tuple(paragraphs), words, doc, language or "en")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘(])")


def true_examples(bodies: dict[str, str], settings, sentences: bool = False) -> tuple[np.ndarray, list[str]]:
    """Rows of every short line of the true bodies (and with `sentences`, of their short
    sentences), each against its own article, and the page of each row."""
    rows, pages = [], []
    for page, body in bodies.items():
        paragraphs = paragraphs_of(body)
        article = article_of(paragraphs, settings)
        prose_ids = prose_lines(article, settings.classify)
        short = [i for i, w in enumerate(article.words) if is_candidate_size(w, settings)]
        if len(prose_ids) < settings.classify.meaning_min_prose:
            continue
        if sentences:  # the short sentences of its paragraphs, each read as a line of its own
            extra = [s for p in paragraphs for s in _SENTENCE_END.split(p)
                     if is_candidate_size(count_words(s), settings) and s.strip() not in paragraphs]
            article = Article(article.texts + tuple(extra), article.words + tuple(count_words(s) for s in extra),
                              article.doc, article.language)
            short += list(range(len(paragraphs), len(paragraphs) + len(extra)))
        if not short:
            continue
        rows.append(line_rows(article, short, prose_ids)[0])
        pages += [page] * len(short)
    return np.vstack(rows), pages


def furniture_lines(modules, fold: str | None, fills: int, others: list[str]) -> list[str]:
    """The templates of the modules (noisy.py's of one fold when `fold` is given), filled."""
    rng = random.Random(SEED)
    lines = []
    for module in modules:
        for templates in module.TEMPLATES.values():
            for i, template in enumerate(templates):
                if fold and module is noisy and noisy.template_fold(i) != fold:
                    continue
                lines += [noisy.fill(template, rng, others) for _ in range(fills)]
    return lines


def is_candidate_size(words: int, settings) -> bool:
    """Whether a line of this many words is one the rule reads."""
    return settings.classify.meaning_min_words <= words <= settings.classify.meaning_max_words


def furniture_examples(lines: list[str], bodies: dict[str, str], settings) -> np.ndarray:
    """Rows of the furniture lines, each inside an article it was not written for."""
    lines = [line for line in lines if is_candidate_size(count_words(line), settings)]
    rng = random.Random(SEED + 1)
    pages = sorted(bodies)
    articles = {}
    rows = []
    for line in lines:
        page = rng.choice(pages)
        if page not in articles:
            articles[page] = paragraphs_of(bodies[page])
        paragraphs = articles[page] + [line]
        article = article_of(paragraphs, settings)
        prose_ids = [i for i in prose_lines(article, settings.classify) if i != len(paragraphs) - 1]
        rows.append(line_rows(article, [len(paragraphs) - 1], prose_ids)[0])
    return np.vstack(rows)


def train(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 30) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method, both classes weighted equally."""
    positives = y.sum()
    weight = np.where(y == 1, 0.5 / positives, 0.5 / (len(y) - positives)) * len(y)
    a = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    w = np.zeros(a.shape[1])
    reg = l2 * np.eye(a.shape[1])
    reg[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(a @ w)))
        hessian = (a * (p * (1 - p) * weight)[:, None]).T @ a + reg
        w -= np.linalg.solve(hessian, a.T @ ((p - y) * weight) + reg @ w)
    return w[:-1], float(w[-1])


def write_model(weights: np.ndarray, bias: float) -> None:
    """Replace (or append) the [furniture_model] table of both rules files."""
    numbers = ",\n".join("  " + ", ".join(f"{v:.6f}" for v in weights[k : k + 8]) for k in range(0, len(weights), 8))
    table = (f"[furniture_model]\n# {len(weights)} weights: the sentence vector's 256, then topic_cosine and topic_overlap\n"
             f'trained_on = "{TRAINED_ON}"\nbias = {bias:.6f}\nweights = [\n{numbers},\n]\n')
    for path in RULES_FILES:
        text = path.read_text(encoding="utf-8")
        start = text.find("[furniture_model]")
        text = (text[:start].rstrip() + "\n\n" if start >= 0 else text.rstrip() + "\n\n") + table
        path.write_text(text, encoding="utf-8")


def site_held_out_models(real: np.ndarray, junk: np.ndarray, groups: np.ndarray, l2: float) -> dict[int, FurnitureModel]:
    """One model per group of sites, trained without that group's true lines."""
    models = {}
    for k in sorted(set(groups.tolist())):
        w, b = train(np.vstack([real[groups != k], junk]), np.r_[np.zeros((groups != k).sum()), np.ones(len(junk))], l2)
        models[k] = FurnitureModel(tuple(float(v) for v in w), b)
    return models


def show_cross_fitted(tune, urls, group, models: dict[int, FurnitureModel], settings) -> None:
    """The rule itself (its bounds too) on each tune page's true body, with a model that
    never saw the page's site: the true lines it would remove."""
    lost = lines = words_lost = words = 0
    for page, body in sorted(tune.items()):
        paragraphs = paragraphs_of(body)
        article = article_of(paragraphs, settings)
        k = group.get(folds.site_host(urls[page]))
        if k is None:
            continue
        cs = dataclasses.replace(settings.classify, rules=dataclasses.replace(settings.classify.rules, furniture_model=models[k]))
        found = Findings([None] * len(paragraphs))
        mark_furniture_by_meaning(article, found, cs)
        lines += len(paragraphs)
        words += sum(article.words)
        for i, v in enumerate(found.verdicts):
            if v is not None:
                lost += 1
                words_lost += article.words[i]
                print(f"  cross-fitted, true line removed: {page[:12]} {paragraphs[i][:100]}")
    print(f"cross-fitted on the tune fold's true bodies: {lost} of {lines} true lines removed ({words_lost} of {words} words)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", action="store_true", help="cross-validate and measure the held-out furniture; write nothing")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--fills", type=int, default=3)
    parser.add_argument("--sentences", action=argparse.BooleanOptionalAction, default=True,
                        help="also train on the true bodies' short sentences as article text")
    args = parser.parse_args(argv)
    settings = load_settings(REPO / "config" / "pipeline.toml")
    urls, tune, check = bodies_by_fold(metric.DEFAULT_BENCHMARK)
    others = list(tune.values())
    real, pages = true_examples(tune, settings, sentences=args.sentences)
    junk = furniture_examples(furniture_lines(TRAINING_SETS, folds.TUNE, args.fills, others), tune, settings)
    weights, bias = train(np.vstack([real, junk]), np.r_[np.zeros(len(real)), np.ones(len(junk))], args.l2)
    print(f"trained on {len(real)} true short lines and {len(junk)} furniture lines; "
          f"topic_cosine weight {weights[-2]:.2f}, topic_overlap {weights[-1]:.2f}")
    if not args.report:
        write_model(weights, bias)
        print("wrote [furniture_model] to", ", ".join(str(p.relative_to(REPO)) for p in RULES_FILES))
        return 0
    sites = sorted({folds.site_host(urls[p]) for p in pages})
    random.Random(0).shuffle(sites)
    group = {s: k % 5 for k, s in enumerate(sites)}
    g = np.array([group[folds.site_host(urls[p])] for p in pages])
    models = site_held_out_models(real, junk, g, args.l2)
    cv = np.zeros(len(real))
    for k, model in models.items():
        cv[g == k] = real[g == k] @ np.array(model.weights) + model.bias
    show_cross_fitted(tune, urls, group, models, settings)
    held_check = furniture_examples(furniture_lines((noisy,), folds.CHECK, args.fills, others), check, settings) @ weights + bias
    held_4 = furniture_examples(furniture_lines((noisy_probe4,), None, args.fills, others), check, settings) @ weights + bias
    check_real = true_examples(check, settings)[0] @ weights + bias
    for threshold in (1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0):
        print(f"score >= {threshold}: true short lines, tune by site {np.mean(cv >= threshold):.3f}, check {np.mean(check_real >= threshold):.3f}"
              f" | furniture held out: noisy.py check half {np.mean(held_check >= threshold):.3f}, probe 4 {np.mean(held_4 >= threshold):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
