"""Quality harness: run the newsclean pipeline on the benchmark and score what comes out.

One pipeline run per kind (or, with ``--one-run``, one for all) over an input root with one
folder per input kind:

    text-<extractor>/<id>.txt   what a well-known extractor returned for the page (text path)
    html/<id>.html.gz           the raw page (HTML path)
    offtopic/<id>.txt           a true body with teasers of other pages appended (synthetic)
    encoding/<id>.txt           a true body as cp1252, mojibake, entities or UTF-8 (synthetic)

Results are split by the first component of ``source_path`` and scored with the benchmark's
protocol (``metric.py``), on each fold of ``folds.py`` and on all pages: the check fold's
figures are the headline, the tune fold's are the ones to tune on. Reported per fold: input
vs output P/R/F1 per kind, raw and contract-aware (``contract.py``: against the truth without
the datelines, credits and notices our contract moves to columns or drops), catastrophes
(pages that kept under 70% of their true text, ``pages.py``), the precision of every removal
rule; for the tune fold the ten pages cleaning hurt most. Then off-topic split recall and the
encoding repair rate, on all pages. All figures go to a JSON file so runs can be compared;
``--write-baseline`` pins the gate's check-fold figures (``tests/bench/test_quality_gate.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping

import pyarrow.dataset as ds

import contract
import folds
import metric
import pages
import synthetic

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCHMARK = metric.DEFAULT_BENCHMARK
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "quality.json"
DEFAULT_BASELINE = REPO_ROOT / "bench" / "baseline.json"

SEED = 20240601  # fixed so synthetic inputs are identical from run to run
EXTRACTORS = ("trafilatura", "goose3", "newspaper", "readability", "html-text")
EXTRA_EXTRACTORS = ("justext", "news_please")
TEXT_KINDS = tuple(f"text-{name}" for name in EXTRACTORS + EXTRA_EXTRACTORS)
ALL_KINDS = TEXT_KINDS + ("html", "offtopic", "encoding")
DEFAULT_KINDS = tuple(f"text-{name}" for name in EXTRACTORS) + ("html", "offtopic", "encoding")
REAL_KINDS = frozenset(TEXT_KINDS + ("html",))  # inputs whose removals are judged by rule
GATE_KINDS = ("text-trafilatura", "text-html-text", "html")
GATE_METRICS = ("f1", "recall")
GATE_FOLD = folds.CHECK  # the gate pins figures of pages nobody tunes on
GATE_SCORING = "contract"  # ... scored against what the contract calls article text
GATE_TOLERANCE = 0.005  # drops smaller than this are noise in a 35-page fold, not regressions
ALL_PAGES = "all"
FOLD_CHOICES = (folds.TUNE, folds.CHECK, ALL_PAGES)
SCORINGS = ("raw", "contract")  # the benchmark's truth as written, and the contract truth

REAL_TEXT_SHARE = 0.8  # removed text is real if this share of its 4-grams is in the truth
RULE_PRECISION_FLOOR = 0.9  # rules removing real text more often than 1 in 10 are flagged
OFFTOPIC_RECALL_TARGET = 0.9
FALSE_OFFTOPIC_TARGET = 0.01
PIPELINE_TIMEOUT_S = 3600
PREFECT_STARTUP_TIMEOUT_S = 120

ARTICLE_COLUMNS = ["article_id", "source_path", "text", "dateline", "credit", "title"]
PARAGRAPH_COLUMNS = ["article_id", "position", "text", "label", "reason"]
OFFTOPIC_COLUMNS = ["article_id", "position", "text"]
REJECT_COLUMNS = ["source_path", "reason"]


# ---------------------------------------------------------------- benchmark and inputs


def load_urls(path: Path) -> dict[str, str]:
    """Read the page URLs of a benchmark JSON file ``{id: {"url": str}}``."""
    with path.open(encoding="utf-8") as handle:
        return {key: record.get("url") or "" for key, record in json.load(handle).items()}


@dataclass(frozen=True)
class Benchmark:
    """The benchmark folder: true bodies and URLs by page id, and where the rest lives."""

    root: Path
    truth: dict[str, str]
    urls: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> "Benchmark":
        """Read the ground truth of the benchmark folder."""
        path = root / "ground-truth.json"
        return cls(root, metric.load_bodies(path), load_urls(path))

    def fold_of(self, page_id: str) -> str:
        """The fold of a page, by its site's host (``folds.py``)."""
        return folds.fold_of(self.urls.get(page_id, ""))

    def page_ids(self, subset: int | None, fold: str = ALL_PAGES) -> list[str]:
        """The sorted page ids of a fold (or all), or the first ``subset`` of them."""
        ids = sorted(page_id for page_id in self.truth if fold == ALL_PAGES or self.fold_of(page_id) == fold)
        return ids[:subset] if subset else ids

    def group_by_fold(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Page ids by fold, the check fold first, then tune, then all of them when they span
        both folds; empty folds left out."""
        ids = list(ids)
        groups = {fold: [i for i in ids if self.fold_of(i) == fold] for fold in (folds.CHECK, folds.TUNE)}
        groups = {fold: group for fold, group in groups.items() if group}
        return groups | {ALL_PAGES: ids} if len(groups) != 1 else groups

    def extractor_bodies(self, name: str) -> dict[str, str]:
        """What the named extractor returned for each page."""
        return metric.load_bodies(self.root / "extractors" / f"{name}.json")

    def html_path(self, page_id: str) -> Path:
        """The raw gzipped page."""
        return self.root / "html" / f"{page_id}.html.gz"


@dataclass
class KindInputs:
    """What was written for one input kind: the decoded text of each page (None for HTML)."""

    kind: str
    texts: dict[str, str | None] = field(default_factory=dict)
    composed: dict[str, synthetic.ComposedArticle] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)


def write_text_kind(bench: Benchmark, kind: str, ids: list[str], folder: Path) -> KindInputs:
    """Write one extractor's output per page as ``<id>.txt`` (empty outputs too)."""
    bodies = bench.extractor_bodies(kind.removeprefix("text-"))
    inputs = KindInputs(kind)
    for page_id in ids:
        text = bodies.get(page_id, "")
        (folder / f"{page_id}.txt").write_text(text, encoding="utf-8")
        inputs.texts[page_id] = text
    return inputs


def write_html_kind(bench: Benchmark, kind: str, ids: list[str], folder: Path) -> KindInputs:
    """Copy each raw page as ``<id>.html.gz``."""
    inputs = KindInputs(kind)
    for page_id in ids:
        shutil.copyfile(bench.html_path(page_id), folder / f"{page_id}.html.gz")
        inputs.texts[page_id] = None
    return inputs


def write_offtopic_kind(bench: Benchmark, kind: str, ids: list[str], folder: Path) -> KindInputs:
    """Write true bodies with teasers of other pages (from the whole benchmark) appended."""
    inputs = KindInputs(kind)
    for page_id in ids:
        article = synthetic.compose_offtopic_article(page_id, bench.truth, SEED)
        (folder / f"{page_id}.txt").write_text(article.text, encoding="utf-8")
        inputs.texts[page_id] = article.text
        inputs.composed[page_id] = article
    return inputs


def write_encoding_kind(bench: Benchmark, kind: str, ids: list[str], folder: Path) -> KindInputs:
    """Write true bodies as raw bytes in one encoding variant each."""
    inputs = KindInputs(kind)
    for page_id in ids:
        text = bench.truth[page_id]
        variant = synthetic.choose_encoding_variant(page_id, text, SEED)
        (folder / f"{page_id}.txt").write_bytes(synthetic.encode_variant(text, variant))
        inputs.texts[page_id] = text
        inputs.variants[page_id] = variant
    return inputs


def write_kind(bench: Benchmark, kind: str, ids: list[str], input_root: Path) -> KindInputs:
    """Write the input files of one kind into ``input_root/<kind>/``."""
    folder = input_root / kind
    folder.mkdir(parents=True, exist_ok=True)
    if kind in TEXT_KINDS:
        return write_text_kind(bench, kind, ids, folder)
    writers = {"html": write_html_kind, "offtopic": write_offtopic_kind, "encoding": write_encoding_kind}
    return writers[kind](bench, kind, ids, folder)


# ---------------------------------------------------------------- running the pipeline


@dataclass(frozen=True)
class RunOptions:
    """How to run the pipeline."""

    config: Path | None = None
    checkout: Path = REPO_ROOT
    timeout: float = PIPELINE_TIMEOUT_S
    separate_runs: bool = True
    skip_run: bool = False


@dataclass(frozen=True)
class PipelineRun:
    """One pipeline invocation: which kinds it held, where it wrote, how long it took."""

    kinds: tuple[str, ...]
    output_dir: Path
    seconds: float


def run_pipeline(input_root: Path, output_dir: Path, options: RunOptions) -> float:
    """Run ``python -m newsclean.cli run`` in the checkout; return seconds taken, raise on failure."""
    command = [sys.executable, "-m", "newsclean.cli", "run"]
    command += ["--input", str(input_root), "--output", str(output_dir)]
    if options.config:
        command += ["--config", str(options.config)]
    env = dict(os.environ)
    # Prefect's embedded API server gets 20 s to start by default: too few on a loaded machine
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(PREFECT_STARTUP_TIMEOUT_S))
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=options.checkout, capture_output=True, text=True, timeout=options.timeout, env=env
    )
    if completed.returncode != 0:
        tail = "\n".join((completed.stdout + completed.stderr).splitlines()[-30:])
        raise RuntimeError(
            f"pipeline exited with {completed.returncode}: {' '.join(command)}\n{tail}"
        )
    return time.monotonic() - started


