"""Site templates: the benchmark's true bodies published by invented sites, each printing
a template of invented junk lines (none in the word lists of config/rules.toml: checked
here) on every page, with the small changes real pages show (counts, years, case,
punctuation). Real `newsclean run`s over them; reported:

- the share of template lines removed (target >= 0.95) and the true body lines removed
  (target 0: by `site_template`; overall beside the same bodies run bare, without any
  template), scored as ``noisy.py`` scores furniture; the same without the rule
  (`[templates] min_articles` out of reach), so the rule's own share shows;
- the per-rule precision of `site_template` (target >= 0.9): of the paragraphs it
  labelled, the share that are template lines;
- across two runs: each site's pages dealt half to run 1 and half to run 2, a site
  holding 2 * (min_articles - 1) pages or one more, so run 2 has fewer than
  min_articles pages of each site and finds its templates only by what run 1 left in
  the history (``_crossdoc/templates.sqlite``); run 2's pages alone in a fresh output
  are reported beside it;
- the guard's measurement: how often a true body line recurs across a site's pages in
  the benchmark itself (by host, and all pages as one folder), and how many of those read
  as prose.

    python bench/templates.py [--workdir DIR] [--out FILE]

Writes bench/results/templates.json. Six pipeline runs of 116 pages: a few minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import metric
from noisy import NoisyArticle, run_newsclean, score
from quality import lower_words as words

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsclean.settings import load_settings, normalise_phrase  # noqa: E402
from newsclean.settings_rules import Rules  # noqa: E402
from newsclean.stages.prose import is_sentence  # noqa: E402
from newsclean.stages.templates import normalise_line  # noqa: E402
from newsclean.stages.words import count_words  # noqa: E402

SEED = 20261202
CONFIG = ROOT / "config" / "pipeline.toml"
RESULTS = ROOT / "bench" / "results" / "templates.json"
FAMILY = "site_template"

# Invented lines a site prints around its articles: promotions of its own products,
# house notices, listings. Slots: {site} the site's name, {brand} its publisher, {n} a
# digit (it changes from page to page, as counters and dates do).
HEADER = (
    "{site}: independent reporting from the river towns since 19{n}{n}",
    "Tonight on {site} Radio, the late call-in hour with our night desk",
    "Harbour forecast: {n} degrees and clearing by the evening tide",
    "The morning edition is out now for members of the {brand} circle",
    "Give a year of {site} to someone who loves the valley",
    "{brand} rewards: collect points every time you read after midnight",
    "Hear the {site} daily podcast, presented by the city desk",
    "Market hall: {n}{n} traders you can trust, all in one place",
)
INLINE = (
    "The {brand} crossword is back in print this Sunday",
    "Saw something? The {site} newsroom wants your tip",
    "The {brand} summer fair returns to the old market square in June",
    "Hampers from the {site} shop, delivered across the county",
)
FOOTER = (
    "{site} is part of the {brand} family of regional titles",
    "Printed on recycled paper at our press in the old mill",
    "Letters to the editor may be shortened for space and clarity.",
    "Our ombudsman answers reader complaints within {n} working days.",
    "Corrections: the code of practice we follow and how to reach us",
    "Careers at {site}: we are hiring reporters and photographers",
    "Classifieds, notices and announcements from the {brand} desk",
    "Want your event in our listings? Write to the listings desk",
    "Our reporters abide by the {brand} editorial charter, which anyone can read in full.",
    "{site} evening quiz: {n} questions on the week's news",
    "Puzzles, games and the daily word ladder",
    "Browse the {brand} archive of front pages since 19{n}0",
)
SITES = ("Riverside Gazette", "Harbour Bell", "Upland Courant", "Millbrook Echo", "Fenland Lantern",
         "Coastline Chronicle", "Brackwater Tribune", "Orchard Vale Press", "Granite Sentinel",
         "Tidewater Record", "Heathfield Crier", "Saltmarsh Review", "Kestrel Bay Observer", "Ironbridge Voice",
         "Larkspur Weekly", "Pinewood Bulletin")
BRANDS = ("Lantern Media", "Northgate Press Group", "Willow Publishing", "Copperline News")


def template_lines(site_index: int) -> tuple[list[str], list[str], list[str]]:
    """A site's header, inline and footer lines, slots {site} and {brand} filled ({n} left)."""
    site, brand = SITES[site_index % len(SITES)], BRANDS[site_index % len(BRANDS)]
    header, inline, footer = ([t.replace("{site}", site).replace("{brand}", brand) for t in part]
                              for part in (HEADER, INLINE, FOOTER))
    return header, inline, footer


