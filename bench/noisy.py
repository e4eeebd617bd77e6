"""Noisy news: true bodies with page furniture of invented site templates put around and
between their paragraphs, so we know exactly which lines are the article and which are junk.

The furniture is written here as templates by class (share bars, ads, newsletter and
comment prompts, related headlines, captions, credits, navigation, tags, paywall and app
prompts, cookie notices, author bios, timestamps, copyright lines, code blobs), with
slots for numbers, names, sites and headlines. Each class's templates are dealt
alternately to two template folds, and each page takes the templates of its own fold
(``folds.py``), so a rule tuned on the tune fold's wording is measured on wording it has
never seen: measure the classes, not the phrases.

Per page: a header of furniture, the true paragraphs with furniture lines between some of
them, and a footer. Reported: the share of true paragraphs kept in the article text, and
the share of furniture lines removed from it.

    python bench/noisy.py [--fold tune|check] [--workdir DIR] [--show N]

Pure generation functions plus a small runner that calls ``python -m newsclean.cli run``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import contract
import folds
import metric
from quality import contains_words as contains
from quality import lower_words as words

SEED = 20261202

# Slots: {n} a small number, {big} a count, {site} a site name, {name} a person, {head} a
# headline of another page, {day} a date, {topic} a section name, {time} a clock time.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "share": (
        "Share on Facebook", "Share this story", "Tweet", "Pin it", "Email this article",
        "Share via WhatsApp", "Copy link", "Share | Tweet | Email", "SHARE", "Send to a friend",
        "Facebook Twitter LinkedIn Email", "Print this page",
    ),
    "ad": (
        "Advertisement", "ADVERTISEMENT", "Sponsored", "Continue reading below", "Story continues below advertisement",
        "AD", "Paid content", "Promoted stories", "Article continues after this ad", "Scroll to continue with content",
        "Sponsored content by {site}", "Advertise with us",
    ),
    "newsletter": (
        "Sign up for our newsletter", "Get the {topic} briefing delivered to your inbox every morning.",
        "Subscribe to our daily email", "Enter your email address to subscribe",
        "Want more stories like this? Sign up for the {site} weekly digest.", "Newsletter sign-up",
        "Get our free {topic} newsletter", "Don't miss a story: join {big} readers who get our morning email.",
        "By signing up you agree to our privacy policy.", "Thanks for subscribing!",
    ),
    "comments": (
        "{n} comments", "Leave a comment", "Join the discussion", "View comments ({n})",
        "Comments are closed.", "Be the first to comment", "Show comments", "Post a comment",
        "What do you think? Tell us in the comments below.", "Comment on this story",
    ),
    "related": (
        "Related: {head}", "READ MORE: {head}", "See also: {head}", "More from {site}: {head}",
        "You might also like: {head}", "{head}", "Recommended: {head}", "Also read: {head}",
        "Trending now: {head}", "MORE: {head}",
    ),
    "caption": (
        "Photo: {name}/{site}", "(Photo by {name}/Getty Images)", "Image: {site}", "Picture: {name}",
        "The scene on {day}. Photograph: {name}/Reuters", "Photo courtesy of {name}",
        "Image copyright {site}", "File photo", "Photo credit: {name}", "(Image: {name})",
    ),
    "credit": (
        "By {name}", "Written by {name}", "Reporting by {name}; additional reporting by {name2}",
        "{name} | {site}", "Staff writer", "Story by {name}, {site}", "Contributing: {name}",
        "{name}, Correspondent",
    ),
    "nav": (
        "Home > {topic} > World", "Home | {topic} | Sport | Business", "Skip to main content",
        "Menu", "Search", "{topic}", "Back to top", "Next article", "Previous story", "Sections",
        "Log in", "Home / {topic}",
    ),
    "tags": (
        "Tags: {topic}, politics, economy", "Topics: {topic}", "Filed under: {topic}",
        "Categories: {topic}, News", "Keywords: {topic}; {site}", "Posted in {topic}",
    ),
    "paywall": (
        "Subscribe to continue reading", "You have {n} free articles remaining this month.",
        "Already a subscriber? Log in", "Get unlimited access for ${n}.99 a month",
        "This article is for subscribers only.", "Support independent journalism: become a member today.",
        "Unlock this story", "Subscribe now and save {n}0%",
    ),
    "app": (
        "Download the {site} app", "Get the app", "Available on the App Store and Google Play",
        "Read this story in the {site} app", "Turn on notifications for breaking news",
    ),
    "cookie": (
        "We use cookies to improve your experience. By continuing you accept our use of cookies.",
        "Accept all cookies", "Cookie settings", "This site uses cookies.", "Manage preferences",
    ),
    "bio": (
        "{name} is a senior reporter at {site} covering {topic}.", "About the author: {name} writes about {topic}.",
        "{name} has covered {topic} for {site} since 20{n}{n}.", "Contact {name} at news@{site}.com.",
        "Follow {name} on Twitter @{handle}",
    ),
    "time": (
        "Published {day}", "Updated {time}", "{n} hours ago", "Last modified: {day} {time}",
        "Posted {day} at {time}", "{day}", "{n} min read", "Reading time: {n} minutes",
    ),
    "copyright": (
        "© 20{n}{n} {site}. All rights reserved.", "Copyright {site} 20{n}{n}", "All rights reserved.",
        "(c) {site} Media Group", "Terms of use | Privacy policy | Contact us",
        "This material may not be reproduced without permission.",
    ),
    "blob": (
        '{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{head}"}}',
        "var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-{big}-1']);",
        "window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}",
        "googletag.cmd.push(function() {{ googletag.display('div-gpt-ad-{big}'); }});",
    ),
}
HEADER_CLASSES = ("nav", "share", "time", "credit", "ad", "cookie")
INLINE_CLASSES = ("ad", "related", "caption", "newsletter", "share")
FOOTER_CLASSES = ("tags", "share", "newsletter", "comments", "related", "copyright", "app", "paywall", "bio", "blob")

NAMES = ("Maria Lopez", "James Carter", "Aiko Tanaka", "Daniel Okafor", "Sophie Martin", "Lars Berg",
         "Priya Raman", "Tom Hughes", "Elena Petrova", "Sam Wilson")
SITES = ("Daily Courier", "Metro Herald", "The Ledger", "NewsNow", "City Post", "Valley Times",
         "Northern Star", "The Dispatch")
TOPICS = ("Politics", "Business", "Sport", "Culture", "Science", "Health", "Local News", "Opinion")
DAYS = ("March 3, 2021", "12 June 2019", "Monday, Oct. 7", "2020-11-05", "Jan 22, 2018")
TIMES = ("10:42 AM", "14:05 GMT", "6:30 p.m. ET", "09:15")


def template_fold(index: int) -> str:
    """Templates dealt alternately: even indices to the tune fold, odd ones to check."""
    return folds.TUNE if index % 2 == 0 else folds.CHECK


def templates_of(family: str, fold: str) -> list[str]:
    """The templates of one class dealt to one fold."""
    return [t for i, t in enumerate(TEMPLATES[family]) if template_fold(i) == fold]


def headline_of(body: str, rng: random.Random) -> str:
    """A headline-like cut of another page's first sentence: 6-12 words, capitalised."""
    words = body.split()
    cut = words[: rng.randint(6, 12)] if words else ["Another", "story"]
    text = " ".join(cut).rstrip(".,;:")
    return text[:1].upper() + text[1:]