def prepare_and_run(
    bench: Benchmark,
    kinds: list[str],
    ids: list[str],
    workdir: Path,
    options: RunOptions,
) -> tuple[dict[str, KindInputs], list[PipelineRun]]:
    """Write every kind's inputs and run the pipeline once (or once per kind if asked)."""
    groups = [[kind] for kind in kinds] if options.separate_runs else [kinds]
    inputs: dict[str, KindInputs] = {}
    runs = []
    for group in groups:
        name = group[0] if options.separate_runs else "all"
        input_root, output_dir = workdir / f"input-{name}", workdir / f"output-{name}"
        if not options.skip_run:
            shutil.rmtree(input_root, ignore_errors=True)
            shutil.rmtree(output_dir, ignore_errors=True)
        for kind in group:
            inputs[kind] = write_kind(bench, kind, ids, input_root)
        seconds = 0.0
        if not options.skip_run:
            print(f"running pipeline on {', '.join(group)} ({len(ids)} pages each)", file=sys.stderr)
            seconds = run_pipeline(input_root, output_dir, options)
        runs.append(PipelineRun(tuple(group), output_dir, seconds))
    return inputs, runs


# ---------------------------------------------------------------- reading the output


def read_rows(dataset_dir: Path, columns: list[str]) -> list[dict]:
    """Read the named columns of a hive-partitioned Parquet dataset; [] if it was not written."""
    if not dataset_dir.exists():
        return []
    dataset = ds.dataset(dataset_dir, format="parquet", partitioning="hive")
    missing = [name for name in columns if name not in dataset.schema.names]
    if missing:
        raise ValueError(f"{dataset_dir} lacks columns {missing}")
    return dataset.to_table(columns=columns).to_pylist()


