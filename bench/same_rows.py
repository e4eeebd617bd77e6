"""Prove that a change made the same decisions: run two checkouts on the same inputs and
compare their published datasets row for row.

    python bench/same_rows.py [REF] [--kinds KIND ...] [--subset N] [--fold FOLD]
                              [--no-seeds] [--one-run] [--workdir DIR] [--keep-tree]

REF (default ``main``) is checked out into a temporary git worktree (detached, removed
afterwards); the checkout holding this script is the other side. Both run
``python -m newsclean.cli run`` (each with its own ``config/``) on the same input files:
the repository's ``seeds/`` and the shared benchmark's inputs, written once by the quality
harness's own writers (``quality.write_kind``: extractor outputs, raw HTML pages, the
synthetic off-topic and encoding kinds) and by ``noisy.py`` (true bodies inside invented
site templates, each page's of its fold), one pipeline run per input kind as
``quality.py`` runs them (``--one-run``: one run for all). The outputs are compared with
``compare_outputs.py`` (``articles/``, ``paragraphs/``, ``offtopic/``, ``rejects/``, without
the run columns). Exit status 0 when every dataset of every input is identical, 1 when
any row differs, 2 when a run fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import compare_outputs
import noisy
import quality

REPO_ROOT = quality.REPO_ROOT
SEEDS = REPO_ROOT / "seeds"
SEEDS_KIND = "seeds"
NOISY_KIND = "noisy"  # true bodies inside invented site templates (noisy.py)
KINDS = quality.ALL_KINDS + (NOISY_KIND,)
DEFAULT_KINDS = quality.DEFAULT_KINDS + (NOISY_KIND,)
SIDES = ("ref", "here")  # the checkout of REF, and the checkout holding this script


def git(*args: str, cwd: Path = REPO_ROOT) -> str:
    """Run git in the checkout; return its stdout, raise on failure."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@contextmanager
def ref_worktree(ref: str, parent: Path, keep: bool = False) -> Iterator[Path]:
    """A detached worktree of ``ref`` under ``parent``, removed (and pruned) on the way out
    unless ``keep``."""
    commit = git("rev-parse", "--verify", f"{ref}^{{commit}}")
    tree = parent / f"tree-{commit[:12]}"
    git("worktree", "add", "--detach", str(tree), commit)
    try:
        yield tree
    finally:
        if not keep:
            git("worktree", "remove", "--force", str(tree))
            git("worktree", "prune")


