"""Extract: the main content of HTML pages as text with paragraph breaks.

No one extractor is trusted. trafilatura in the configured mode (precision) finds the
main content, title, date and canonical URL; resiliparse's main content, a fast second
opinion, says how much prose the page holds. When the first output's prose is much
shorter than that, trafilatura's fuller modes run too, and the output with the most
prose is taken (resiliparse's own when every trafilatura output is still much shorter):
a fuller text with some junk is the cleaner's job, a lost article is lost. When nothing
is found, BeautifulSoup's visible text of the page is the fallback, so a page is never
dropped for want of a known layout. The method is recorded when it is not the first
mode's. The extracted text is then repaired like text input. Text documents pass
through unchanged.

Tables that lay a page out (the 2000s web: the story in one cell, menus and boxes in the
others) are read as blocks first (`unwrap_layout_tables`): as tables, the story's cell
came out as one row, its paragraphs, headline, byline and toolbar glued into one line
that no paragraph rule could take apart. Tables of data (scores, prices) stay tables.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import lxml.html
import trafilatura
from bs4 import BeautifulSoup
from lxml.etree import ParserError
from resiliparse.extract.html2text import extract_plain_text
from trafilatura.settings import Document as TrafilaturaResult

from newsclean.settings import ExtractSettings
from newsclean.stages.decode import repair_text
from newsclean.stages.records import Document, Reject, Shard, stage_error
from newsclean.stages.words import count_words

STAGE = "extract"
_BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
    "article", "blockquote", "pre", "header", "footer", "dd", "dt", "figcaption",
)
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head")
_BLANK_RUNS = re.compile(r"\n\s*\n\s*")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»)\]。！？」』]$")
FIRST_METHOD = "trafilatura"  # the configured first mode: not recorded
FALLBACK_METHOD = "fallback_visible_text"

logging.getLogger("trafilatura").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Extraction:
    """One extractor's text for a page, named by its method, with its words of prose."""

    method: str
    text: str
    prose_words: int


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
        + ((method,) if method != FIRST_METHOD else ()),
    )


def extract_main_text(
    page: str, url: str | None, settings: ExtractSettings
) -> tuple[str, dict[str, str], str]:
    """(text, metadata, method): the fullest trustworthy main content, else all visible text."""
    page = unwrap_layout_tables(page, settings.layout_cell_words)
    first, meta = trafilatura_first(page, url, settings)
    opinion = resiliparse_text(page, settings) if settings.second_opinion == "resiliparse" else None
    chosen = choose_extraction(
        first, lambda mode: trafilatura_text(page, url, mode, settings), opinion, settings
    )
    if chosen.text.strip():
        return chosen.text, meta, chosen.method
    return visible_text(page), meta, FALLBACK_METHOD


_TABLE_TAG = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_PARTS = ("table", "tbody", "thead", "tfoot", "tr", "td", "th")


def unwrap_layout_tables(page: str, cell_words: int) -> str:
    """The page with its layout tables turned into blocks (`div`s), so extractors read
    the story's cell as paragraphs; the page as given when it has none (or `cell_words`
    is 0).

    A table lays the page out when it holds another table, says so (`role="presentation"`),
    or has a cell of `cell_words` words or more: a cell of data (a score, a price, a
    name) is short.

    >>> page = ("<html><body><table><tr><td><a href='/'>Home</a></td><td>" + "<br><br>".join(
    ...     ["The council voted late on Tuesday to keep every library branch open."] * 5) + "</td></tr></table></body></html>")
    >>> "<table" in unwrap_layout_tables(page, 40), "<table" in unwrap_layout_tables(page, 400)
    (False, True)
    """
    if cell_words <= 0 or not _TABLE_TAG.search(page):
        return page
    try:
        root = lxml.html.document_fromstring(page)
        layout = [table for table in root.iter("table") if is_layout_table(table, cell_words)]
        if not layout:
            return page
        for table in layout:  # decided first: a data table inside a layout table stays a table
            for part in own_parts(table):
                if part.tag in ("td", "th"):
                    paragraphise(part)
                part.tag = "div"
        return lxml.html.tostring(root, encoding="unicode")
    except (ParserError, ValueError, RecursionError):  # empty, undecodable or absurdly deep markup:
        return page  # the extractors judge the page as given