def in_word_lists(line: str, rules: Rules) -> str | None:
    """The word list or pattern of rules.toml a line is in (or matches), else None."""
    phrase = normalise_phrase(line)
    if phrase in rules.phrases:
        return f"phrase {rules.phrases[phrase]}"
    if phrase in rules.related_headers or phrase in rules.comment_headers:
        return "section header"
    for name, pattern in (*rules.patterns, *rules.labels):
        if pattern.search(line):
            return f"pattern {name}"
    lists = {"credit": rules.credit, "credit_anywhere": rules.credit_anywhere, "date_prefix": rules.date_prefix,
             "date_suffix": rules.date_suffix, "related_header": rules.related_header_patterns,
             "comment_header": rules.comment_header_patterns, "dateline": rules.dateline, "notice": rules.notice}
    for name, patterns in lists.items():
        if any(p.search(line) for p in patterns):
            return f"pattern {name}"
    return None


def check_invented(rules: Rules) -> int:
    """SystemExit naming the first invented line a word list of rules.toml holds; else
    how many lines were checked (every site's, with digits in the {n} slots)."""
    checked = 0
    for site in range(len(SITES)):
        for part in template_lines(site):
            for line in part:
                hit = in_word_lists(line.replace("{n}", "7"), rules)
                if hit:
                    raise SystemExit(f"template line in rules.toml ({hit}): {line!r}")
                checked += 1
    return checked


def vary(line: str, rng: random.Random) -> str:
    """A template line as one page prints it: its own digits, now and then in capitals,
    without its full stop, or with doubled spaces (what normalisation must see through)."""
    line = re.sub(r"\{n\}", lambda _: str(rng.randint(1, 9)), line)
    roll = rng.random()
    if roll < 0.1:
        return line.upper()
    if roll < 0.2:
        return line.rstrip(".") if line.endswith(".") else line + "!"
    if roll < 0.3:
        return line.replace(" ", "  ", 2)
    return line


def compose_page(page_id: str, body: str, site_index: int, seed: int) -> NoisyArticle:
    """A true body inside its site's template: header, inline lines between paragraphs, footer."""
    rng = random.Random(f"{seed}:{page_id}:template")
    header, inline, footer = template_lines(site_index)
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    lines: list[tuple[str, str | None]] = [(vary(t, rng), FAMILY) for t in header]
    slots = sorted(rng.sample(range(1, len(paragraphs)), min(len(inline), len(paragraphs) - 1))) if len(paragraphs) > 1 else []
    pending = list(inline)
    for index, paragraph in enumerate(paragraphs):
        if index in slots:
            lines.append((vary(pending.pop(0), rng), FAMILY))
        lines.append((paragraph, None))
    lines += [(vary(t, rng), FAMILY) for t in pending + list(footer)]
    return NoisyArticle(page_id, tuple(lines))


def slug(site_index: int) -> str:
    return SITES[site_index % len(SITES)].lower().replace(" ", "-")


