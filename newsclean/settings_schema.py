"""The schema of pipeline.toml: one frozen, typed section per stage, each key with its
type, default and bounds declared here. A value of the wrong type or out of its bounds,
or a key no section has, is refused by the schema (pydantic) when a section is built,
whether from a file (settings.py) or in code.

The bounds follow one house rule: every number is finite and not negative; settings
named *_share or *_ratio are shares (0 to 1), as are the off-topic scores; counts that
size or cut work (shards, workers, byte limits, depths) are at least 1.
"""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from dataclasses import field
from functools import lru_cache
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, ConfigDict, Field, SkipValidation, Strict, StrictBool, StrictStr, model_validator
from pydantic.dataclasses import dataclass

from newsclean.settings_rules import Rules

# No key the section lacks (a misspelt key would silently keep its default), no
# infinities or NaN, and no coercion of text to numbers (the types below are strict).
SECTION = ConfigDict(extra="forbid", allow_inf_nan=False)

Count = Annotated[int, Strict(), Field(ge=0)]  # a number of things (words, paragraphs): 0 or more
AtLeastOne = Annotated[int, Strict(), Field(ge=1)]  # a size that cuts work (shards, bytes, depth)
Amount = Annotated[float, Strict(), Field(ge=0)]  # a weight, a bonus, seconds: 0 or more (an int is taken)
Share = Annotated[float, Strict(), Field(ge=0, le=1)]  # a share or a score, 0 to 1
Words = tuple[StrictStr, ...]  # a TOML list of strings

# "processes": the CPU-bound stages in worker processes, file I/O in the flow's threads;
# "threads": everything in the flow's threads (one interpreter); "dask": prefect-dask.
TaskRunner = Literal["processes", "threads", "dask"]
ExtractMode = Literal["precision", "default", "recall"]  # trafilatura's favor_precision, neither, favor_recall
SecondOpinion = Literal["resiliparse", ""]  # "": none
TASK_RUNNERS = get_args(TaskRunner)
EXTRACT_MODES = get_args(ExtractMode)
SECOND_OPINIONS = get_args(SecondOpinion)