def is_layout_table(table, cell_words: int) -> bool:
    """Whether a table lays the page out rather than holds data (`unwrap_layout_tables`)."""
    if (table.get("role") or "").lower() == "presentation" or table.find(".//table") is not None:
        return True
    return any(count_words(cell.text_content()) >= cell_words for cell in table.iter("td", "th"))


_BLOCKS = frozenset({
    "p", "div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "form", "hr", "section", "article", "aside", "nav", "header", "footer", "figure", "center",
})


def paragraphise(cell) -> None:
    """Wrap a cell's loose text and inline elements into paragraphs, one per run between
    line breaks (`<br>`) and blocks: a cell's story often has no `<p>` ("text<br><br>text"),
    and read as a block its text outside paragraphs goes missing.

    >>> cell = lxml.html.fragment_fromstring("<td>One <b>two</b><br><br>Three<p>Four</p>five</td>")
    >>> paragraphise(cell); lxml.html.tostring(cell, encoding="unicode")
    '<td><p>One <b>two</b></p><p>Three</p><p>Four</p><p>five</p></td>'
    >>> cell = lxml.html.fragment_fromstring("<td><font><b>Head</b><br>One<br><br>Two</font></td>")
    >>> paragraphise(cell); lxml.html.tostring(cell, encoding="unicode")
    '<td><div><p><b>Head</b></p><p>One</p><p>Two</p></div></td>'
    """
    runs: list = []
    current = None

    def paragraph():
        """The paragraph being filled, opened when there is none."""
        nonlocal current
        if current is None:
            current = lxml.html.Element("p")
            runs.append(current)
        return current

    def add_text(text: str | None) -> None:
        if text and text.strip():
            p = paragraph()
            if len(p):
                p[-1].tail = (p[-1].tail or "") + text
            else:
                p.text = (p.text or "") + text

    add_text(cell.text)
    for child in list(cell):
        tail, child.tail = child.tail, None
        if child.tag == "br":
            current = None
        elif not isinstance(child.tag, str) or child.tag in _BLOCKS:  # a block, or a comment
            runs.append(child)
            current = None
        elif holds_blocks(child):  # an inline wrapper round the story (<font>, <span>) is a block too
            paragraphise(child)
            child.tag = "div"
            runs.append(child)
            current = None
        else:
            paragraph().append(child)
        add_text(tail)
    cell.text = None
    for child in list(cell):
        cell.remove(child)
    cell.extend(runs)


def holds_blocks(element) -> bool:
    """Whether an element holds a line break or a block."""
    return any(d.tag == "br" or d.tag in _BLOCKS for d in element.iterdescendants() if isinstance(d.tag, str))


def own_parts(table) -> list:
    """The table, its row groups, rows and cells, not those of a table inside it."""
    parts = [table]
    for element in table.iter(*_TABLE_PARTS[1:]):
        if next(element.iterancestors("table"), None) is table:
            parts.append(element)
    return parts


def choose_extraction(
    first: Extraction,
    run_mode: Callable[[str], Extraction],
    opinion: Extraction | None,
    settings: ExtractSettings,
) -> Extraction:
    """The first output, unless it is much shorter in prose than a fuller one.

    The fuller modes run (through `run_mode`) only when the first output is much shorter
    than the second opinion, or on every page when there is none.
    """
    if opinion is not None and not is_much_shorter(first, opinion, settings):
        return first
    fullest = first
    for candidate in (run_mode(mode) for mode in settings.fuller_modes):
        if candidate.prose_words > fullest.prose_words:
            fullest = candidate
    if opinion is not None and is_much_shorter(fullest, opinion, settings):
        return opinion  # every trafilatura mode returned a fragment
    return fullest if is_much_shorter(first, fullest, settings) else first