def fill(template: str, rng: random.Random, others: list[str]) -> str:
    """A template with its slots filled from the rng."""
    name, name2 = rng.sample(NAMES, 2)
    return template.format(
        n=rng.randint(2, 9), big=rng.randint(10000, 99999), site=rng.choice(SITES), name=name, name2=name2,
        head=headline_of(rng.choice(others), rng), day=rng.choice(DAYS), topic=rng.choice(TOPICS),
        time=rng.choice(TIMES), handle=name.split()[0].lower() + "_news",
    )


def pick_lines(classes: tuple[str, ...], count: int, fold: str, rng: random.Random, others: list[str]) -> list[tuple[str, str]]:
    """``count`` furniture lines (and their class) of the given classes (a related list is
    a header and 3-5 headlines)."""
    lines: list[tuple[str, str]] = []
    for _ in range(count):
        family = rng.choice(classes)
        if family == "related" and rng.random() < 0.5:
            lines.append((rng.choice(("Related stories", "More on this", "You may also like", "Most read", "Recommended for you")), "related_list"))
            lines.extend((headline_of(rng.choice(others), rng), "related_list") for _ in range(rng.randint(3, 5)))
            continue
        lines.append((fill(rng.choice(templates_of(family, fold)), rng, others), family))
    return lines


@dataclass(frozen=True)
class NoisyArticle:
    page_id: str
    lines: tuple[tuple[str, str | None], ...]  # (line, its furniture class; None: true text)

    @property
    def text(self) -> str:
        return "\n\n".join(line for line, _ in self.lines)