def locate_page(source_path: str) -> tuple[str, str]:
    """Turn ``<kind>/<id>.<ext>`` (relative or absolute) into (kind, page id).

    >>> locate_page("html/ab12.html.gz")
    ('html', 'ab12')
    """
    parts = PurePosixPath(source_path.replace("\\", "/")).parts
    if len(parts) < 2:
        raise ValueError(f"source_path {source_path!r} has no kind folder")
    return parts[-2], parts[-1].split(".", 1)[0]


@dataclass(frozen=True)
class ArticleColumns:
    """What an article holds outside its text that the contract counts as kept text."""

    dateline: str | None = None
    credit: str | None = None
    title: str | None = None


@dataclass
class PipelineOutput:
    """The pipeline's datasets, keyed by (kind, page id)."""

    bodies: dict[tuple[str, str], str] = field(default_factory=dict)
    columns: dict[tuple[str, str], ArticleColumns] = field(default_factory=dict)
    paragraphs: dict[tuple[str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))
    offtopic: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    rejects: dict[tuple[str, str], str] = field(default_factory=dict)


def read_output(output_dirs: Iterable[Path]) -> PipelineOutput:
    """Read articles, paragraphs, off-topic rows and rejects of every run into one lookup."""
    output = PipelineOutput()
    for output_dir in output_dirs:
        page_of_article = {}
        for row in read_rows(output_dir / "articles", ARTICLE_COLUMNS):
            page = locate_page(row["source_path"])
            page_of_article[row["article_id"]] = page
            previous = output.bodies.get(page)
            text = row["text"] or ""
            output.bodies[page] = f"{previous}\n\n{text}" if previous else text
            output.columns.setdefault(page, ArticleColumns(row["dateline"], row["credit"], row["title"]))
        for row in read_rows(output_dir / "paragraphs", PARAGRAPH_COLUMNS):
            if row["article_id"] in page_of_article:
                output.paragraphs[page_of_article[row["article_id"]]].append(row)
        for row in read_rows(output_dir / "offtopic", OFFTOPIC_COLUMNS):
            if row["article_id"] in page_of_article:
                output.offtopic[page_of_article[row["article_id"]]].append(row["text"] or "")
        for row in read_rows(output_dir / "rejects", REJECT_COLUMNS):
            output.rejects[locate_page(row["source_path"])] = row["reason"]
    for rows in output.paragraphs.values():
        rows.sort(key=lambda row: row["position"])
    return output


# ---------------------------------------------------------------- scoring


def page_contract_truth(bench: Benchmark, output: PipelineOutput, page: tuple[str, str]) -> str:
    """One (kind, page)'s contract truth: what its article moved to its columns counts as kept."""
    columns = output.columns.get(page, ArticleColumns())
    return contract.build_contract_truth(bench.truth[page[1]], columns.dateline, columns.credit, columns.title).text


def compare_scores(
    truth: Mapping[str, str], inputs: Mapping[str, str | None], predicted: Mapping[str, str]
) -> dict:
    """Input and output P/R/F1 of the pages of ``truth``, and the difference; no input
    scores when the input is not text (raw pages)."""
    after = metric.score_bodies(truth, predicted)
    before = None
    if all(inputs[page_id] is not None for page_id in truth):
        before = metric.score_bodies(truth, {page_id: inputs[page_id] or "" for page_id in truth})
    return {
        "input": before.as_dict() if before else None,
        "output": after.as_dict(),
        "delta": subtract_scores(after, before) if before else None,
    }


def list_catastrophes(figures: Iterable[pages.PageFigures], fold: str) -> dict:
    """The count of catastrophes; for the tune fold each page with its kept share, for the
    check fold only page ids (nobody tunes on them), for all pages only the count; and how
    many text inputs were stubs (held fewer than pages.MIN_HELD_SHINGLES true 4-grams: no
    article to lose, never catastrophes)."""
    figures = list(figures)
    found = pages.find_catastrophes(figures)
    stubs = sum(1 for page in figures if page.kept_share is None and page.input_f1 is not None)
    listed: dict = {"count": len(found), "stubs": stubs}
    if fold == folds.TUNE:
        listed["pages"] = [{"page_id": page.page_id, "kept_share": page.kept_share} for page in found]
    elif fold == folds.CHECK:
        listed["pages"] = sorted(page.page_id for page in found)
    return listed


@dataclass(frozen=True)
class KindOutput:
    """One kind's inputs and outputs side by side, with both truths and per-page figures."""

    inputs: KindInputs
    predicted: dict[str, str]
    predicted_ids: frozenset[str]
    rejects: dict[str, str]
    truths: dict[str, dict[str, str]]  # scoring -> page id -> truth
    figures: dict[str, dict[str, pages.PageFigures]]  # scoring -> page id -> figures

    @classmethod
    def build(cls, bench: Benchmark, inputs: KindInputs, output: PipelineOutput) -> "KindOutput":
        """Gather one kind's pages from the pipeline output and score each page."""
        ids = list(inputs.texts)
        kind = inputs.kind
        predicted = {page_id: output.bodies.get((kind, page_id), "") for page_id in ids}
        truths = {
            "raw": {i: bench.truth[i] for i in ids},
            "contract": {i: page_contract_truth(bench, output, (kind, i)) for i in ids},
        }
        figures = {
            scoring: {i: pages.score_page(i, truths[scoring][i], inputs.texts[i], predicted[i]) for i in ids}
            for scoring in SCORINGS
        }
        return cls(
            inputs,
            predicted,
            frozenset(i for i in ids if (kind, i) in output.bodies),
            {i: output.rejects[(kind, i)] for i in ids if (kind, i) in output.rejects},
            truths,
            figures,
        )