def is_much_shorter(short: Extraction, full: Extraction, settings: ExtractSettings) -> bool:
    """Whether `short` holds at most `much_shorter_share` of the prose words of `full`.

    >>> s = ExtractSettings()
    >>> is_much_shorter(Extraction("a", "", 40), Extraction("b", "", 400), s)
    True
    >>> is_much_shorter(Extraction("a", "", 300), Extraction("b", "", 400), s)
    False
    """
    return full.prose_words > 0 and short.prose_words <= settings.much_shorter_share * full.prose_words


def prose_words(text: str, min_words: int) -> int:
    """Words in the text's sentence-like paragraphs: menus, link lists and titles count 0.

    A paragraph is prose when it has `min_words` words and ends like a sentence, or has
    twice as many. A line opening in lower case continues the line before (hard-wrapped
    text), so a wrapped paragraph counts as one.

    >>> prose_words("Home\\nNews\\nSport\\nThe council voted 9-4 on the budget late on Tuesday night.", 10)
    12
    >>> prose_words("The council voted 9-4 on the budget\\nlate on Tuesday night after a long debate.", 10)
    16
    """
    total = 0
    for paragraph in prose_paragraphs(text):
        words = count_words(paragraph)
        if words >= min_words and (_SENTENCE_END.search(paragraph) or words >= 2 * min_words):
            total += words
    return total


def prose_paragraphs(text: str) -> list[str]:
    """The text's paragraphs: its lines, a line opening in lower case joined to the one before.

    >>> prose_paragraphs("Title\\n\\nOne sentence\\ncut in two.\\nNext.")
    ['Title', 'One sentence cut in two.', 'Next.']
    """
    paragraphs: list[str] = []
    follows_line = False
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            follows_line = False
            continue
        if follows_line and line[0].islower():
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        follows_line = True
    return paragraphs


def trafilatura_first(page: str, url: str | None, settings: ExtractSettings) -> tuple[Extraction, dict[str, str]]:
    """trafilatura's main content in the configured first mode, and the page's metadata."""
    result = _trafilatura(page, url, settings.mode, settings, with_metadata=True)
    meta: dict[str, str] = {}
    if result is not None:
        meta = {k: str(getattr(result, k)) for k in ("title", "date", "url") if getattr(result, k, None)}
    text = (result.text or "") if result is not None else ""
    return Extraction(FIRST_METHOD, text, prose_words(text, settings.prose_min_words)), meta


def trafilatura_text(page: str, url: str | None, mode: str, settings: ExtractSettings) -> Extraction:
    """trafilatura's main content in one mode (no metadata: the first run has it)."""
    result = _trafilatura(page, url, mode, settings, with_metadata=False)
    text = (result.text or "") if result is not None else ""
    return Extraction(f"trafilatura_{mode}_fuller", text, prose_words(text, settings.prose_min_words))


def _trafilatura(
    page: str, url: str | None, mode: str, settings: ExtractSettings, with_metadata: bool
) -> TrafilaturaResult | None:
    try:
        return trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=with_metadata,
            favor_precision=mode == "precision",
            favor_recall=mode == "recall",
            include_tables=settings.include_tables,
            include_comments=settings.include_comments,
        )
    except Exception:  # trafilatura raises assorted parser errors on broken markup
        return None


def resiliparse_text(page: str, settings: ExtractSettings) -> Extraction:
    """resiliparse's main content: no comment sections, image alt texts or post metadata."""
    try:
        text = extract_plain_text(
            page, main_content=True, comments=settings.include_comments,
            alt_texts=False, post_meta=False,
        )
    except Exception:  # a parser error means no second opinion, not a failed page
        text = ""
    text = "\n".join(line.strip() for line in text.splitlines())  # it indents nested blocks
    return Extraction("resiliparse_fuller", text, prose_words(text, settings.prose_min_words))


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