@contextmanager
def python_path(tree: Path) -> Iterator[None]:
    """PYTHONPATH set to ``tree`` for the runs started inside, so that neither a PYTHONPATH
    of the caller nor an installed copy of the package decides which code runs."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(tree)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = before


def package_dir(tree: Path) -> Path:
    """The folder the ``newsclean`` package is imported from when run in ``tree``."""
    with python_path(tree):
        out = subprocess.run(
            [sys.executable, "-c", "import newsclean, pathlib; print(pathlib.Path(newsclean.__file__).parent)"],
            cwd=tree, check=True, capture_output=True, text=True,
        ).stdout.strip()
    return Path(out).resolve()


def write_inputs(bench: quality.Benchmark, kinds: list[str], ids: list[str], seeds: bool,
                 workdir: Path, one_run: bool) -> dict[str, Path]:
    """Write every input kind once (``quality.write_kind``; seeds copied as a kind of their
    own); return the input root of each run by name: ``<kind>`` each, or ``all``."""
    names = ([SEEDS_KIND] if seeds else []) + kinds
    roots: dict[str, Path] = {}
    for name in names:
        root = workdir / ("input-all" if one_run else f"input-{name}")
        if root not in roots.values():
            shutil.rmtree(root, ignore_errors=True)  # no pages left over from an earlier call
        if name == SEEDS_KIND:
            shutil.copytree(SEEDS, root / SEEDS_KIND, dirs_exist_ok=True)
        elif name == NOISY_KIND:
            write_noisy_kind(bench, ids, root / NOISY_KIND)
        else:
            quality.write_kind(bench, name, ids, root)
        roots["all" if one_run else name] = root
    return roots


def write_noisy_kind(bench: quality.Benchmark, ids: list[str], folder: Path) -> None:
    """Write each page's true body inside a site template of its fold as ``<id>.txt``
    (``noisy.compose_noisy_article``; pages with an empty true body left out, as there)."""
    folder.mkdir(parents=True, exist_ok=True)
    for page_id in ids:
        if bench.truth[page_id].strip():
            article = noisy.compose_noisy_article(page_id, bench.truth, bench.fold_of(page_id))
            (folder / f"{page_id}.txt").write_text(article.text, encoding="utf-8")


def run_side(tree: Path, roots: dict[str, Path], outputs: Path, timeout: float) -> None:
    """Run the pipeline of ``tree`` on every input root into ``outputs/output-<name>``."""
    options = quality.RunOptions(checkout=tree, timeout=timeout)
    with python_path(tree):
        for name, root in roots.items():
            print(f"  {tree}: {name}", file=sys.stderr, flush=True)
            quality.run_pipeline(root, outputs / f"output-{name}", options)


def is_same(workdir: Path) -> bool:
    """Compare the two sides' outputs input by input (printing each dataset's verdict);
    whether every row of every one is the same."""
    return compare_outputs.main([str(workdir / SIDES[0]), str(workdir / SIDES[1])]) == 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref", nargs="?", default="main", help="git ref to compare against (default: main)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(DEFAULT_KINDS), metavar="KIND",
                        help=f"benchmark input kinds: {', '.join(KINDS)} (default: {' '.join(DEFAULT_KINDS)})")
    parser.add_argument("--fold", choices=quality.FOLD_CHOICES, default=quality.ALL_PAGES,
                        help="only the pages of one fold (default: all pages)")
    parser.add_argument("--subset", type=int, metavar="N", help="only the first N page ids of the fold")
    parser.add_argument("--no-seeds", dest="seeds", action="store_false", help="leave seeds/ out")
    parser.add_argument("--one-run", action="store_true",
                        help="one pipeline run per side over all inputs (faster; inputs that are byte-identical "
                        "copies are rejected as duplicate_content in both, so the comparison still holds)")
    parser.add_argument("--benchmark", type=Path, default=quality.DEFAULT_BENCHMARK,
                        help=f"benchmark folder (default: {quality.DEFAULT_BENCHMARK})")
    parser.add_argument("--workdir", type=Path, help="keep inputs and both outputs here (default: a temp folder)")
    parser.add_argument("--keep-tree", action="store_true", help="leave the worktree of REF in place")
    parser.add_argument("--timeout", type=float, default=quality.PIPELINE_TIMEOUT_S,
                        help="seconds before a pipeline run is abandoned")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run both checkouts and compare; the exit status says whether the rows are the same."""
    args = parse_args(argv)
    # a stopped comparison still removes its worktree (the finally clauses run)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    bench = quality.Benchmark.load(args.benchmark)
    ids = bench.page_ids(args.subset, args.fold)
    with tempfile.TemporaryDirectory(prefix="newsclean-same-rows-") as tmp:
        workdir = args.workdir or Path(tmp)
        for side in SIDES:
            shutil.rmtree(workdir / side, ignore_errors=True)
        with ref_worktree(args.ref, Path(tmp), args.keep_tree) as ref_tree:
            trees = dict(zip(SIDES, (ref_tree, REPO_ROOT)))
            for side, tree in trees.items():
                found = package_dir(tree)
                if found != (tree / "newsclean").resolve():
                    print(f"{side}: newsclean imports from {found}, not from {tree}", file=sys.stderr)
                    return 2
            print(f"ref {args.ref} ({git('rev-parse', '--short', 'HEAD', cwd=ref_tree)}) vs "
                  f"{REPO_ROOT} ({git('rev-parse', '--short', 'HEAD')}{' + changes' if git('status', '--porcelain', '--', 'newsclean') else ''}); "
                  f"{len(ids)} pages of {', '.join(args.kinds)}{' and seeds/' if args.seeds else ''}", flush=True)
            roots = write_inputs(bench, args.kinds, ids, args.seeds, workdir, args.one_run)
            try:
                for side, tree in trees.items():
                    run_side(tree, roots, workdir / side, args.timeout)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                print(f"a run failed: {exc}", file=sys.stderr)
                return 2
        same = is_same(workdir)
    print("same rows" if same else "ROWS DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