def compose_noisy_article(page_id: str, truth: dict[str, str], fold: str, seed: int = SEED, scale: int = 1) -> NoisyArticle:
    """A true body inside a synthetic site template of the page's fold (``scale`` times
    as much furniture: a heavier site)."""
    rng = random.Random(f"{seed}:{page_id}:noisy")
    others = [body for other, body in sorted(truth.items()) if other != page_id and body.strip()]
    body = [line.strip() for line in truth[page_id].splitlines() if line.strip()]
    lines: list[tuple[str, str | None]] = list(pick_lines(HEADER_CLASSES, scale * rng.randint(1, 4), fold, rng, others))
    inline_slots = set(rng.sample(range(1, len(body)), min(len(body) - 1, scale * rng.randint(0, 3)))) if len(body) > 1 else set()
    for index, paragraph in enumerate(body):
        if index in inline_slots:
            lines.extend(pick_lines(INLINE_CLASSES, 1, fold, rng, others))
        lines.append((paragraph, None))
    lines.extend(pick_lines(FOOTER_CLASSES, scale * rng.randint(2, 7), fold, rng, others))
    return NoisyArticle(page_id, tuple(lines))


def is_kept(line: str, article_words: list[str], article_shingles: Counter) -> bool:
    """A line is in the article text: its words run there, or (a dateline or credit moved to
    a column) 80% of its word 4-grams are there."""
    line = line[contract.dateline_end(line):]
    line = line[: contract.trailing_credit_start(line)]
    line_words = words(line)
    if not line_words or contains(article_words, line_words):
        return True  # nothing left once the dateline and credit went to their columns
    shingles = metric.shingles(line)
    held = sum(min(c, article_shingles[s]) for s, c in shingles.items())
    return bool(shingles) and held >= 0.8 * sum(shingles.values())


def is_junk_kept(line: str, text_lines: list[list[str]]) -> bool:
    """A furniture line is still in the text: as a paragraph of its own, or (four words or
    more, so not a word the article itself uses) inside one."""
    junk = words(line)
    if not junk:
        return False
    return any(t == junk or (len(junk) >= 4 and contains(t, junk)) for t in text_lines)


def score(articles: dict[str, NoisyArticle], texts: dict[str, str]) -> dict:
    """True paragraphs kept and furniture lines removed, overall and per junk class."""
    true_total = true_kept = junk_total = junk_removed = 0
    family_total: Counter = Counter()
    family_kept: Counter = Counter()
    misses: list[tuple[str, str, str]] = []
    for page_id, article in articles.items():
        text = texts.get(page_id, "")
        article_words, article_shingles = words(text), metric.shingles(text)
        text_lines = [words(t) for t in text.splitlines() if t.strip()]
        for line, family in article.lines:
            is_true = family is None
            if is_true and contract.line_family(line):
                continue  # a credit or notice the contract moves to a column or drops
            kept = is_kept(line, article_words, article_shingles) if is_true else is_junk_kept(line, text_lines)
            if is_true:
                true_total += 1
                true_kept += kept
                if not kept:
                    misses.append(("lost", page_id, line))
            else:
                junk_total += 1
                junk_removed += not kept
                family_total[family] += 1
                family_kept[family] += kept
                if kept:
                    misses.append(("kept", page_id, line))
    return {
        "pages": len(articles),
        "true_paragraphs": true_total,
        "true_kept": round(true_kept / max(1, true_total), 4),
        "junk_lines": junk_total,
        "junk_removed": round(junk_removed / max(1, junk_total), 4),
        "junk_removed_by_class": {f: round(1 - family_kept[f] / n, 3) for f, n in sorted(family_total.items())},
        "misses": misses,
    }


def run_newsclean(input_dir: Path, output_dir: Path, config: Path | None = None) -> None:
    """One ``newsclean run`` over the inputs, in this checkout (its config unless `config`)."""
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root))
    subprocess.run([sys.executable, "-m", "newsclean.cli", "run", "--input", str(input_dir), "--output",
                    str(output_dir), "--config", str(config or root / "config" / "pipeline.toml")],
                   check=True, env=env, cwd=root, stdout=subprocess.DEVNULL)