def deal_sites(ids: list[str], pages_per_site: int, seed: int) -> dict[str, int]:
    """Page id -> site: pages shuffled and dealt round robin to len(ids) // pages_per_site sites."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    sites = max(1, len(order) // pages_per_site)
    return {page: n % sites for n, page in enumerate(order)}


def write_pages(root: Path, pages: dict[str, NoisyArticle], site_of: dict[str, int]) -> None:
    """Each page as `<site slug>/<page id>.txt` (no URL: the folder is the site)."""
    for page_id, article in pages.items():
        folder = root / slug(site_of[page_id])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{page_id}.txt").write_text(article.text, encoding="utf-8")


def read_rows(output: Path) -> list[dict]:
    """Every published paragraph with its page id."""
    import pyarrow.dataset as ds

    pages = {r["article_id"]: Path(r["source_path"]).name.removesuffix(".txt") for r in
             ds.dataset(output / "articles", format="parquet", partitioning="hive").to_table(
                 columns=["article_id", "source_path"]).to_pylist()}
    rows = ds.dataset(output / "paragraphs", format="parquet", partitioning="hive").to_table(
        columns=["article_id", "text", "label", "reason"]).to_pylist()
    return [r | {"page": pages[r["article_id"]]} for r in rows if r["article_id"] in pages]


def read_texts(output: Path) -> dict[str, str]:
    """Page id -> published title and text (as noisy.read_texts, by file name)."""
    import pyarrow.dataset as ds

    rows = ds.dataset(output / "articles", format="parquet", partitioning="hive").to_table(
        columns=["source_path", "title", "text"]).to_pylist()
    return {Path(r["source_path"]).name.removesuffix(".txt"): f"{r['title'] or ''}\n{r['text']}" for r in rows}


def measure(pages: dict[str, NoisyArticle], output: Path) -> dict:
    """Template lines removed, true lines removed, and the rule's precision, for `pages`."""
    result = score(pages, {p: t for p, t in read_texts(output).items() if p in pages})
    misses = result.pop("misses")
    template_keys = {p: {normalise_line(line) for line, family in a.lines if family} for p, a in pages.items()}
    reasons: Counter = Counter()
    right = wrong = 0
    wrong_examples = []
    for row in read_rows(output):
        if row["page"] not in pages:
            continue
        is_template = normalise_line(row["text"]) in template_keys[row["page"]]
        if row["reason"] == FAMILY:
            right += is_template
            wrong += not is_template
            if not is_template and len(wrong_examples) < 5:
                wrong_examples.append(row["text"][:120])
        if is_template:
            reasons[f"{row['label']}/{row['reason']}"] += 1
    labelled = right + wrong
    return {
        "pages": result["pages"],
        "template_lines": result["junk_lines"],
        "template_lines_removed": result["junk_removed"],
        "true_lines": result["true_paragraphs"],
        "true_lines_removed": sum(1 for kind, _, _ in misses if kind == "lost"),
        "true_lines_removed_by_site_template": wrong,
        "site_template_labelled": labelled,
        "site_template_precision": round(right / labelled, 4) if labelled else None,
        "site_template_wrong_examples": wrong_examples,
        "template_lines_by_label_reason": dict(reasons.most_common()),
    }


def legit_repeats(truth: dict[str, str], urls: dict[str, str], min_articles: int, language: str = "en") -> dict:
    """How often a true body line recurs on several pages of one site in the benchmark:
    pages grouped by host, and all pages as one folder (a crawl without URLs); with the
    lines that read as prose (the shared-prose guard's first test)."""
    import folds

    def count(group_of) -> dict:
        holders: dict[tuple[str, str], set[str]] = defaultdict(set)
        texts: dict[str, str] = {}
        for page, body in truth.items():
            for line in body.splitlines():
                key = normalise_line(line)
                if key:
                    holders[(group_of(page), key)].add(page)
                    texts.setdefault(key, line.strip())
        lines = sum(1 for _ in holders)
        on_two = [k for k, p in holders.items() if len(p) >= 2]
        at_n = [k for k, p in holders.items() if len(p) >= min_articles]
        prose = sum(1 for _, key in on_two if is_sentence(texts[key], count_words(texts[key]), language, 0.2, 8))
        return {"distinct_lines": lines, "on_2_pages_or_more": len(on_two), f"on_{min_articles}_or_more": len(at_n),
                "most_pages": max((len(p) for p in holders.values()), default=0), "of_those_on_2_prose": prose}

    hosts = Counter(folds.site_host(urls[p]) for p in truth)
    return {"pages": len(truth), "hosts": len(hosts), "hosts_with_2_pages_or_more": sum(1 for n in hosts.values() if n > 1),
            "by_host": count(lambda p: folds.site_host(urls[p])), "one_folder": count(lambda p: "")}


