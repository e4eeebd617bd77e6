"""HTML probe: the benchmark's true bodies inside invented old-style news pages (2005-2012:
table layouts, font tags, <br><br> paragraphs, blogs, legacy encodings; no <article> or
<main>), run through the real pipeline and scored against the true body, with trafilatura
alone (default, and favor_precision) on the same pages as a reference.

Written 2026-12-03. Every layout family, furniture line and name here is invented for this
probe (no outside test set used). Each page of the fold (``folds.py``) gets one of eight
layout families, dealt round-robin in a seeded order, and furniture from the pools below.

Reported per family and overall, for newsclean (``newsclean run`` on the pages, as
``noisy.py`` runs it) and trafilatura alone: P/R/F1 under the benchmark's protocol
(``metric.py``), catastrophes (clean text keeping < 70% of the true text, ``pages.py``;
rejected or missing pages count as empty text), and structure: the share of true paragraphs
that come out as a paragraph of their own, and the pages whose text holds a markdown table
row (``| cell | cell |``, trafilatura's rendering of a table). On the tune fold also the 12
worst newsclean pages. Writes bench/results/html_probe-<fold>.json unless --out says otherwise.

    python bench/html_probe.py [--fold tune|check] [--workdir DIR] [--out FILE] [--seed N]
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import random
import re
import shutil
import sys
import tempfile
from collections import Counter
from html import escape
from pathlib import Path
from typing import NamedTuple

import trafilatura

import contract
import folds
import metric
import pages
from noisy import run_newsclean
from quality import PREFECT_STARTUP_TIMEOUT_S, read_rows

SEED = 20261203
RESULTS = Path(__file__).resolve().parent / "results"
FAMILIES = ("table_br", "font_td", "div_col2", "frames_hr", "script_ads", "blog", "dateline", "cp1252")
EXTRACTORS = ("newsclean", "traf_default", "traf_precision")
WORST = 12
TABLE_ROW = re.compile(r"^\|.*\|[ \t]*$", re.M)  # how trafilatura writes a table row: "| cell | cell |"

TOWNS = ("Millbrook", "Harrow Falls", "Eastport", "Cedar Vale", "Kingsbridge", "Lowell Point", "Ashcombe", "Redfern",
         "Stonehaven", "Marlow Creek", "Pine Ridge", "Brackenfield", "Oakhurst", "Westerly")
PAPERS = ("Gazette", "Herald", "Tribune", "Courier", "Sentinel", "Examiner", "Chronicle", "Bugle", "Observer",
          "Daily News", "Record", "Star-Ledger", "Messenger", "Online")
SECTIONS = ("Home", "News", "Local", "Region", "Nation", "World", "Business", "Sports", "High School Sports",
            "Entertainment", "Movies", "Music", "Dining", "Opinion", "Letters", "Editorials", "Obituaries", "Weather",
            "Traffic", "Classifieds", "Jobs", "Autos", "Real Estate", "Rentals", "Contests", "Photo Galleries", "Video",
            "Blogs", "Forums", "Calendar", "Community", "Religion", "Health", "Technology", "Science", "Education",
            "Crime", "Courts", "Politics", "Archives", "Subscribe", "Place an Ad", "Contact Us", "RSS Feeds",
            "E-Edition", "Horoscopes", "Comics", "Puzzles")
SUBJECTS = ("Council", "Police", "Governor", "School board", "Local firm", "Hospital", "Residents", "Judge", "Mayor",
            "Lawmakers", "Fire crews", "Union", "Planners", "County officials")
VERBS = ("weighs", "rejects", "backs", "delays", "unveils", "questions", "defends", "approves", "probes", "seeks")
OBJECTS = ("new parking rules", "bridge repair plan", "budget cuts", "downtown rezoning", "water rate hike",
           "school merger", "tax break for plant", "bus route changes", "stadium proposal", "flood barrier",
           "library hours", "landfill expansion")
TEASE_A = ("Officials said on Tuesday", "Neighbors packed the hall", "A spokesman confirmed", "Critics argue",
           "The vote came late Monday", "Supporters say")
TEASE_B = ("that a decision could come within weeks", "after months of debate", "despite a last-minute appeal",
           "as costs keep climbing", "though details remain unclear", "ahead of the spring deadline")
NAMES = ("Carol Whitby", "Dean Marsh", "Rita Okonkwo", "Hal Brenner", "Wendy Liao", "Gus Albright", "Nora Feeney",
         "Tobias Kline", "Ines Varga", "Ray Dunmore")
HANDLES = ("Anonymous", "jenny_b", "Mark T.", "oldtimer52", "Rick from Ohio", "sandy", "K. Morrow", "bluegrass_fan",
           "Lou", "a reader")
COMMENT_A = ("Great post!", "Thanks for writing this.", "I have to disagree here.", "Well said.", "Interesting read.",
             "Not sure I buy this.", "Finally someone says it.", "Hmm.")
COMMENT_B = ("My neighbour said the same thing last week.", "Where did you find those numbers?",
             "Keep up the good work.", "This is exactly what I was worried about.",
             "I'll be sharing this with my family.", "Hope you follow up on this.",
             "First time commenting, long time reader.")
BLOGS = ("Coffee and Politics", "The Porch Light", "Rambling Rose", "Notes from Elm Street", "Dad Against the Machine",
         "Small Town Ledger", "The Daily Grind", "Left Lane Musings", "Half Past Seven", "Under the Water Tower")
TOOLBAR = ("Email this story", "E-mail to a friend", "Printer-friendly version", "Print this article", "Save", "Share",
           "Reprints", "Text size: A A A", "Comment", "Bookmark")
WEATHER = ("Sunny", "Partly cloudy", "Showers", "Overcast", "Light snow", "Thunderstorms")
AD_LABELS = ("Advertisement", "ADVERTISEMENT", "Sponsored links", "Ads by Sponsor", "- Advertisement -")
MONTHS = calendar.month_name[1:]
STATES = ("Ore.", "Ill.", "Mass.", "Pa.", "Texas", "Ga.", "Minn.", "Calif.", "Ohio", "N.C.")


class Page:
    """The furniture of one page: its site, date and rng, and invented boxes drawn from the pools."""

    def __init__(self, rng: random.Random, paragraphs: list[str]):
        self.rng, self.paragraphs = rng, paragraphs
        self.town = rng.choice(TOWNS)
        self.site = f"{rng.choice(('The ', ''))}{self.town} {rng.choice(PAPERS)}"
        self.year, self.month, self.day = rng.randint(2005, 2012), rng.randint(1, 12), rng.randint(1, 28)
        self.date = f"{MONTHS[self.month - 1]} {self.day}, {self.year}"
        self.headline = self.head()

    def head(self) -> str:
        return f"{self.rng.choice(SUBJECTS)} {self.rng.choice(VERBS)} {self.rng.choice(OBJECTS)}"

    def clock(self) -> str:
        return f"{self.rng.randint(1, 12)}:{self.rng.randint(0, 59):02d} {self.rng.choice(('AM', 'PM'))}"

    def link(self, text: str) -> str:
        slug = "-".join(text.lower().split())[:40]
        return f'<a href="/{slug}/{self.rng.randint(100, 9999)}.html">{escape(text)}</a>'

    def nav(self, low: int, high: int, sep: str = " | ") -> str:
        return sep.join(self.link(s) for s in self.rng.sample(SECTIONS, self.rng.randint(low, high)))

    def nav_table(self, low: int = 20, high: int = 40) -> str:
        rows = "".join(f'<tr><td class="navlink">{self.link(s)}</td></tr>' for s in
                       self.rng.sample(SECTIONS, min(len(SECTIONS), self.rng.randint(low, high))))
        return f'<table width="150" cellpadding="2" cellspacing="0" border="0">{rows}</table>'

    def toolbar(self) -> str:
        return " | ".join(self.link(t) for t in self.rng.sample(TOOLBAR, self.rng.randint(3, 6)))

    def related(self, low: int = 4, high: int = 8, teasers: bool = True) -> str:
        title = self.rng.choice(("Related stories", "More headlines", "Also in News", "Most popular", "Top stories"))
        items = "".join(f"<li>{self.link(self.head())}" + (f"<br><small>{self.rng.choice(TEASE_A)} "
                        f"{self.rng.choice(TEASE_B)}.</small>" if teasers else "") + "</li>"
                        for _ in range(self.rng.randint(low, high)))
        return f"<b>{title}</b><ul>{items}</ul>"

    def ad(self) -> str:
        w, h = self.rng.choice(((300, 250), (468, 60), (120, 600), (728, 90), (160, 600)))
        return (f'<div class="ad"><small>{self.rng.choice(AD_LABELS)}</small><br><a href="http://ads.example.net/'
                f'click?{self.rng.randint(10**5, 10**6)}"><img src="/ads/{w}x{h}.gif" width="{w}" height="{h}" border="0"></a></div>')

    def weather(self) -> str:
        temp = self.rng.randint(20, 95)
        return (f'<table class="weather" border="1"><tr><td><b>{self.town} Weather</b><br>{temp}&deg;F '
                f'{self.rng.choice(WEATHER)}<br>Hi {temp + self.rng.randint(2, 12)} Lo {temp - self.rng.randint(3, 15)}'
                f'<br>{self.link("5-day forecast")}</td></tr></table>')

    def stocks(self) -> str:
        rows = "".join(f"<tr><td>{name}</td><td>{self.rng.uniform(900, 14000):,.2f}</td>"
                       f"<td>{self.rng.uniform(-2, 2):+.2f}%</td></tr>" for name in ("DOW", "NASDAQ", "S&amp;P 500"))
        return (f'<table class="markets"><tr><th colspan="3">Markets</th></tr>{rows}<tr><td colspan="3"><small>'
                f'Quotes delayed {self.rng.choice((15, 20))} minutes</small> Get quote: <input size="6"> '
                '<input type="submit" value="Go"></td></tr></table>')

    def search(self) -> str:
        return ('<form action="/search"><input type="text" name="q" size="14"> <input type="submit" value="'
                f'{self.rng.choice(("Search", "Go", "Find"))}"> <input type="radio" name="w" checked> '
                f'{self.site} <input type="radio" name="w"> Web</form>')

    def login(self) -> str:
        return (f'<form action="/login"><b>{self.rng.choice(("Member login", "Sign in", "Log in"))}</b><br>'
                'Username <input name="u" size="10"><br>Password <input type="password" size="10"><br>'
                f'<input type="submit" value="Login"> {self.link("Forgot password?")} {self.link("Register free")}</form>')

    def poll(self) -> str:
        options = "".join(f'<input type="radio" name="p"> {o}<br>' for o in self.rng.choice(
            (("Yes", "No", "Not sure"), ("Strongly agree", "Agree", "Disagree"), ("Yes", "No"))))
        title = self.rng.choice(("Today's poll", "Quick vote", "Reader poll"))
        return (f'<form class="poll"><b>{title}</b><br>'
                f'Should the {self.rng.choice(OBJECTS)} go ahead?<br>{options}<input type="submit" value="Vote"> '
                f'{self.link("View results")} ({self.rng.randint(80, 5000):,} votes)</form>')

    def boxes(self, n: int) -> str:
        makers = (self.weather, self.stocks, self.search, self.login, self.poll, self.ad, self.related)
        return "<br>".join(maker() for maker in self.rng.sample(makers, n))

    def footer(self) -> str:
        owner = self.rng.choice((self.site, f"{self.town} Media Group", f"{self.town} Publishing Co."))
        notice = self.rng.choice((f"Copyright &copy; {self.year} {owner}. All rights reserved.",
                                  f"&copy; 2004-{self.year} {owner}", f"All content copyright {self.year} {owner}."))
        extra = self.rng.choice(("", f"Reproduction of material from any {self.site} pages without written permission "
                                 "is strictly prohibited.", f"Use of this site constitutes acceptance of our User "
                                 f"Agreement (updated {self.month}/{self.day}/{self.year})."))
        links = " | ".join(self.link(t) for t in self.rng.sample(
            ("Privacy Policy", "Terms of Service", "Contact Us", "Advertise", "Site Map", "About Us", "Corrections"), 4))
        return f'<div class="footer"><small>{links}<br>{notice} {extra}</small></div>'

    def head_html(self, charset: str | None = "utf-8") -> str:
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
        return (f'<html><head>{meta}<title>{escape(self.headline)} - {escape(self.site)}</title>'
                f'<link rel="stylesheet" href="/css/main.css"></head>')

    def masthead(self) -> str:
        return (f'<table width="100%" bgcolor="#003366"><tr><td><a href="/"><img src="/img/logo.gif" '
                f'alt="{escape(self.site)}"></a></td><td align="right"><font color="white">{self.date}</font></td>'
                f'</tr><tr><td colspan="2">{self.nav(6, 12)}</td></tr></table>')

    def byline(self) -> str:
        return self.rng.choice((f"By {self.rng.choice(NAMES)}", f"By {self.rng.choice(NAMES).upper()}",
                                f"{self.rng.choice(NAMES)}, Staff Writer", f"Posted {self.date} {self.clock()}"))

    def paras(self) -> list[str]:
        return [escape(p, quote=False) for p in self.paragraphs]


def table_br(p: Page) -> str:
    """(a) Nested tables; the body in a <td>, paragraphs separated by <br><br>."""
    body = "<br><br>\n".join(p.paras())
    inner = (f'<table width="100%" cellpadding="4"><tr><td class="headline"><b><font size="4">{escape(p.headline)}'
             f'</font></b><br><i>{p.byline()}</i><br>{p.date}</td></tr><tr><td class="bodytext">{body}</td></tr>'
             f'<tr><td>{p.toolbar()}</td></tr></table>')
    return (f'{p.head_html()}<body>{p.masthead()}<table width="780" border="0"><tr><td valign="top" width="150">'
            f'{p.nav_table(10, 20)}</td><td valign="top">{inner}</td><td valign="top" width="160">{p.boxes(2)}'
            f'</td></tr></table>{p.footer()}</body></html>')


def font_td(p: Page) -> str:
    """(b) Each paragraph wrapped in <font face=...> inside one <td>; a <b> headline; side boxes."""
    face = p.rng.choice(("Verdana, Arial, Helvetica", "Arial, Helvetica, sans-serif", "Georgia, Times New Roman"))
    sep = p.rng.choice(("<br><br>", "<p>"))
    body = "\n".join(f'<font face="{face}" size="2">{t}</font>{sep}' for t in p.paras())
    return (f'{p.head_html(p.rng.choice(("utf-8", "UTF-8")))}<body bgcolor="#ffffff">{p.masthead()}'
            f'<table width="100%"><tr><td width="170" valign="top">{p.boxes(3)}</td>'
            f'<td valign="top"><font face="{face}" size="5"><b>{escape(p.headline)}</b></font><br>'
            f'<font face="{face}" size="1">{p.byline()} | {p.date}</font><br><br>{body}'
            f'<br>{p.toolbar()}</td></tr></table>{p.footer()}</body></html>')


def div_col2(p: Page) -> str:
    """(c) <div id="col2"> body in <p>; a left nav table of 20-40 links; a right sidebar of
    related headlines with one-sentence teasers."""
    body = "\n".join(f"<p>{t}</p>" for t in p.paras())
    return (f'{p.head_html()}<body><div id="header">{p.masthead()}{p.search()}</div>'
            f'<div id="col1">{p.nav_table()}</div><div id="col2"><h2>{escape(p.headline)}</h2>'
            f'<div class="byline">{p.byline()}</div><div class="date">{p.date}</div>{body}'
            f'<div class="tools">{p.toolbar()}</div></div><div id="col3">{p.related(5, 8)}{p.ad()}'
            f'{p.related(4, 6, teasers=False)}</div><div id="footer">{p.footer()}</div></body></html>')


def frames_hr(p: Page) -> str:
    """(d) Frames-era: a print/email toolbar row, the body in chunks split by <hr>, paragraphs by <p>."""
    paras = p.paras()
    cuts = sorted(p.rng.sample(range(1, len(paras)), min(len(paras) - 1, p.rng.randint(1, 3)))) if len(paras) > 1 else []
    chunks = [paras[a:b] for a, b in zip([0, *cuts], [*cuts, len(paras)])]
    body = '\n<hr noshade size="1">\n'.join("<p>".join(chunk) for chunk in chunks)
    bar = f'<tr bgcolor="#dddddd"><td><small>{p.toolbar()}</small></td></tr>'
    return (f'{p.head_html("utf-8")}<body marginwidth="0" marginheight="0"><table width="640" cellspacing="0">'
            f'<tr><td><img src="/img/top.gif" alt="{escape(p.site)}"><br>{p.nav(4, 8, " :: ")}</td></tr>{bar}'
            f'<tr><td><h3>{escape(p.headline)}</h3><small>{p.byline()} - {p.date}</small><hr size="1"><p>{body}'
            f'</td></tr>{bar}<tr><td>{p.link("Back to top")} | {p.link("Return to index")}</td></tr></table>'
            f'{p.footer()}</body></html>')


def script_ads(p: Page) -> str:
    """(e) <p> paragraphs with document.write ad scripts and <noscript> between them, and an
    image caption with its credit."""
    parts, domain = [], p.site.lower().replace("the ", "").replace(" ", "").replace("-", "") + ".com"
    for index, text in enumerate(p.paras()):
        parts.append(f"<p>{text}</p>")
        if index < len(p.paragraphs) - 1 and p.rng.random() < 0.35:
            n = p.rng.randint(10**6, 10**7)
            parts.append(f"<script type=\"text/javascript\">document.write('<scr'+'ipt src=\"http://ads.example.net/"
                         f"js.ng/site={domain}&amp;ord={n}\"></scr'+'ipt>');</script><noscript><a href=\"http://ads."
                         f"example.net/click.ng?{n}\"><img src=\"http://ads.example.net/image.ng?{n}\" alt=\"Click here\">"
                         f"</a> {p.rng.choice(AD_LABELS)}</noscript>")
    caption = (f'<div class="photo"><img src="/photos/{p.year}/{p.rng.randint(1000, 9999)}.jpg" width="300"><div '
               f'class="caption">{p.rng.choice(SUBJECTS)} at the meeting on {p.rng.choice(("Monday", "Tuesday", "Friday"))}'
               f'. <span class="credit">({p.rng.choice(("Photo", "Staff photo", "File photo"))}: {p.rng.choice(NAMES)}'
               f' / {escape(p.site)})</span></div></div>')
    parts.insert(min(1, len(parts)), caption)
    return (f'{p.head_html()}<body>{p.masthead()}<table><tr><td valign="top"><h1>{escape(p.headline)}</h1>'
            f'<p class="byline">{p.byline()}</p>{"".join(parts)}<p>{p.toolbar()}</p></td><td valign="top">'
            f'{p.boxes(3)}</td></tr></table>{p.footer()}</body></html>')


def blog(p: Page) -> str:
    """(f) A 2008 blog post: body, "Posted by X at 10:42 PM | 3 comments", 3-6 comments, a blogroll."""
    author, n = p.rng.choice(NAMES).split()[0], p.rng.randint(3, 6)
    sep = p.rng.choice(("<br /><br />", "</p><p>"))
    comments = "".join(f'<dt class="comment-author"><a href="/profile/{p.rng.randint(10, 999)}">{p.rng.choice(HANDLES)}'
                       f'</a> said...</dt><dd class="comment-body"><p>{p.rng.choice(COMMENT_A)} {p.rng.choice(COMMENT_B)}'
                       f'</p></dd><dd class="comment-footer">{MONTHS[p.month - 1]} {p.day + 1}, {p.year} {p.clock()}</dd>'
                       for _ in range(n))
    roll = "".join(f"<li>{p.link(name)}</li>" for name in p.rng.sample(BLOGS, p.rng.randint(4, 8)))
    archive = "".join(f"<li>{p.link(f'{MONTHS[m]} {p.year}')} ({p.rng.randint(2, 30)})</li>" for m in range(p.month))
    return (f'{p.head_html()}<body><div id="outer-wrapper"><div id="header"><h1>{p.rng.choice(BLOGS)}</h1>'
            f'<p>{p.rng.choice(("Thoughts on life in", "News and views from", "Rants and raves about"))} {p.town}</p></div>'
            f'<div id="main-wrapper"><h2 class="date-header">{p.date}</h2><div class="post"><h3 class="post-title">'
            f'{escape(p.headline)}</h3><div class="post-body"><p>{sep.join(p.paras())}</p></div><div class="post-footer">'
            f'Posted by {author} at {p.clock()} | {p.link(f"{n} comments")} | Labels: {p.nav(2, 3, ", ")}</div></div>'
            f'<div id="comments"><h4>{n} comments:</h4><dl id="comments-block">{comments}</dl>{p.link("Post a Comment")}'
            f'</div></div><div id="sidebar-wrapper"><h2>Blogroll</h2><ul>{roll}</ul><h2>Blog Archive</h2><ul>{archive}'
            f'</ul><h2>About Me</h2><p>{author}, {p.town}. {p.link("View my complete profile")}</p></div></div></body></html>')


def dateline(p: Page) -> str:
    """(g) Headline in <title> and <h1>, a dateline opening the first paragraph, and a
    "Story continues below" line mid-body."""
    paras = p.paras()
    if paras and not contract.match_dateline(p.paragraphs[0]):
        agency = "".join(w[0] for w in p.site.replace("The ", "").split()).upper()
        paras[0] = p.rng.choice((f"{p.town.upper()}, {p.rng.choice(STATES)} -- ", f"{p.town.upper()} ({agency}) - ",
                                 f"{p.town.upper()}, {MONTHS[p.month - 1][:3]}. {p.day} - ")) + paras[0]
    label = p.rng.choice(("Story continues below", "STORY CONTINUES BELOW", "Article continues below"))
    middle = f'<div class="adlabel">{label}</div>{p.ad()}'
    if len(paras) > 2:
        paras.insert(len(paras) // 2, middle)
    body = "\n".join(t if t.startswith("<div") else f"<p>{t}</p>" for t in paras)
    return (f'{p.head_html()}<body>{p.masthead()}<div id="content"><div id="storyhead"><h1>{escape(p.headline)}</h1>'
            f'<span class="byline">{p.byline()}</span> <span class="date">{p.date} {p.clock()}</span><div class="tools">'
            f'{p.toolbar()}</div></div><div id="storybody">{body}</div><div class="tools">{p.toolbar()}</div></div>'
            f'<div id="sidebar">{p.related(5, 7, teasers=False)}{p.boxes(2)}</div>{p.footer()}</body></html>')


def cp1252(p: Page) -> str:
    """(h) A table page written as windows-1252 bytes: half declare the charset, half declare none."""
    charset = p.rng.choice(("windows-1252", None))
    body = "\n".join(f"<p>{t}</p>" if p.rng.random() < 0.5 else f"{t}<br><br>" for t in p.paras())
    return (f'{p.head_html(charset)}<body><table width="760" cellpadding="0" cellspacing="0"><tr><td colspan="2">'
            f'{p.masthead()}</td></tr><tr><td valign="top" width="140">{p.nav_table(12, 24)}{p.weather()}</td>'
            f'<td valign="top"><font face="Times New Roman"><b><font size="+2">{escape(p.headline)}</font></b><br>'
            f'{p.byline()}<br>{p.date}<br><br>{body}</font><br>{p.toolbar()}<br>{p.related(3, 5, teasers=False)}</td>'
            f'</tr></table>{p.footer()}</body></html>')


RENDERERS = {f.__name__: f for f in (table_br, font_td, div_col2, frames_hr, script_ads, blog, dateline, cp1252)}


class ProbePage(NamedTuple):
    page_id: str
    family: str
    name: str  # the file name without .html
    data: bytes


def build_pages(truth: dict[str, str], ids: list[str], seed: int) -> list[ProbePage]:
    """One page per id: families dealt round-robin in a seeded order; a body that does not
    encode in cp1252 never gets the cp1252 family (it takes another at random)."""
    order = sorted(ids)
    random.Random(f"{seed}:order").shuffle(order)
    built = []
    for index, page_id in enumerate(order):
        rng = random.Random(f"{seed}:{page_id}:html")
        family = FAMILIES[index % len(FAMILIES)]
        if family == "cp1252" and truth[page_id].encode("cp1252", "replace").decode("cp1252") != truth[page_id]:
            family = rng.choice(FAMILIES[:-1])
        html = RENDERERS[family](Page(rng, [line.strip() for line in truth[page_id].splitlines() if line.strip()]))
        data = html.encode("cp1252" if family == "cp1252" else "utf-8")
        built.append(ProbePage(page_id, family, f"{page_id[:16]}-{family}", data))
    return sorted(built, key=lambda page: page.name)


def read_newsclean(output: Path) -> tuple[dict[str, dict], dict[str, str]]:
    """File name -> the article's text and title, and file name -> reject reason."""
    articles = {Path(row["source_path"]).name.removesuffix(".html"): {k: row[k] or "" for k in ("text", "title")}
                for row in read_rows(output / "articles", ["source_path", "text", "title"])}
    rejects = {Path(r["source_path"]).name.removesuffix(".html"): r["reason"]
               for r in read_rows(output / "rejects", ["source_path", "reason"])}
    return articles, rejects