def read_reasons(output_dir: Path) -> dict[str, list[tuple[list[str], str]]]:
    """Page id -> (words, label/reason) of each paragraph not kept as body."""
    import pyarrow.dataset as ds

    source = {r["article_id"]: Path(r["source_path"]).name.removesuffix(".txt") for r in
              ds.dataset(output_dir / "articles", format="parquet").to_table(columns=["article_id", "source_path"]).to_pylist()}
    rows = ds.dataset(output_dir / "paragraphs", format="parquet").to_table(
        columns=["article_id", "text", "label", "reason"]).to_pylist()
    found: dict[str, list[tuple[list[str], str]]] = defaultdict(list)
    for r in rows:
        if r["label"] != "body" and r["article_id"] in source:
            found[source[r["article_id"]]].append((words(r["text"]), f"{r['label']}/{r['reason']}"))
    return found


def loss_reasons(misses: list[tuple[str, str, str]], removed: dict[str, list[tuple[list[str], str]]]) -> Counter:
    """The rules that took the true lines lost: an aggregate, safe to print for any fold."""
    reasons: Counter = Counter()
    for kind, page_id, line in misses:
        if kind != "lost":
            continue
        line_words = words(line)
        hits = [reason for row_words, reason in removed.get(page_id, []) if row_words and contains(line_words, row_words)]
        reasons[hits[0] if hits else "unknown"] += 1
    return reasons


def read_texts(output_dir: Path) -> dict[str, str]:
    """Page id -> published title and article text."""
    import pyarrow.dataset as ds

    rows = ds.dataset(output_dir / "articles", format="parquet").to_table(columns=["source_path", "title", "text"]).to_pylist()
    # the title column counts as kept text: an opening line the contract moves there
    return {Path(r["source_path"]).name.removesuffix(".txt"): f"{r['title'] or ''}\n{r['text']}" for r in rows}


def run_probe(templates: dict[str, tuple[str, ...]], header: tuple[str, ...], inline: tuple[str, ...],
              footer: tuple[str, ...], argv: list[str] | None = None) -> int:
    """Run this measurement on the tune fold with a probe's furniture set (all of it: a probe
    has no check half), its extra classes added to the header, inline and footer placements."""
    global TEMPLATES, HEADER_CLASSES, INLINE_CLASSES, FOOTER_CLASSES, template_fold
    TEMPLATES = {family: lines + lines for family, lines in templates.items()}
    template_fold = lambda index: folds.TUNE  # noqa: E731 - every template in the tune half
    HEADER_CLASSES, INLINE_CLASSES, FOOTER_CLASSES = HEADER_CLASSES + header, INLINE_CLASSES + inline, FOOTER_CLASSES + footer
    return main(["--fold", folds.TUNE, *(sys.argv[1:] if argv is None else argv)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fold", choices=(folds.TUNE, folds.CHECK), default=folds.TUNE)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--show", type=int, default=0, help="print this many missed lines (tune fold only)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--scale", type=int, default=1, help="this many times the furniture per page")
    parser.add_argument("--seed", type=int, default=SEED, help="another seed gives other layouts of the same templates")
    parser.add_argument("--config", type=Path, help="a pipeline.toml other than this checkout's (a variant to measure)")
    args = parser.parse_args(argv)
    truth = metric.load_bodies(metric.DEFAULT_BENCHMARK / "ground-truth.json")
    with (metric.DEFAULT_BENCHMARK / "ground-truth.json").open(encoding="utf-8") as handle:
        urls = {k: v.get("url") or "" for k, v in json.load(handle).items()}
    ids = sorted(p for p in truth if folds.fold_of(urls[p]) == args.fold and truth[p].strip())
    articles = {p: compose_noisy_article(p, truth, args.fold, args.seed, args.scale) for p in ids}
    work = args.workdir or Path(tempfile.mkdtemp(prefix="noisy-"))
    inputs, output = work / f"in-{args.fold}-{args.seed}-{args.scale}", work / f"out-{args.fold}-{args.seed}-{args.scale}"
    inputs.mkdir(parents=True, exist_ok=True)
    for page_id, article in articles.items():
        (inputs / f"{page_id}.txt").write_text(article.text, encoding="utf-8")
    run_newsclean(inputs, output, args.config)
    result = score(articles, read_texts(output))
    misses = result.pop("misses")
    by_class = Counter(kind for kind, _, _ in misses)
    result["lost_by_rule"] = dict(loss_reasons(misses, read_reasons(output)).most_common())
    print(json.dumps(result | {"misses": dict(by_class)}, indent=1))
    if args.show and args.fold == folds.TUNE:
        for kind, page_id, line in misses[: args.show]:
            print(kind, page_id[:8], line[:150])
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
