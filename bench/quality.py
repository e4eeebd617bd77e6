"""Quality harness: run the newsclean pipeline on the benchmark and score what comes out.

One pipeline run (by default) over an input root with one folder per input kind:

    text-<extractor>/<id>.txt   what a well-known extractor returned for the page (text path)
    html/<id>.html.gz           the raw page (HTML path)
    offtopic/<id>.txt           a true body with teasers of other pages appended (synthetic)
    encoding/<id>.txt           a true body as cp1252, mojibake, entities or UTF-8 (synthetic)

Results are split by the first component of ``source_path`` and scored with the benchmark's
protocol (``metric.py``). Reported: input vs output P/R/F1 per kind, the precision of every
removal rule, off-topic split recall, and the encoding repair rate. All figures go to a JSON
file so runs can be compared; ``--write-baseline`` pins the gate's figures
(``tests/bench/test_quality_gate.py``).
"""

from __future__ import annotations

import argparse
import json
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

import metric
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
GATE_TOLERANCE = 0.005  # drops smaller than this are noise in a 25-page subset, not regressions

REAL_TEXT_SHARE = 0.8  # removed text is real if this share of its 4-grams is in the truth
RULE_PRECISION_FLOOR = 0.9  # rules removing real text more often than 1 in 10 are flagged
OFFTOPIC_RECALL_TARGET = 0.9
FALSE_OFFTOPIC_TARGET = 0.01
PIPELINE_TIMEOUT_S = 3600

ARTICLE_COLUMNS = ["article_id", "source_path", "text"]
PARAGRAPH_COLUMNS = ["article_id", "position", "text", "label", "reason"]
OFFTOPIC_COLUMNS = ["article_id", "position", "text"]
REJECT_COLUMNS = ["source_path", "reason"]


# ---------------------------------------------------------------- benchmark and inputs


@dataclass(frozen=True)
class Benchmark:
    """The benchmark folder: true bodies by page id, and where the rest lives."""

    root: Path
    truth: dict[str, str]

    @classmethod
    def load(cls, root: Path) -> "Benchmark":
        """Read the ground truth of the benchmark folder."""
        return cls(root, metric.load_bodies(root / "ground-truth.json"))

    def page_ids(self, subset: int | None) -> list[str]:
        """The sorted page ids, or the first ``subset`` of them."""
        ids = sorted(self.truth)
        return ids[:subset] if subset else ids

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
    """Run ``python -m flows.cli run`` in the checkout; return seconds taken, raise on failure."""
    command = [sys.executable, "-m", "flows.cli", "run"]
    command += ["--input", str(input_root), "--output", str(output_dir)]
    if options.config:
        command += ["--config", str(options.config)]
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=options.checkout, capture_output=True, text=True, timeout=options.timeout
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


@dataclass
class PipelineOutput:
    """The pipeline's datasets, keyed by (kind, page id)."""

    bodies: dict[tuple[str, str], str] = field(default_factory=dict)
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


def score_kind(bench: Benchmark, inputs: KindInputs, output: PipelineOutput) -> dict:
    """Input and output P/R/F1 of one kind; rejected or missing pages count as empty output."""
    truth = {page_id: bench.truth[page_id] for page_id in inputs.texts}
    predicted = {page_id: output.bodies.get((inputs.kind, page_id), "") for page_id in truth}
    after = metric.score_bodies(truth, predicted)
    before = None
    if all(text is not None for text in inputs.texts.values()):
        before = metric.score_bodies(truth, inputs.texts)
    pages = [(inputs.kind, page_id) for page_id in truth]
    return {
        "input": before.as_dict() if before else None,
        "output": after.as_dict(),
        "delta": subtract_scores(after, before) if before else None,
        "rejected": dict(Counter(output.rejects[page] for page in pages if page in output.rejects)),
        "missing": sum(1 for page in pages if page not in output.bodies and page not in output.rejects),
    }


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


def score_rules(bench: Benchmark, output: PipelineOutput, kinds: Iterable[str]) -> list[dict]:
    """Per (label, reason) of removed paragraphs of real inputs: how many removed, how many real."""
    removed: Counter = Counter()
    real: Counter = Counter()
    kinds = set(kinds)
    for (kind, page_id), rows in output.paragraphs.items():
        if kind not in kinds or page_id not in bench.truth:
            continue
        truth_words = lower_words(bench.truth[page_id])
        truth_ngrams = set(word_ngrams(truth_words))
        truth_lines = {tuple(lower_words(line)) for line in bench.truth[page_id].splitlines()}
        kept_words = lower_words("\n".join(row["text"] or "" for row in rows if row["label"] == "body"))
        for row in rows:
            if row["label"] == "body":
                continue
            rule = (row["label"], row["reason"] or "")
            removed[rule] += 1
            if row["label"] == "duplicate":
                real[rule] += is_lost_duplicate(row["text"] or "", truth_words, kept_words)
            else:
                real[rule] += is_real_article_text(row["text"] or "", truth_words, truth_ngrams, truth_lines)
    rules = [
        {
            "label": label,
            "reason": reason,
            "removed": removed[(label, reason)],
            "real": real[(label, reason)],
            "precision": round(1 - real[(label, reason)] / removed[(label, reason)], 4),
        }
        for label, reason in removed
    ]
    for rule in rules:
        rule["flagged"] = rule["precision"] < RULE_PRECISION_FLOOR
    return sorted(rules, key=lambda rule: (rule["precision"], -rule["removed"]))


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


