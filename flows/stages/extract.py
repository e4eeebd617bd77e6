"""Extract: the main content of HTML pages as text with paragraph breaks.

trafilatura finds the main content (and title, date, canonical URL); when it finds
nothing, BeautifulSoup's visible text of the page is the fallback, so a page is never
dropped for want of a known layout. The extracted text is then repaired like text
input. Text documents pass through unchanged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

import trafilatura
from bs4 import BeautifulSoup

from flows.settings import ExtractSettings
from flows.stages.decode import repair_text
from flows.stages.records import Document, Reject, Shard, stage_error

STAGE = "extract"
_BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
    "article", "blockquote", "pre", "header", "footer", "dd", "dt", "figcaption",
)
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head")
_BLANK_RUNS = re.compile(r"\n\s*\n\s*")

logging.getLogger("trafilatura").setLevel(logging.ERROR)


def extract_shard(shard: Shard, settings: ExtractSettings) -> Shard:
    """Extract the main text of every HTML document; pages with no text become rejects."""
    documents: list[Document] = []
    rejects = list(shard.rejects)
    for doc in shard.documents:
        try:
            result = extract_document(doc, settings) if doc.kind == "html" else doc
        except Exception as exc:  # a bad document never fails its shard
            result = stage_error(doc, STAGE, exc)
        (documents if isinstance(result, Document) else rejects).append(result)
    return shard.with_(documents=tuple(documents), rejects=tuple(rejects))


def extract_document(doc: Document, settings: ExtractSettings) -> Document | Reject:
    """Main text and metadata of one HTML document."""
    page = doc.text or ""
    text, meta, method = extract_main_text(page, doc.url, settings)
    if not text.strip():
        return Reject(doc.source_path, "no_content", "no visible text in the page", STAGE)
    text, fixes = repair_text(text)
    return replace(
        doc,
        text=text,
        title=doc.title or meta.get("title"),
        url=doc.url or meta.get("url"),
        published_hint=doc.published_hint or meta.get("date"),
        encoding_fixes=doc.encoding_fixes + tuple(f for f in fixes if f not in doc.encoding_fixes)
        + ((method,) if method != "trafilatura" else ()),
    )


def extract_main_text(
    page: str, url: str | None, settings: ExtractSettings
) -> tuple[str, dict[str, str], str]:
    """(text, metadata, method): trafilatura's main content, else all visible text."""
    try:
        result = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            favor_precision=settings.favor_precision,
            favor_recall=settings.favor_recall,
            include_tables=settings.include_tables,
            include_comments=settings.include_comments,
        )
    except Exception:  # trafilatura raises assorted parser errors on broken markup
        result = None
    meta: dict[str, str] = {}
    if result is not None:
        meta = {k: str(getattr(result, k)) for k in ("title", "date", "url") if getattr(result, k, None)}
        text = getattr(result, "text", None) or ""
        if text.strip():
            return text, meta, "trafilatura"
    return visible_text(page), meta, "fallback_visible_text"


def visible_text(page: str) -> str:
    """All visible text of a page, one block element per line.

    >>> visible_text("<html><body><p>One</p><script>x=1</script><div>Two <b>three</b></div></body></html>")
    'One\\n\\nTwo three'
    """
    soup = BeautifulSoup(page, "lxml")
    for tag in soup(_INVISIBLE_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