def score_fold(kind_output: KindOutput, fold: str, ids: list[str]) -> dict:
    """Raw and contract-aware scores, catastrophes and rejects of one kind on one fold."""
    row: dict = {"n_pages": len(ids)}
    for scoring in SCORINGS:
        truth = {page_id: kind_output.truths[scoring][page_id] for page_id in ids}
        row[scoring] = compare_scores(truth, kind_output.inputs.texts, kind_output.predicted)
    row["catastrophes"] = {
        scoring: list_catastrophes((kind_output.figures[scoring][i] for i in ids), fold)
        for scoring in SCORINGS
    }
    rejects = kind_output.rejects
    row["rejected"] = dict(Counter(rejects[i] for i in ids if i in rejects))
    row["missing"] = sum(1 for i in ids if i not in kind_output.predicted_ids and i not in rejects)
    return row


def describe_page(bench: Benchmark, kind_output: KindOutput, page_id: str) -> dict:
    """One page's figures under both scorings, its site and its reject reason, for a listing."""
    row: dict = {"page_id": page_id, "host": folds.site_host(bench.urls.get(page_id, ""))}
    for scoring in SCORINGS:
        figures = kind_output.figures[scoring][page_id]
        row[scoring] = {
            "input_f1": figures.input_f1,
            "output_f1": figures.output_f1,
            "f1_loss": figures.f1_loss,
            "kept_share": figures.kept_share,
        }
    row["rejected"] = kind_output.rejects.get(page_id)
    return row


def score_kind(
    bench: Benchmark, inputs: KindInputs, output: PipelineOutput, groups: Mapping[str, list[str]]
) -> dict:
    """Per fold (``groups``: fold -> page ids) input and output P/R/F1 of one kind, raw and
    contract-aware, with catastrophes; rejected or missing pages count as empty output.
    For the tune fold also the pages cleaning hurt most (by contract-aware F1 loss) and
    every page's figures; the check fold's pages are never shown one by one."""
    kind_output = KindOutput.build(bench, inputs, output)
    row: dict = {"folds": {fold: score_fold(kind_output, fold, ids) for fold, ids in groups.items()}}
    if folds.TUNE in groups:
        worst = pages.find_worst(kind_output.figures["contract"][i] for i in groups[folds.TUNE])
        row["worst_tune_pages"] = [describe_page(bench, kind_output, page.page_id) for page in worst]
        row["tune_pages"] = [describe_page(bench, kind_output, page_id) for page_id in groups[folds.TUNE]]
    return row


def subtract_scores(after: metric.Scores, before: metric.Scores) -> dict[str, float]:
    """What the pipeline changed: output minus input precision, recall and F1."""
    return {
        name: round(getattr(after, name) - getattr(before, name), 4)
        for name in ("precision", "recall", "f1")
    }


def lower_words(text: str) -> list[str]:
    """Lower-cased words: whether text is article text should not hinge on its case."""
    return [word.lower() for word in metric.tokenize(text)]


def word_ngrams(words: list[str], size: int = metric.SHINGLE_SIZE) -> list[tuple[str, ...]]:
    """The word n-grams of a word list, in order; none for fewer than ``size`` words."""
    return [tuple(words[i : i + size]) for i in range(len(words) - size + 1)]


def contains_words(haystack: list[str], needle: list[str]) -> bool:
    """Tell whether ``needle`` occurs as a contiguous run of words in ``haystack``.

    >>> contains_words(["a", "bc", "d"], ["bc", "d"]), contains_words(["a", "bc"], ["c"])
    (True, False)
    """
    if not needle:
        return False
    return f" {' '.join(needle)} " in f" {' '.join(haystack)} "


def is_real_article_text(paragraph: str, truth_words: list[str], truth_ngrams: set[tuple],
                         truth_lines: set[tuple[str, ...]] = frozenset()) -> bool:
    """A removed paragraph is real article text when its words are in the true body.

    At least 80% of its word 4-grams must be true 4-grams. A paragraph under four words
    ("More", "Share this") must be a whole line of the true body: short words occur in
    any long text, so "occurs somewhere" would call every menu item real.
    """
    words = lower_words(paragraph)
    if len(words) < metric.SHINGLE_SIZE:
        return bool(words) and tuple(words) in truth_lines
    grams = word_ngrams(words)
    return sum(gram in truth_ngrams for gram in grams) >= REAL_TEXT_SHARE * len(grams)


def occurrences(haystack: list[str], needle: list[str]) -> int:
    """How many times a run of words occurs in a word list.

    >>> occurrences(["a", "b", "a", "b"], ["a", "b"])
    2
    """
    size = len(needle)
    if not size:
        return 0
    return sum(1 for i in range(len(haystack) - size + 1) if haystack[i : i + size] == needle)


def is_lost_duplicate(paragraph: str, truth_words: list[str], kept_words: list[str]) -> bool:
    """A removed repeat is real text lost only when the true body holds it more often than
    the clean body still does (a page that truly repeats a line loses one)."""
    words = lower_words(paragraph)
    return occurrences(truth_words, words) > occurrences(kept_words, words)


@dataclass(frozen=True)
class TruthIndex:
    """What judging removed paragraphs needs of one true body: lower-cased words, their
    4-grams and the word tuples of its lines."""

    words: tuple[str, ...]
    ngrams: frozenset[tuple[str, ...]]
    lines: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, truth: str) -> "TruthIndex":
        """Index a true body."""
        words = lower_words(truth)
        lines = frozenset(tuple(lower_words(line)) for line in truth.splitlines())
        return cls(tuple(words), frozenset(word_ngrams(words)), lines)