def score_group(probe: list[ProbePage], truth: dict[str, str], texts: dict[str, dict[str, str]]) -> dict:
    """Per extractor over some pages: P/R/F1, catastrophes, the share of true paragraphs
    that are a paragraph of their own, and pages holding a table row."""
    row: dict = {"pages": len(probe)}
    raw = {page.name: truth[page.page_id] for page in probe}
    paragraphs = [(page.name, words) for page in probe for line in truth[page.page_id].splitlines()
                  if len(words := tuple(metric.tokenize(line))) >= 4]  # true paragraphs of four words or more
    for extractor in EXTRACTORS:
        predicted = {page.name: texts[extractor][page.name] for page in probe}
        lines = {name: {tuple(metric.tokenize(line)) for line in text.splitlines()} for name, text in predicted.items()}
        row[extractor] = {
            "scores": metric.score_bodies(raw, predicted).as_dict(),
            "catastrophes": sum(pages.score_page(n, raw[n], None, predicted[n]).is_catastrophe for n in raw),
            "whole_paragraphs": round(sum(w in lines[n] for n, w in paragraphs) / max(1, len(paragraphs)), 4),
            "table_row_pages": sum(1 for text in predicted.values() if TABLE_ROW.search(text)),
        }
    return row


def print_tables(results: dict) -> None:
    """Scores, then structure, one line per family and overall."""
    rows = [*results["families"].items(), ("OVERALL", results["overall"])]
    print(f"\n{'family':<11} {'pages':>5} | " + " | ".join(f"{name:^25}" for name in EXTRACTORS) + " | rej")
    print(f"{'':<17} | " + " | ".join(f"{'P':>6} {'R':>6} {'F1':>6} {'<70%':>4}" for _ in EXTRACTORS) + " |")
    for name, row in rows:
        cells = " | ".join(f"{row[e]['scores']['precision']:6.3f} {row[e]['scores']['recall']:6.3f}"
                           f" {row[e]['scores']['f1']:6.3f} {row[e]['catastrophes']:4d}" for e in EXTRACTORS)
        print(f"{name:<11} {row['pages']:5d} | {cells} | {row['rejected']:3d}")
    print("\nstructure: share of true paragraphs (4+ words) that are a paragraph of their own in the text (whole);"
          " pages whose text holds a markdown table row (rows)")
    print(f"{'family':<11} | " + " | ".join(f"{e:>14} {'rows':>4}" for e in EXTRACTORS))
    for name, row in rows:
        print(f"{name:<11} | " + " | ".join(f"{row[e]['whole_paragraphs']:14.3f} {row[e]['table_row_pages']:4d}"
                                          for e in EXTRACTORS))