def config_with(work: Path, min_articles: int) -> Path:
    """A copy of the checkout's config (rules beside it) with another [templates] min_articles."""
    folder = work / f"config-{min_articles}"
    folder.mkdir(parents=True, exist_ok=True)
    text = CONFIG.read_text(encoding="utf-8")
    text, found = re.subn(r"(?m)^min_articles = \d+$", f"min_articles = {min_articles}", text)
    assert found == 1, "no [templates] min_articles line in config/pipeline.toml"
    (folder / "pipeline.toml").write_text(text, encoding="utf-8")
    (folder / "rules.toml").write_text((CONFIG.parent / "rules.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return folder / "pipeline.toml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    settings = load_settings(CONFIG)
    n = settings.templates.min_articles
    checked = check_invented(settings.classify.rules)
    with (metric.DEFAULT_BENCHMARK / "ground-truth.json").open(encoding="utf-8") as handle:
        urls = {k: v.get("url") or "" for k, v in json.load(handle).items()}
    truth = {p: b for p, b in metric.load_bodies(metric.DEFAULT_BENCHMARK / "ground-truth.json").items() if b.strip()}
    site_of = deal_sites(list(truth), 2 * (n - 1), args.seed)
    pages = {p: compose_page(p, truth[p], site_of[p], args.seed) for p in sorted(truth)}
    by_site: dict[int, list[str]] = defaultdict(list)
    for page in sorted(pages):
        by_site[site_of[page]].append(page)
    first = {p for ps in by_site.values() for p in ps[: (len(ps) + 1) // 2]}
    second = {p: a for p, a in pages.items() if p not in first}
    work = args.workdir or Path(tempfile.mkdtemp(prefix="templates-"))
    bare = {p: NoisyArticle(p, tuple(line for line in a.lines if line[1] is None)) for p, a in pages.items()}
    for name, chosen in (("all", pages), ("run1", {p: pages[p] for p in first}), ("run2", second), ("bare", bare)):
        write_pages(work / f"in-{name}", chosen, site_of)

    print(f"{len(pages)} pages on {len(by_site)} sites ({min(map(len, by_site.values()))}-"
          f"{max(map(len, by_site.values()))} pages each), {checked} invented template lines checked against rules.toml; "
          f"min_articles = {n}", file=sys.stderr)
    run_newsclean(work / "in-all", work / "out-one-run", CONFIG)
    run_newsclean(work / "in-all", work / "out-without-rule", config_with(work, 10**9))
    run_newsclean(work / "in-run1", work / "out-two-runs", CONFIG)
    run_newsclean(work / "in-run2", work / "out-two-runs", CONFIG)
    run_newsclean(work / "in-run2", work / "out-run2-alone", CONFIG)
    run_newsclean(work / "in-bare", work / "out-bare", CONFIG)
    result = {
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "min_articles": n,
        "sites": len(by_site),
        "pages_per_site": sorted(Counter(map(len, by_site.values())).items()),
        "invented_template_lines_checked": checked,
        "one_run": measure(pages, work / "out-one-run"),
        "one_run_without_the_rule": measure(pages, work / "out-without-rule"),
        "two_runs_run1": measure({p: pages[p] for p in first}, work / "out-two-runs"),
        "two_runs_run2": measure(second, work / "out-two-runs"),
        "run2_alone": measure(second, work / "out-run2-alone"),
        # the reference for true lines removed: the same bodies with no template at all
        "bodies_without_template": {k: v for k, v in measure(bare, work / "out-bare").items()
                                    if k in ("pages", "true_lines", "true_lines_removed")},
        "benchmark_true_lines_shared": legit_repeats(truth, urls, n),
    }
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