def is_text_lost(row: Mapping, truth: TruthIndex, kept_words: list[str]) -> bool:
    """Tell whether a removed paragraph is real article text of the truth that is now lost."""
    text = row["text"] or ""
    if row["label"] == "duplicate":
        return is_lost_duplicate(text, list(truth.words), kept_words)
    return is_real_article_text(text, list(truth.words), set(truth.ngrams), set(truth.lines))


def is_contract_text_lost(
    row: Mapping, truth: TruthIndex, kept_words: list[str], columns: ArticleColumns
) -> bool:
    """Like ``is_text_lost`` against the contract truth; a removed dateline, credit or image
    credit (or the text of a column) is never article text lost."""
    if contract.is_contract_non_text(row["text"] or "", columns.dateline, columns.credit, columns.title):
        return False
    return is_text_lost(row, truth, kept_words)


def count_removals(
    bench: Benchmark, output: PipelineOutput, kinds: set[str], ids: set[str]
) -> tuple[Counter, Counter, Counter]:
    """Per (label, reason) over the pages ``ids`` of the ``kinds``: paragraphs removed, real
    text among them, and real text by the contract."""
    removed: Counter = Counter()
    real: Counter = Counter()
    contract_real: Counter = Counter()
    for (kind, page_id), rows in output.paragraphs.items():
        if kind not in kinds or page_id not in ids or page_id not in bench.truth:
            continue
        columns = output.columns.get((kind, page_id), ArticleColumns())
        truth = TruthIndex.of(bench.truth[page_id])
        contract_truth = TruthIndex.of(page_contract_truth(bench, output, (kind, page_id)))
        kept_words = lower_words("\n".join(row["text"] or "" for row in rows if row["label"] == "body"))
        for row in rows:
            if row["label"] == "body":
                continue
            rule = (row["label"], row["reason"] or "")
            removed[rule] += 1
            real[rule] += is_text_lost(row, truth, kept_words)
            contract_real[rule] += is_contract_text_lost(row, contract_truth, kept_words, columns)
    return removed, real, contract_real


def score_rules(
    bench: Benchmark, output: PipelineOutput, kinds: Iterable[str], ids: Iterable[str] | None = None
) -> list[dict]:
    """Per (label, reason) of removed paragraphs of real inputs (of the pages ``ids``, or all):
    how many removed, how many real, and the rule's precision, raw and by the contract."""
    ids = set(bench.truth if ids is None else ids)
    removed, real, contract_real = count_removals(bench, output, set(kinds), ids)
    rules = []
    for (label, reason), n_removed in removed.items():
        rule = {"label": label, "reason": reason, "removed": n_removed}
        for prefix, counts in (("", real), ("contract_", contract_real)):
            precision = round(1 - counts[(label, reason)] / n_removed, 4)
            rule[f"{prefix}real"] = counts[(label, reason)]
            rule[f"{prefix}precision"] = precision
            rule[f"{prefix}flagged"] = precision < RULE_PRECISION_FLOOR
        rules.append(rule)
    return sorted(rules, key=lambda rule: (rule["contract_precision"], rule["precision"], -rule["removed"]))


def count_contract_spans(bench: Benchmark, ids: Iterable[str]) -> dict[str, int]:
    """How many spans of the truth of the pages ``ids`` the contract patterns remove, by
    family (the columns of each article forgive more, per kind)."""
    counts: Counter = Counter()
    for page_id in ids:
        counts.update(span.family for span in contract.build_contract_truth(bench.truth[page_id]).removed)
    return dict(sorted(counts.items()))


def is_matched_by(paragraph: str, rows: Iterable[str]) -> bool:
    """Tell whether a paragraph's words equal an output row's, or lie inside one (merged rows)."""
    words = lower_words(paragraph)
    for row in rows:
        row_words = lower_words(row)
        if words == row_words:
            return True
        if len(words) >= metric.SHINGLE_SIZE and contains_words(row_words, words):
            return True
    return False


def score_offtopic(inputs: KindInputs, output: PipelineOutput) -> dict:
    """Share of appended paragraphs found in offtopic/, and of true paragraphs sent there."""
    appended = caught = removed_otherwise = body = false_offtopic = 0
    for page_id, article in inputs.composed.items():
        page = (inputs.kind, page_id)
        if page in output.rejects:
            continue
        offtopic_rows = output.offtopic.get(page, [])
        removed_rows = [
            row["text"] or "" for row in output.paragraphs.get(page, []) if row["label"] != "body"
        ]
        for paragraph in article.appended:
            appended += 1
            if is_matched_by(paragraph, offtopic_rows):
                caught += 1
            elif is_matched_by(paragraph, removed_rows):
                removed_otherwise += 1
        for paragraph in article.body:
            body += 1
            false_offtopic += is_matched_by(paragraph, offtopic_rows)
    recall = caught / appended if appended else 0.0
    false_share = false_offtopic / body if body else 0.0
    return {
        "articles": len(inputs.composed),
        "rejected": sum(1 for page_id in inputs.composed if (inputs.kind, page_id) in output.rejects),
        "appended": appended,
        "caught": caught,
        "removed_by_other_rules": removed_otherwise,
        "split_recall": round(recall, 4),
        "body_paragraphs": body,
        "false_offtopic": false_offtopic,
        "false_offtopic_share": round(false_share, 4),
        "meets_target": recall >= OFFTOPIC_RECALL_TARGET and false_share <= FALSE_OFFTOPIC_TARGET,
    }


INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace to one space and drop invisible characters (soft
    hyphens, zero-width spaces), which the pipeline strips on purpose.

    >>> normalize_space(" a\\n\\n b  c ")
    'a b c'
    >>> normalize_space("fall\\u00addaten")
    'falldaten'
    """
    return " ".join(INVISIBLE_RE.sub("", text).split())


def decoded_text(output: PipelineOutput, page: tuple[str, str]) -> str:
    """All paragraphs of an article in position order, whatever their label."""
    return "\n\n".join(row["text"] or "" for row in output.paragraphs.get(page, []))


def score_encoding(inputs: KindInputs, output: PipelineOutput) -> dict:
    """Share of articles whose decoded text equals the true body (whitespace normalised)."""
    exact: Counter = Counter()
    same_words: Counter = Counter()
    totals = Counter(inputs.variants.values())
    failures = []
    for page_id, variant in inputs.variants.items():
        page = (inputs.kind, page_id)
        original, repaired = inputs.texts[page_id] or "", decoded_text(output, page)
        if normalize_space(repaired) == normalize_space(original):
            exact[variant] += 1
        else:
            rejected = output.rejects.get(page)
            failures.append({"page_id": page_id, "variant": variant, "rejected": rejected})
        same_words[variant] += metric.tokenize(repaired) == metric.tokenize(original)
    by_variant = {
        variant: {
            "articles": totals[variant],
            "exact": exact[variant],
            "exact_share": round(exact[variant] / totals[variant], 4),
            "same_words_share": round(same_words[variant] / totals[variant], 4),
        }
        for variant in sorted(totals)
    }
    n_total = sum(totals.values())
    return {
        "articles": n_total,
        "exact": sum(exact.values()),
        "exact_share": round(sum(exact.values()) / n_total, 4) if n_total else 0.0,
        "by_variant": by_variant,
        "failures": failures,
    }


# ---------------------------------------------------------------- reporting


def format_scores(scores: Mapping | None) -> str:
    """Three columns P R F1, or dashes when there is nothing to show."""
    if not scores:
        return f"{'-':>6} {'-':>6} {'-':>6}"
    return f"{scores['precision']:6.3f} {scores['recall']:6.3f} {scores['f1']:6.3f}"


def format_delta(delta: Mapping | None) -> str:
    """Three signed columns dP dR dF1, or dashes."""
    if not delta:
        return f"{'-':>7} {'-':>7} {'-':>7}"
    return f"{delta['precision']:+7.3f} {delta['recall']:+7.3f} {delta['f1']:+7.3f}"


FOLD_TITLES = {
    folds.CHECK: "CHECK fold: the headline (pages of sites nobody tunes on)",
    folds.TUNE: "TUNE fold: tune rules and thresholds on these pages only",
    ALL_PAGES: "ALL pages",
}


def print_kind_table(results: Mapping, fold: str, scoring: str) -> None:
    """Print input vs output scores of every kind on one fold, under one scoring."""
    print(f"\n{scoring:<18} {'pages':>5} | {'input P':>6} {'R':>6} {'F1':>6} |"
          f" {'out P':>6} {'R':>6} {'F1':>6} | {'dP':>7} {'dR':>7} {'dF1':>7} | rejected | <70% kept")
    for kind, kind_row in results["kinds"].items():
        row = kind_row["folds"][fold]
        rejected = sum(row["rejected"].values()) + row["missing"]
        scores = row[scoring]
        print(f"{kind:<18} {row['n_pages']:5d} | {format_scores(scores['input'])} |"
              f" {format_scores(scores['output'])} | {format_delta(scores['delta'])} | {rejected:8d} |"
              f" {row['catastrophes'][scoring]['count']:9d}")


def print_rejects(results: Mapping, fold: str) -> None:
    """Print why pages of a fold were rejected or lost, per kind."""
    for kind, kind_row in results["kinds"].items():
        row = kind_row["folds"][fold]
        reasons = dict(row["rejected"], **({"missing": row["missing"]} if row["missing"] else {}))
        if reasons:
            print(f"  {kind} rejected: {', '.join(f'{r} {n}' for r, n in sorted(reasons.items()))}")


def print_catastrophes(results: Mapping, fold: str) -> None:
    """Print the catastrophes of a fold per kind: with kept shares on tune, ids only on check."""
    if fold == ALL_PAGES:
        return
    floor = f"{pages.KEPT_SHARE_FLOOR:.0%}"
    print(f"\ncatastrophes (clean text keeps < {floor} of the true text the input held):")
    listed_any = False
    for kind, kind_row in results["kinds"].items():
        found = kind_row["folds"][fold]["catastrophes"]
        if found["raw"].get("stubs"):
            print(f"  {kind:<18} stubs    {found['raw']['stubs']:2d}  (inputs holding < {pages.MIN_HELD_SHINGLES}"
                  " true 4-grams: no article to lose, not counted)")
        if not found["raw"]["count"] and not found["contract"]["count"]:
            continue
        listed_any = True
        for scoring in SCORINGS:
            listed = found[scoring]["pages"]
            if fold == folds.TUNE:
                listed = [f"{page['page_id'][:12]} {page['kept_share']:.2f}" for page in listed]
            else:
                listed = [page_id[:12] for page_id in listed]
            print(f"  {kind:<18} {scoring:<8} {found[scoring]['count']:2d}  {', '.join(listed)}")
    if not listed_any:
        print("  none")


def print_worst_pages(results: Mapping) -> None:
    """Print the tune pages each kind's cleaning hurt most (contract-aware F1 loss)."""
    for kind, kind_row in results["kinds"].items():
        worst = kind_row.get("worst_tune_pages")
        if not worst:
            continue
        print(f"\nworst tune pages of {kind}"
              " (contract F1 in -> out (loss); raw loss; kept share of true text):")
        for page in worst:
            fig, raw = page["contract"], page["raw"]
            before = "   - " if fig["input_f1"] is None else f"{fig['input_f1']:.3f}"
            kept = "   - " if fig["kept_share"] is None else f"{fig['kept_share']:.2f}"
            rejected = f"  rejected: {page['rejected']}" if page["rejected"] else ""
            loss = "" if fig["input_f1"] is None else f" ({fig['f1_loss']:+.3f}); raw {raw['f1_loss']:+.3f}"
            print(f"  {page['page_id'][:12]} {page['host'][:28]:<28} {before} -> {fig['output_f1']:.3f}"
                  f"{loss}; kept {kept}{rejected}")