class KeyProblem(ValueError):
    """A check across keys of a section, naming the key it blames (for the one-line error)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


# Cron as Prefect's Cron schedule takes it (checked here without loading Prefect, which the
# command starts later): five fields, each `*`, numbers, names, ranges, steps and lists;
# or a macro. Day of month may be `L` (last), day of week `5L` or `5#2`.
CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
CRON_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
    ("day of week", 0, 7, ("sun", "mon", "tue", "wed", "thu", "fri", "sat")),
)
_CRON_ITEM = re.compile(r"(?P<range>\*|(?P<low>\w+)(?:-(?P<high>\w+))?)(?:/(?P<step>\d+))?")


def check_cron(expression: str) -> str:
    """The expression, if Prefect's Cron schedule would take it; ValueError (saying which
    field is wrong) otherwise.

    >>> check_cron("5 * * * *"), check_cron("@daily"), check_cron("0 9 * jan-mar mon-fri")
    ('5 * * * *', '@daily', '0 9 * jan-mar mon-fri')
    >>> check_cron("61 * * * *")
    Traceback (most recent call last):
    ValueError: not a cron expression: minute '61' is not in 0-59
    """
    if expression.strip().lower() in CRON_MACROS:
        return expression
    parts = expression.split()
    if len(parts) != 5:
        raise ValueError(f"not a cron expression: {len(parts)} fields, not 5 (minute hour day month weekday)")
    for part, (name, low, high, names) in zip(parts, CRON_FIELDS):
        for item in part.split(","):
            _check_cron_item(item.lower(), name, low, high, names)
    return expression


def _check_cron_item(item: str, name: str, low: int, high: int, names: tuple[str, ...]) -> None:
    if name == "day of month" and item == "l":
        return
    if name == "day of week" and re.fullmatch(r"[0-7]l|[0-7]#[1-5]", item):
        return
    match = _CRON_ITEM.fullmatch(item)
    if match is None:
        raise ValueError(f"not a cron expression: {name} {item!r} is not a value, range, step or list")
    for value in (match["low"], match["high"]):
        if value is None:
            continue
        number = names.index(value) + low if value in names else int(value) if value.isdigit() else None
        if number is None or not low <= number <= high:
            raise ValueError(f"not a cron expression: {name} {value!r} is not in {low}-{high}")
    if match["step"] is not None and int(match["step"]) < 1:
        raise ValueError(f"not a cron expression: {name} step {match['step']!r} is not 1 or more")


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())  # read from the system's tzdata: once


def check_timezone(name: str) -> str:
    """An IANA time zone name (`UTC`, `Europe/Madrid`); ValueError otherwise."""
    if name not in _time_zones():
        raise ValueError(f"not an IANA time zone (UTC, Europe/Madrid, ...), got {name!r}")
    return name


@dataclass(frozen=True, config=SECTION)
class RunSettings:
    shard_size: AtLeastOne = 500
    shard_max_bytes: AtLeastOne = 64 * 1024 * 1024
    task_runner: TaskRunner = "processes"
    workers: AtLeastOne = 2
    dask_address: StrictStr = ""
    keep_stage_runs: Count = 24  # 0 keeps them all
    document_seconds: Amount = 60.0  # 0: no limit


# Suffixes of files a crawl or a wget mirror holds beside its pages that are never
# articles (media, style sheets, scripts, documents, archives): unsupported_type rejects,
# never sniffed (a PDF or a script can pass for text).
REFUSED_SUFFIXES = (
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".svg", ".tif", ".tiff",
    ".mp3", ".mp4", ".m4a", ".ogg", ".wav", ".webm", ".mov", ".avi", ".woff", ".woff2", ".ttf", ".otf",
    ".eot", ".css", ".js", ".mjs", ".map", ".wasm", ".zip", ".tar", ".tgz", ".7z", ".rar", ".jar",
    ".exe", ".dll", ".so", ".bin", ".iso", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt",
    ".ods", ".epub", ".swf", ".parquet", ".arrow", ".sqlite", ".db", ".xml", ".rss", ".atom", ".csv",
    ".cdx", ".cdxj", ".lz4", ".br",
)


@dataclass(frozen=True, config=SECTION)
class IngestSettings:
    max_file_bytes: AtLeastOne = 64 * 1024 * 1024
    max_line_bytes: AtLeastOne = 8 * 1024 * 1024
    binary_control_ratio: Share = 0.05
    text_fields: Words = ("text", "content", "body", "article", "maintext")
    html_fields: Words = ("html", "raw_html", "page_html")
    id_fields: Words = ("id", "_id", "uuid", "doc_id")
    url_fields: Words = ("url", "link", "source_url")
    title_fields: Words = ("title", "headline")
    date_fields: Words = ("published_at", "date_published", "datePublished", "published", "date")
    refused_suffixes: Words = REFUSED_SUFFIXES

    @model_validator(mode="after")
    def _some_record_field(self) -> IngestSettings:
        if not self.text_fields and not self.html_fields:
            raise KeyProblem("html_fields", "text_fields and html_fields are both empty: no record could be read")
        return self


@dataclass(frozen=True, config=SECTION)
class DecodeSettings:
    max_replacement_ratio: Share = 0.05
    max_markup_depth: AtLeastOne = 1000
    cp1252_margin: Amount = 0.1


@dataclass(frozen=True, config=SECTION)
class ExtractSettings:
    """[extract]: which trafilatura modes run, and when a fuller output replaces the first."""

    mode: ExtractMode = "precision"
    fuller_modes: tuple[ExtractMode, ...] = ("default", "recall")
    second_opinion: SecondOpinion = "resiliparse"
    much_shorter_share: Annotated[float, Strict(), Field(gt=0, le=1)] = 0.5
    prose_min_words: AtLeastOne = 10
    include_tables: StrictBool = True
    include_comments: StrictBool = False
    layout_cell_words: Count = 40


@dataclass(frozen=True, config=SECTION)
class SegmentSettings:
    hard_wrap_share: Share = 0.6
    wrap_band: Count = 12
    min_wrap_width: AtLeastOne = 50
    max_wrap_width: Count = 100

    @model_validator(mode="after")
    def _widths_in_order(self) -> SegmentSettings:
        if self.min_wrap_width > self.max_wrap_width:
            raise KeyProblem("min_wrap_width", f"must not be above max_wrap_width ({self.max_wrap_width}), "
                                              f"got {self.min_wrap_width}")
        return self


@dataclass(frozen=True, config=SECTION)
class ClassifySettings:
    rules_file: StrictStr = "rules.toml"  # relative to the pipeline file
    title_min_words: Count = 3
    title_max_words: Count = 20
    title_search_depth: Count = 4
    head_depth: Count = 6
    tail_depth: Count = 4
    metadata_max_words: Count = 14
    credit_max_words: Count = 40
    boilerplate_max_words: Count = 30
    attributed_min_words: Count = 12
    label_max_words: Count = 60
    interface_max_words: Count = 16
    interface_min_share: Share = 0.6
    interface_sentence_words: Count = 8
    interface_sentence_share: Share = 0.8
    interface_controls_max_words: Count = 6
    template_alone_max_words: Count = 2
    own_sentence_min_words: Count = 6
    own_sentence_min_affinity: Share = 0.3
    menu_max_words: Count = 3
    menu_min_items: Count = 2
    title_variant_min_words: Count = 2
    title_variant_min_share: Share = 0.5
    pattern_topic_hits: Count = 3
    min_list_items: Count = 2
    trailer_min_words: Count = 4
    trailer_max_words: Count = 16
    run_title_case_share: Share = 0.5
    run_min_avg_words: Amount = 7.0
    excerpt_min_words: Count = 10
    duplicate_min_words: Count = 6
    allcaps_min_words: Count = 8
    prose_min_words: Count = 10
    page_min_paragraphs: Count = 25
    page_tiny_share: Share = 0.45
    page_prose_share: Share = 0.4
    page_table_share: Share = 0.4
    short_line_cost: Amount = 8.0
    blob_symbol_ratio: Share = 0.12
    blob_min_chars: Count = 40
    language_sample_chars: Count = 2000
    sentence_min_share: Share = 0.2
    echo_stem_chars: AtLeastOne = 6
    edge_max_words: Count = 12
    edge_min_prose: Count = 2
    edge_max_share: Share = 0.25
    edge_list_run: Count = 3
    edge_common_words: Count = 500
    edge_min_others: Count = 1
    meaning_min_words: Count = 3
    meaning_max_words: Count = 16
    meaning_min_prose: Count = 2
    meaning_min_score: Amount = 4.0
    meaning_max_share: Share = 0.25
    guard_prose_min_words: Count = 8
    guard_max_prose_share: Share = 0.5
    guard_min_affinity: Amount = 0.2
    guard_min_topic_coverage: Amount = 0.5
    guard_min_topic_words: Count = 3
    guard_lead_paragraphs: Count = 2
    section_max_items: Count = 12
    min_list_run: Count = 3
    notice_max_words: Count = 60
    title_affinity_weight: Amount = 3.0
    # compiled from the rules file (settings_rules.py), never a key of pipeline.toml
    rules: SkipValidation[Rules] = field(default_factory=Rules, compare=False)


@dataclass(frozen=True, config=SECTION)
class OfftopicSettings:
    lead_paragraphs: Count = 3
    min_body_paragraphs: Count = 1
    max_tail_paragraphs: Count = 8
    threshold: Share = 0.8
    single_threshold: Share = 0.85
    tail_floor: Share = 0.5
    min_tail_story_words: Count = 8
    rarity_ceiling: Amount = 7.5
    similarity_weight: Amount = 1.0
    truncated_bonus: Amount = 0.15
    kicker_bonus: Amount = 0.1
    min_content_words: Count = 4
    long_content_words: Count = 12
    short_penalty: Amount = 0.1
    dateline_bonus: Amount = 0.2
    default_baseline: Amount = 0.45
    default_cosine_baseline: Amount = 0.3
    cosine_share: Share = 0.7
    sentence_vectors: StrictBool = True
    default_semantic_baseline: Amount = 0.47
    min_semantic_baseline: Amount = 0.2
    min_head_share: Share = 0.5
    min_head_words: Count = 60
    min_script_letters: Count = 20
    skip_languages: Words = ("ja", "zh", "ko", "th")
    semantic_max_tail_share: Share = 0.25
    max_cut_teasers: Count = 2


@dataclass(frozen=True, config=SECTION)
class LanguageSettings:
    seed: Count = 0
    min_letters: Count = 20
    sample_chars: Count = 3000


@dataclass(frozen=True, config=SECTION)
class NeardupSettings:
    threshold: Share = 0.3
    num_perm: AtLeastOne = 128
    shingle_words: AtLeastOne = 3
    min_words: Count = 20
    seed: Count = 1
    max_history_articles: AtLeastOne = 2_000_000
    own_process_min_articles: Count = 20_000


@dataclass(frozen=True, config=SECTION)
class TemplatesSettings:
    """[templates]: site template lines counted across the crawl (newsclean/templatestore.py)."""

    min_articles: Annotated[int, Strict(), Field(ge=2)] = 5  # one article is no repetition
    max_rows_per_site: AtLeastOne = 20_000


@dataclass(frozen=True, config=SECTION)
class ScheduleSettings:
    cron: Annotated[StrictStr, AfterValidator(check_cron)] = "5 * * * *"
    timezone: Annotated[StrictStr, AfterValidator(check_timezone)] = "UTC"


@dataclass(frozen=True, config=SECTION)
class Settings:
    run: RunSettings = field(default_factory=RunSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    decode: DecodeSettings = field(default_factory=DecodeSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    segment: SegmentSettings = field(default_factory=SegmentSettings)
    classify: ClassifySettings = field(default_factory=ClassifySettings)
    offtopic: OfftopicSettings = field(default_factory=OfftopicSettings)
    language: LanguageSettings = field(default_factory=LanguageSettings)
    neardup: NeardupSettings = field(default_factory=NeardupSettings)
    templates: TemplatesSettings = field(default_factory=TemplatesSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    source: StrictStr = ""  # the pipeline file these were read from (absolute); "" for the code defaults

    def as_dict(self) -> dict[str, Any]:
        """Plain values for the run manifest (compiled rules left out)."""
        out = dataclasses.asdict(self)
        out["classify"].pop("rules", None)
        return out


# The sections of pipeline.toml and their types, in file order (`source` is not one).
SECTIONS: dict[str, Any] = {f.name: f.default_factory for f in dataclasses.fields(Settings) if f.name != "source"}