def worst_pages(probe: list[ProbePage], truth: dict[str, str], texts: dict[str, dict[str, str]],
                articles: dict[str, dict], rejects: dict[str, str]) -> list[dict]:
    """Every page's newsclean F1, kept share and title (and trafilatura's F1), worst first."""
    figures = [{"page": page.name, "family": page.family,
                "f1": pages.page_f1(truth[page.page_id], texts["newsclean"][page.name]),
                "kept_share": pages.kept_share(truth[page.page_id], None, texts["newsclean"][page.name]),
                "traf_f1": pages.page_f1(truth[page.page_id], texts["traf_default"][page.name]),
                "title": articles.get(page.name, {}).get("title"),
                "rejected": rejects.get(page.name)} for page in probe]
    return sorted(figures, key=lambda f: (f["f1"], f["page"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fold", choices=(folds.TUNE, folds.CHECK), default=folds.TUNE)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--out", type=Path, help="results JSON (default: bench/results/html_probe-<fold>.json)")
    parser.add_argument("--seed", type=int, default=SEED, help="another seed deals other layouts and furniture")
    args = parser.parse_args(argv)
    args.out = args.out or RESULTS / f"html_probe-{args.fold}.json"
    truth = metric.load_bodies(metric.DEFAULT_BENCHMARK / "ground-truth.json")
    with (metric.DEFAULT_BENCHMARK / "ground-truth.json").open(encoding="utf-8") as handle:
        urls = {k: v.get("url") or "" for k, v in json.load(handle).items()}
    probe = build_pages(truth, [p for p in truth if folds.fold_of(urls[p]) == args.fold and truth[p].strip()], args.seed)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="html-probe-"))
    inputs, output = work / f"in-{args.fold}", work / f"out-{args.fold}"
    for folder in (inputs, output):
        shutil.rmtree(folder, ignore_errors=True)  # a fresh run: the ledger would skip known inputs
    inputs.mkdir(parents=True)
    for page in probe:
        (inputs / f"{page.name}.html").write_bytes(page.data)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(PREFECT_STARTUP_TIMEOUT_S))
    run_newsclean(inputs, output)
    articles, rejects = read_newsclean(output)

    texts = {"newsclean": {page.name: articles.get(page.name, {}).get("text", "") for page in probe}}
    for name, precision in (("traf_default", False), ("traf_precision", True)):
        texts[name] = {page.name: trafilatura.extract(page.data, favor_precision=precision) or "" for page in probe}

    def group(members: list[ProbePage]) -> dict:
        row = score_group(members, truth, texts)
        return row | {"rejected": sum(1 for page in members if page.name not in articles)}

    results: dict = {
        "fold": args.fold, "seed": args.seed, "pages": len(probe),
        "families": {family: group([page for page in probe if page.family == family]) for family in FAMILIES},
        "overall": group(probe),
        "rejects": dict(Counter(rejects.values())),
        "missing": sum(1 for page in probe if page.name not in articles and page.name not in rejects),
    }
    print(f"html probe, {args.fold} fold: {len(probe)} pages, seed {args.seed}; P/R/F1 of the benchmark's protocol,"
          " <70%: catastrophes, rej: rejected or missing (scored as empty)")
    print_tables(results)
    if results["rejects"] or results["missing"]:
        print(f"rejected: {results['rejects']}, missing: {results['missing']}")
    if args.fold == folds.TUNE:
        figures = worst_pages(probe, truth, texts, articles, rejects)
        print(f"\n{WORST} worst newsclean pages (page, family, F1, kept share; trafilatura default F1):")
        for f in figures[:WORST]:
            print(f"  {f['page'][:16]} {f['family']:<11} F1 {f['f1']:.3f} kept {f['kept_share']:.2f}"
                  f"  traf {f['traf_f1']:.3f}{'  rejected: ' + f['rejected'] if f['rejected'] else ''}")
        results["worst_tune_pages"], results["tune_pages"] = figures[:WORST], figures
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.out} (pages in {inputs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