def print_rule_table(rules: list[dict]) -> None:
    """Print removal rules from least to most precise (by the contract), flagging those under the floor."""
    print(f"\n{'label':<12} {'reason':<32} {'removed':>7} {'real':>5} {'prec':>6} |"
          f" {'c.real':>6} {'c.prec':>6}")
    for rule in rules:
        flag = "  <-- below %.2f" % RULE_PRECISION_FLOOR if rule["contract_flagged"] else ""
        print(f"{rule['label']:<12} {rule['reason']:<32} {rule['removed']:7d} {rule['real']:5d}"
              f" {rule['precision']:6.3f} | {rule['contract_real']:6d}"
              f" {rule['contract_precision']:6.3f}{flag}")


def print_fold(results: Mapping, fold: str) -> None:
    """Print every table of one fold: scores raw and by the contract, rejects, catastrophes,
    worst pages (tune only) and rule precision."""
    info = results["folds"][fold]
    print(f"\n===== {FOLD_TITLES[fold]}: {info['pages']} pages of {info['sites']} sites =====")
    for scoring in SCORINGS:
        print_kind_table(results, fold, scoring)
    print_rejects(results, fold)
    spans = results["contract_spans"][fold]
    print(f"contract truth: {sum(spans.values())} truth spans removed by pattern"
          f" ({', '.join(f'{family} {n}' for family, n in spans.items()) or 'none'}),"
          " plus the text of each article's dateline and credit columns")
    print_catastrophes(results, fold)
    if fold == folds.TUNE:
        print_worst_pages(results)
    if results["rules"].get(fold):
        print_rule_table(results["rules"][fold])


def print_synthetic(results: Mapping) -> None:
    """Print the off-topic split and encoding repair figures, if measured."""
    if "offtopic" in results:
        off = results["offtopic"]
        print(f"\noff-topic split recall {off['split_recall']:.3f}"
              f" ({off['caught']}/{off['appended']} appended paragraphs in offtopic/,"
              f" {off['removed_by_other_rules']} removed under another label)")
        print(f"false off-topic {off['false_offtopic_share']:.3f}"
              f" ({off['false_offtopic']}/{off['body_paragraphs']} true paragraphs in offtopic/)")
        print(f"targets recall >= {OFFTOPIC_RECALL_TARGET}, false <= {FALSE_OFFTOPIC_TARGET}:"
              f" {'met' if off['meets_target'] else 'NOT met'}"
              f" ({off['rejected']} of {off['articles']} articles rejected, left out)")
    if "encoding" in results:
        enc = results["encoding"]
        print(f"\nencoding repair: {enc['exact_share']:.3f} exact ({enc['exact']}/{enc['articles']})")
        for variant, row in enc["by_variant"].items():
            print(f"  {variant:<9} {row['exact']:3d}/{row['articles']:<3d}"
                  f" exact {row['exact_share']:.3f}"
                  f"   same words {row['same_words_share']:.3f}")


def print_report(results: Mapping) -> None:
    """Print every table of a harness run, the check fold first."""
    for fold in results["folds"]:
        print_fold(results, fold)
    print_synthetic(results)


def write_json(path: Path, payload: Mapping) -> None:
    """Write a JSON file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def gate_figures(results: Mapping, kind: str, fold: str = GATE_FOLD, scoring: str = GATE_SCORING) -> Mapping:
    """The output scores the gate compares: one kind, one fold, one scoring."""
    try:
        return results["kinds"][kind]["folds"][fold][scoring]["output"]
    except KeyError:
        raise ValueError(f"results hold no {scoring} figures of {kind} on the {fold} fold") from None


def make_baseline(results: Mapping) -> dict:
    """The gate's pinned figures: contract-aware output F1 and recall of each measured real
    kind on the check fold, with how the run was made so the gate can repeat it."""
    kinds = [kind for kind in results["kinds"] if kind in REAL_KINDS]
    return {
        "fold": GATE_FOLD,
        "scoring": GATE_SCORING,
        "subset": results["subset"],
        "n_pages": results["folds"][GATE_FOLD]["pages"] if GATE_FOLD in results["folds"] else 0,
        "one_run": not results.get("separate_runs", True),
        "kinds": kinds,
        "tolerance": GATE_TOLERANCE,
        "written_at": results["generated_at"],
        "pinned": {
            kind: {name: gate_figures(results, kind)[name] for name in GATE_METRICS} for kind in kinds
        },
    }


def find_regressions(results: Mapping, baseline: Mapping) -> list[str]:
    """Every pinned figure that dropped by more than the baseline's tolerance."""
    tolerance = baseline.get("tolerance", GATE_TOLERANCE)
    fold, scoring = baseline.get("fold", GATE_FOLD), baseline.get("scoring", GATE_SCORING)
    drops = []
    for kind, pinned in baseline["pinned"].items():
        for name, floor in pinned.items():
            now = gate_figures(results, kind, fold, scoring)[name]
            if now < floor - tolerance:
                drops.append(
                    f"{kind} {scoring} {name} ({fold} fold): {now:.4f} < pinned {floor:.4f} - {tolerance}"
                )
    return drops


