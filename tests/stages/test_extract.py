"""Extract: the main text of an HTML page, with paragraph breaks and its metadata."""

from __future__ import annotations

import pytest

from flows.stages.decode import decode_document
from flows.stages.extract import extract_document, extract_shard, visible_text
from flows.stages.ingest import make_document
from flows.stages.records import Document, Reject, Shard
from tests.stages.council_story import PARAGRAPHS, TITLE

URL = "https://riversideherald.example/news/2023/06/14/council-budget-vote"

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{TITLE} | Riverside Herald</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:url" content="{URL}">
<link rel="canonical" href="{URL}">
<meta property="article:published_time" content="2023-06-14T22:45:00+00:00">
<script>window.dataLayer = window.dataLayer || []; gtag('config', 'UA-1234');</script>
</head>
<body>
<header class="site-header">
  <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
</header>
<main>
<article>
  <h1>{TITLE}</h1>
  {"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
</main>
<footer class="site-footer"><p>Contact us | Privacy policy | Terms of use</p>
<p>© 2023 Riverside Herald Media Group. All rights reserved.</p></footer>
<script>var tracking = {{"page": "article", "section": "news"}};</script>
</body>
</html>"""


def page_document(page: str, settings, **fields) -> Document:
    doc = make_document("pages/council.html", "html", page.encode("utf-8"), **fields)
    decoded = decode_document(doc, settings.decode)
    assert isinstance(decoded, Document)
    return decoded


def extract(page: str, settings, **fields) -> Document | Reject:
    return extract_document(page_document(page, settings, **fields), settings.extract)


@pytest.fixture(scope="module")
def news(settings) -> Document:
    doc = extract(NEWS_PAGE, settings)
    assert isinstance(doc, Document)
    return doc


def test_main_text_holds_every_paragraph_on_its_own_line(news):
    lines = [line.strip() for line in news.text.splitlines() if line.strip()]
    for paragraph in PARAGRAPHS:
        assert paragraph in lines, "each <p> is one line, whole"
    positions = [news.text.index(p) for p in PARAGRAPHS]
    assert positions == sorted(positions), "in page order"


@pytest.mark.parametrize(
    "unwanted, why",
    [
        ("Opinion", "navigation menu"),
        ("Privacy policy", "footer links"),
        ("All rights reserved", "footer copyright"),
        ("dataLayer", "script in the head"),
        ("tracking", "script in the body"),
        ("Riverside Herald", "site name from <title>"),
    ],
)
def test_page_chrome_is_left_out(unwanted, why, news):
    assert unwanted not in news.text, why


def test_metadata_comes_from_the_page(news):
    assert news.title == TITLE
    assert news.url == URL
    assert news.published_hint and news.published_hint.startswith("2023-06-14")
    assert news.kind == "html" and news.raw is None
    assert "fallback_visible_text" not in news.encoding_fixes


def test_metadata_from_the_input_record_wins_over_the_page(settings):
    doc = extract(NEWS_PAGE, settings, title="Budget passes", url="https://feed.example/1",
                  published_hint="2023-06-15")
    assert (doc.title, doc.url, doc.published_hint) == ("Budget passes", "https://feed.example/1", "2023-06-15")


NO_CONTENT_CASES = [
    ("<html><head><title>x</title><script>var a = 1;</script></head><body></body></html>",
     "only a script"),
    ("<html><body><style>p { color: red }</style><noscript></noscript></body></html>",
     "only a style sheet"),
    ("<html><body><div>   \n  </div><p>&nbsp;</p></body></html>", "only white space"),
]


@pytest.mark.parametrize("page, why", NO_CONTENT_CASES, ids=[c[1] for c in NO_CONTENT_CASES])
def test_page_without_text_is_rejected(page, why, settings):
    reject = extract(page, settings)
    assert isinstance(reject, Reject), why
    assert (reject.reason, reject.stage, reject.source_path) == ("no_content", "extract", "pages/council.html")


def test_page_trafilatura_finds_nothing_in_falls_back_to_visible_text(settings):
    page = (
        "<html><body><div class='comments'><p>Great reporting on the council vote, "
        "thanks for covering the library hours.</p></div></body></html>"
    )
    doc = extract(page, settings)
    assert isinstance(doc, Document)
    assert doc.text == "Great reporting on the council vote, thanks for covering the library hours."
    assert "fallback_visible_text" in doc.encoding_fixes, "the method is recorded"


def test_mojibake_in_page_text_is_repaired_after_extraction(settings):
    page = NEWS_PAGE.replace("mayor’s office", "mayor\u00e2\u20ac\u2122s office").replace(
        "<h1>", "<p>Caf\u00c3\u00a9 owners &amp;amp; residents packed the gallery.</p><h1>"
    )
    doc = extract(page, settings)
    assert "mayor’s office" in doc.text
    assert "Café owners & residents packed the gallery." in doc.text
    assert "mojibake" in doc.encoding_fixes
    assert "\u00e2\u20ac" not in doc.text


def test_visible_text_puts_block_elements_on_their_own_lines():
    page = (
        "<html><head><title>T</title></head><body><h2>Budget</h2><p>One <b>bold</b> claim.</p>"
        "<ul><li>Police</li><li>Libraries</li></ul><script>x = 1</script><p>Last.</p></body></html>"
    )
    assert visible_text(page) == "Budget\n\nOne bold claim.\n\nPolice\n\nLibraries\n\nLast."


def test_text_documents_pass_through_unchanged(settings):
    text_doc = decode_document(make_document("a.txt", "text", b"The council voted 9-4."), settings.decode)
    shard = extract_shard(Shard(0, (text_doc, page_document(NEWS_PAGE, settings))), settings.extract)
    assert shard.documents[0] == text_doc
    assert PARAGRAPHS[0] in shard.documents[1].text


def test_extract_shard_turns_empty_pages_into_rejects(settings):
    empty = page_document(NO_CONTENT_CASES[0][0], settings)
    shard = extract_shard(Shard(0, (empty,)), settings.extract)
    assert shard.documents == ()
    assert [r.reason for r in shard.rejects] == ["no_content"]