def print_kind_table(results: Mapping) -> None:
    """Print input vs output scores of every kind."""
    print(f"\n{'kind':<18} {'pages':>5} | {'input P':>6} {'R':>6} {'F1':>6} |"
          f" {'out P':>6} {'R':>6} {'F1':>6} | {'dP':>7} {'dR':>7} {'dF1':>7} | rejected")
    for kind, row in results["kinds"].items():
        rejected = sum(row["rejected"].values()) + row["missing"]
        print(f"{kind:<18} {row['output']['n_pages']:5d} | {format_scores(row['input'])} |"
              f" {format_scores(row['output'])} | {format_delta(row['delta'])} | {rejected}")
    for kind, row in results["kinds"].items():
        reasons = dict(row["rejected"], **({"missing": row["missing"]} if row["missing"] else {}))
        if reasons:
            print(f"  {kind} rejected: {', '.join(f'{r} {n}' for r, n in sorted(reasons.items()))}")


def print_rule_table(rules: list[dict]) -> None:
    """Print removal rules from least to most precise, flagging those under the floor."""
    print(f"\n{'label':<12} {'reason':<32} {'removed':>7} {'real':>5} {'precision':>9}")
    for rule in rules:
        flag = "  <-- below %.2f" % RULE_PRECISION_FLOOR if rule["flagged"] else ""
        print(f"{rule['label']:<12} {rule['reason']:<32} {rule['removed']:7d} {rule['real']:5d}"
              f" {rule['precision']:9.3f}{flag}")


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
    """Print every table of a harness run."""
    print_kind_table(results)
    print_rule_table(results["rules"])
    print_synthetic(results)


def write_json(path: Path, payload: Mapping) -> None:
    """Write a JSON file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def make_baseline(results: Mapping) -> dict:
    """The gate's pinned figures: output F1 and recall of each measured real kind."""
    return {
        "subset": results["subset"],
        "kinds": [kind for kind in results["kinds"] if kind in REAL_KINDS],
        "tolerance": GATE_TOLERANCE,
        "written_at": results["generated_at"],
        "pinned": {
            kind: {name: row["output"][name] for name in GATE_METRICS}
            for kind, row in results["kinds"].items()
            if kind in REAL_KINDS
        },
    }


def find_regressions(results: Mapping, baseline: Mapping) -> list[str]:
    """Every pinned figure that dropped by more than the baseline's tolerance."""
    tolerance = baseline.get("tolerance", GATE_TOLERANCE)
    drops = []
    for kind, pinned in baseline["pinned"].items():
        for name, floor in pinned.items():
            now = results["kinds"][kind]["output"][name]
            if now < floor - tolerance:
                drops.append(f"{kind} {name}: {now:.4f} < pinned {floor:.4f} - {tolerance}")
    return drops


# ---------------------------------------------------------------- the harness


def run_harness(
    bench: Benchmark,
    kinds: list[str],
    subset: int | None,
    workdir: Path,
    options: RunOptions = RunOptions(),
) -> dict:
    """Write the inputs, run the pipeline, and score every kind; return all figures."""
    ids = bench.page_ids(subset)
    inputs, runs = prepare_and_run(bench, kinds, ids, workdir, options)
    output = read_output(run.output_dir for run in runs)
    results: dict = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "benchmark": str(bench.root),
        "subset": subset,
        "n_pages": len(ids),
        "seed": SEED,
        "runs": [{"kinds": list(run.kinds), "seconds": round(run.seconds, 1)} for run in runs],
        "kinds": {kind: score_kind(bench, inputs[kind], output) for kind in kinds},
        "rules": score_rules(bench, output, [kind for kind in kinds if kind in REAL_KINDS]),
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
    parser.add_argument("--subset", type=int, metavar="N",
                        help="use only the first N page ids (sorted)")
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
                        help="also pin output F1 and recall as the gate's baseline "
                        f"(default file: {DEFAULT_BASELINE.relative_to(REPO_ROOT)})")
    args = parser.parse_args(argv)
    if args.no_run and not args.workdir:
        parser.error("--no-run needs --workdir")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the harness from the command line."""
    args = parse_args(argv)
    kinds = args.kinds or list(GATE_KINDS if args.write_baseline else DEFAULT_KINDS)
    options = RunOptions(args.config, args.checkout, args.timeout, args.separate_runs, args.no_run)
    bench = Benchmark.load(args.benchmark)
    with tempfile.TemporaryDirectory(prefix="newsclean-quality-") as tmp:
        workdir = args.workdir or Path(tmp)
        results = run_harness(bench, kinds, args.subset, workdir, options)
    print_report(results)
    write_json(args.out, results)
    print(f"\nresults written to {args.out}")
    if args.write_baseline:
        write_json(args.write_baseline, make_baseline(results))
        print(f"baseline written to {args.write_baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