# ---------------------------------------------------------------- the harness


def describe_folds(bench: Benchmark, groups: Mapping[str, list[str]]) -> dict:
    """Pages and sites of each fold of a run."""
    return {
        fold: {"pages": len(ids), "sites": len({folds.site_host(bench.urls.get(i, "")) for i in ids})}
        for fold, ids in groups.items()
    }


def run_harness(
    bench: Benchmark,
    kinds: list[str],
    subset: int | None,
    workdir: Path,
    options: RunOptions = RunOptions(),
    fold: str = ALL_PAGES,
) -> dict:
    """Write the inputs of a fold's pages (or all), run the pipeline, and score every kind
    per fold; return all figures."""
    ids = bench.page_ids(subset, fold)
    groups = bench.group_by_fold(ids)
    real_kinds = [kind for kind in kinds if kind in REAL_KINDS]
    inputs, runs = prepare_and_run(bench, kinds, ids, workdir, options)
    output = read_output(run.output_dir for run in runs)
    results: dict = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "benchmark": str(bench.root),
        "fold": fold,
        "subset": subset,
        "n_pages": len(ids),
        "folds": describe_folds(bench, groups),
        "seed": SEED,
        "separate_runs": options.separate_runs,
        "runs": [{"kinds": list(run.kinds), "seconds": round(run.seconds, 1)} for run in runs],
        "kinds": {kind: score_kind(bench, inputs[kind], output, groups) for kind in kinds},
        "rules": {name: score_rules(bench, output, real_kinds, group) for name, group in groups.items()},
        "contract_spans": {name: count_contract_spans(bench, group) for name, group in groups.items()},
    }
    if "offtopic" in inputs:
        results["offtopic"] = score_offtopic(inputs["offtopic"], output)
    if "encoding" in inputs:
        results["encoding"] = score_encoding(inputs["encoding"], output)
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the harness's command line."""
    parser = argparse.ArgumentParser(
        description="Run the newsclean pipeline on the article-body benchmark and report "
        "input vs output precision/recall/F1 per input kind, removal-rule precision, "
        "off-topic split recall and encoding repair rate.",
        epilog=f"kinds: {', '.join(ALL_KINDS)}",
    )
    parser.add_argument("--fold", choices=FOLD_CHOICES,
                        help="run only the pages of one fold (folds.py: tune, or check, the headline); "
                        f"default: all pages; with --write-baseline: {GATE_FOLD}")
    parser.add_argument("--subset", type=int, metavar="N",
                        help="use only the first N page ids (sorted) of the fold")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"JSON results file (default: {DEFAULT_OUT.relative_to(REPO_ROOT)})")
    parser.add_argument("--kinds", nargs="+", choices=ALL_KINDS, metavar="KIND",
                        help=f"input kinds to run (default: {' '.join(DEFAULT_KINDS)}; "
                        f"with --write-baseline: {' '.join(GATE_KINDS)})")
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK,
                        help=f"benchmark folder (default: {DEFAULT_BENCHMARK})")
    parser.add_argument("--config", type=Path,
                        help="pipeline config file, passed on as --config")
    parser.add_argument("--checkout", type=Path, default=REPO_ROOT,
                        help="run the pipeline of this checkout (default: the one holding this script)")
    parser.add_argument("--workdir", type=Path,
                        help="keep inputs and outputs here instead of a temp folder")
    parser.add_argument("--no-run", action="store_true",
                        help="score the outputs already in --workdir without running the pipeline")
    parser.add_argument("--one-run", dest="separate_runs", action="store_false",
                        help="run the pipeline once over all kinds (faster), instead of once per kind; "
                        "the pipeline rejects byte-identical copies within a run (duplicate_content), "
                        "and some extractors return identical text for a page, so kinds can steal "
                        "each other's pages")
    parser.add_argument("--timeout", type=float, default=PIPELINE_TIMEOUT_S,
                        help="seconds before a pipeline run is abandoned")
    parser.add_argument("--write-baseline", nargs="?", const=DEFAULT_BASELINE, type=Path, metavar="FILE",
                        help=f"also pin the {GATE_SCORING}-aware output F1 and recall of the "
                        f"{GATE_FOLD} fold as the gate's baseline"
                        f" (default file: {DEFAULT_BASELINE.relative_to(REPO_ROOT)})")
    args = parser.parse_args(argv)
    if args.no_run and not args.workdir:
        parser.error("--no-run needs --workdir")
    if args.write_baseline and args.fold not in (None, GATE_FOLD):
        parser.error(f"--write-baseline pins the {GATE_FOLD} fold; drop --fold {args.fold}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the harness from the command line."""
    args = parse_args(argv)
    kinds = args.kinds or list(GATE_KINDS if args.write_baseline else DEFAULT_KINDS)
    fold = args.fold or (GATE_FOLD if args.write_baseline else ALL_PAGES)
    options = RunOptions(args.config, args.checkout, args.timeout, args.separate_runs, args.no_run)
    bench = Benchmark.load(args.benchmark)
    with tempfile.TemporaryDirectory(prefix="newsclean-quality-") as tmp:
        workdir = args.workdir or Path(tmp)
        results = run_harness(bench, kinds, args.subset, workdir, options, fold)
    print_report(results)
    write_json(args.out, results)
    print(f"\nresults written to {args.out}")
    if args.write_baseline:
        write_json(args.write_baseline, make_baseline(results))
        print(f"baseline written to {args.write_baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
