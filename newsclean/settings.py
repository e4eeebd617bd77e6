"""Settings: config/*.toml loaded over code defaults into one frozen, typed object.

Stages never read configuration themselves: the flow loads a `Settings` once and
hands each stage its own section.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path("config/pipeline.toml")


def shipped_config_dir() -> Path:
    """The folder of the default pipeline.toml and rules.toml installed with the package
    (the repository's config/ holds the same files; a test keeps them equal)."""
    return Path(__file__).resolve().parent / "defaults"


class ConfigError(ValueError):
    """A configuration file is missing, unreadable or holds a bad value."""


# "processes": the CPU-bound stages in worker processes, file I/O in the flow's threads;
# "threads": everything in the flow's threads (one interpreter); "dask": prefect-dask.
TASK_RUNNERS = ("processes", "threads", "dask")


@dataclass(frozen=True)
class RunSettings:
    shard_size: int = 500
    shard_max_bytes: int = 64 * 1024 * 1024
    task_runner: str = "processes"
    workers: int = 2
    dask_address: str = ""
    keep_stage_runs: int = 24
    document_seconds: float = 60.0


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


@dataclass(frozen=True)
class IngestSettings:
    max_file_bytes: int = 64 * 1024 * 1024
    max_line_bytes: int = 8 * 1024 * 1024
    binary_control_ratio: float = 0.05
    text_fields: tuple[str, ...] = ("text", "content", "body", "article", "maintext")
    html_fields: tuple[str, ...] = ("html", "raw_html", "page_html")
    id_fields: tuple[str, ...] = ("id", "_id", "uuid", "doc_id")
    url_fields: tuple[str, ...] = ("url", "link", "source_url")
    title_fields: tuple[str, ...] = ("title", "headline")
    date_fields: tuple[str, ...] = ("published_at", "date_published", "datePublished", "published", "date")
    refused_suffixes: tuple[str, ...] = REFUSED_SUFFIXES


@dataclass(frozen=True)
class DecodeSettings:
    max_replacement_ratio: float = 0.05
    max_markup_depth: int = 1000
    cp1252_margin: float = 0.1


EXTRACT_MODES = ("precision", "default", "recall")  # trafilatura's favor_precision, neither, favor_recall
SECOND_OPINIONS = ("resiliparse", "")


@dataclass(frozen=True)
class ExtractSettings:
    """[extract]: which trafilatura modes run, and when a fuller output replaces the first."""

    mode: str = "precision"
    fuller_modes: tuple[str, ...] = ("default", "recall")
    second_opinion: str = "resiliparse"
    much_shorter_share: float = 0.5
    prose_min_words: int = 10
    include_tables: bool = True
    include_comments: bool = False

    def __post_init__(self) -> None:
        for mode in (self.mode, *self.fuller_modes):
            if mode not in EXTRACT_MODES:
                raise ConfigError(f"[extract] mode {mode!r} is not one of {', '.join(EXTRACT_MODES)}")
        if self.second_opinion not in SECOND_OPINIONS:
            raise ConfigError(f"[extract] second_opinion must be 'resiliparse' or '' (none), got {self.second_opinion!r}")
        if not 0 < self.much_shorter_share <= 1:
            raise ConfigError(f"[extract] much_shorter_share must be in (0, 1], got {self.much_shorter_share}")
        if self.prose_min_words < 1:
            raise ConfigError(f"[extract] prose_min_words must be at least 1, got {self.prose_min_words}")


@dataclass(frozen=True)
class SegmentSettings:
    hard_wrap_share: float = 0.6
    wrap_band: int = 12
    min_wrap_width: int = 50
    max_wrap_width: int = 100


@dataclass(frozen=True)
class Rules:
    """Word lists and patterns of config/rules.toml, compiled.

    `phrases` maps a normalised whole paragraph to its rule name; `patterns` are
    (rule name, compiled pattern) in file order.
    """

    phrases: dict[str, str] = field(default_factory=dict)
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()
    labels: tuple[tuple[str, re.Pattern[str]], ...] = ()  # explicit labels: no attribution guard
    credit: tuple[re.Pattern[str], ...] = ()
    credit_anywhere: tuple[re.Pattern[str], ...] = ()
    date_prefix: tuple[re.Pattern[str], ...] = ()
    date_suffix: tuple[re.Pattern[str], ...] = ()
    related_headers: frozenset[str] = frozenset()
    related_header_patterns: tuple[re.Pattern[str], ...] = ()
    comment_headers: frozenset[str] = frozenset()
    comment_header_patterns: tuple[re.Pattern[str], ...] = ()
    attribution: re.Pattern[str] | None = None
    dateline: tuple[re.Pattern[str], ...] = ()
    notice: tuple[re.Pattern[str], ...] = ()
    timezones: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ClassifySettings:
    rules_file: str = "rules.toml"
    title_min_words: int = 3
    title_max_words: int = 20
    title_search_depth: int = 4
    head_depth: int = 6
    tail_depth: int = 4
    metadata_max_words: int = 14
    credit_max_words: int = 40
    boilerplate_max_words: int = 30
    attributed_min_words: int = 12
    label_max_words: int = 60
    pattern_topic_hits: int = 3
    min_list_items: int = 2
    trailer_min_words: int = 4
    trailer_max_words: int = 16
    run_title_case_share: float = 0.5
    run_min_avg_words: float = 7.0
    excerpt_min_words: int = 10
    duplicate_min_words: int = 6
    allcaps_min_words: int = 8
    prose_min_words: int = 10
    page_min_paragraphs: int = 25
    page_tiny_share: float = 0.45
    page_prose_share: float = 0.4
    page_table_share: float = 0.4
    short_line_cost: float = 8.0
    blob_symbol_ratio: float = 0.12
    blob_min_chars: int = 40
    language_sample_chars: int = 2000
    sentence_min_share: float = 0.2
    guard_prose_min_words: int = 8
    guard_max_prose_share: float = 0.5
    guard_min_affinity: float = 0.2
    guard_min_topic_coverage: float = 0.5
    guard_min_topic_words: int = 3
    guard_lead_paragraphs: int = 2
    section_max_items: int = 12
    min_list_run: int = 3
    notice_max_words: int = 60
    title_affinity_weight: float = 3.0
    rules: Rules = field(default_factory=Rules, compare=False)


@dataclass(frozen=True)
class OfftopicSettings:
    lead_paragraphs: int = 3
    min_body_paragraphs: int = 1
    max_tail_paragraphs: int = 8
    threshold: float = 0.8
    single_threshold: float = 0.85
    tail_floor: float = 0.5
    min_tail_story_words: int = 8
    rarity_ceiling: float = 7.5
    similarity_weight: float = 1.0
    truncated_bonus: float = 0.15
    kicker_bonus: float = 0.1
    min_content_words: int = 4
    long_content_words: int = 12
    short_penalty: float = 0.1
    dateline_bonus: float = 0.2
    default_baseline: float = 0.45
    default_cosine_baseline: float = 0.3
    cosine_share: float = 0.7
    sentence_vectors: bool = True
    default_semantic_baseline: float = 0.47
    min_semantic_baseline: float = 0.2
    min_head_share: float = 0.5
    min_head_words: int = 60
    min_script_letters: int = 20
    skip_languages: tuple[str, ...] = ("ja", "zh", "ko", "th")
    semantic_max_tail_share: float = 0.25
    max_cut_teasers: int = 2


@dataclass(frozen=True)
class LanguageSettings:
    seed: int = 0
    min_letters: int = 20
    sample_chars: int = 3000


@dataclass(frozen=True)
class ScheduleSettings:
    cron: str = "5 * * * *"
    timezone: str = "UTC"


@dataclass(frozen=True)
class Settings:
    run: RunSettings = field(default_factory=RunSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    decode: DecodeSettings = field(default_factory=DecodeSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    segment: SegmentSettings = field(default_factory=SegmentSettings)
    classify: ClassifySettings = field(default_factory=ClassifySettings)
    offtopic: OfftopicSettings = field(default_factory=OfftopicSettings)
    language: LanguageSettings = field(default_factory=LanguageSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain values for the run manifest (compiled rules left out)."""
        out = dataclasses.asdict(self)
        out["classify"].pop("rules", None)
        return out


def with_run_options(settings: Settings, runner: str | None = None, workers: int | None = None) -> Settings:
    """The settings with a command line's task runner and worker count over [run]'s."""
    changes: dict[str, Any] = {}
    if runner:
        changes["task_runner"] = runner
    if workers:
        changes["workers"] = workers
    return dataclasses.replace(settings, run=dataclasses.replace(settings.run, **changes)) if changes else settings


def load_settings(path: Path | str | None = None) -> Settings:
    """Read a pipeline TOML (default config/pipeline.toml) over the code defaults.

    Raises ConfigError with a one-line reason for a missing file, bad TOML, an
    unknown section or key, or a value of the wrong type.
    """
    path = Path(path) if path is not None else DEFAULT_CONFIG
    data = _read_toml(path)
    sections: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        if f.name == "source":
            continue
        default = f.default_factory()  # type: ignore[misc]
        sections[f.name] = _merge_section(f.name, default, data.pop(f.name, {}), path)
    if data:
        raise ConfigError(f"{path}: unknown section [{sorted(data)[0]}]")
    rules = load_rules(path.parent / sections["classify"].rules_file)
    sections["classify"] = dataclasses.replace(sections["classify"], rules=rules)
    _validate(sections, path)
    return Settings(**sections, source=str(path))


# The shape of rules.toml: each table and what its keys hold. "phrases": a list of
# strings; "patterns": a list of regular expressions (each compiled); "number": a finite
# number. A "*" key stands for any name (the rule names of the boilerplate lists, the
# time-zone abbreviations). Anything else (a misspelt table or key, a list written as a
# string) is refused: it would switch rules off, or compile each character as a pattern.
RULES_SCHEMA: dict[str, dict[str, str]] = {
    "boilerplate.phrases": {"*": "phrases"},
    "boilerplate.patterns": {"*": "patterns"},
    "boilerplate.labels": {"*": "patterns"},
    "metadata.patterns": {"credit": "patterns", "credit_anywhere": "patterns", "date_prefix": "patterns",
                          "date_suffix": "patterns", "dateline": "patterns"},
    "documents": {"notice": "patterns"},
    "sections": {"related_header": "phrases", "related_header_patterns": "patterns",
                 "comment_header": "phrases", "comment_header_patterns": "patterns"},
    "guards": {"attribution": "phrases"},
    "dates.timezones": {"*": "number"},
}


def load_rules(path: Path) -> Rules:
    """Compile the phrase lists and patterns of a rules TOML file, checked against
    RULES_SCHEMA first."""
    data = _read_toml(path)
    check_rules_shape(data, path)
    try:
        boiler = data.get("boilerplate", {})
        meta = data.get("metadata", {})
        phrases: dict[str, str] = {}
        for name, words in boiler.get("phrases", {}).items():
            for phrase in words:
                phrases.setdefault(normalise_phrase(phrase), name)
        patterns = tuple(
            (name, re.compile(p, re.IGNORECASE))
            for name, plist in boiler.get("patterns", {}).items()
            for p in plist
        )
        labels = tuple(
            (name, re.compile(p, re.IGNORECASE))
            for name, plist in boiler.get("labels", {}).items()
            for p in plist
        )
        meta_patterns = meta.get("patterns", {})
        sections = data.get("sections", {})
        attribution = data.get("guards", {}).get("attribution", [])
        return Rules(
            attribution=re.compile(
                r"\b(" + "|".join(re.escape(w) for w in attribution) + r")\b", re.IGNORECASE
            ) if attribution else None,
            date_suffix=tuple(re.compile(p) for p in meta_patterns.get("date_suffix", [])),
            related_headers=frozenset(normalise_phrase(p) for p in sections.get("related_header", [])),
            related_header_patterns=tuple(
                re.compile(p, re.IGNORECASE) for p in sections.get("related_header_patterns", [])
            ),
            comment_headers=frozenset(normalise_phrase(p) for p in sections.get("comment_header", [])),
            comment_header_patterns=tuple(
                re.compile(p, re.IGNORECASE) for p in sections.get("comment_header_patterns", [])
            ),
            phrases=phrases,
            patterns=patterns,
            labels=labels,
            credit=tuple(re.compile(p) for p in meta_patterns.get("credit", [])),
            credit_anywhere=tuple(re.compile(p) for p in meta_patterns.get("credit_anywhere", [])),
            date_prefix=tuple(
                re.compile(p, re.IGNORECASE) for p in meta_patterns.get("date_prefix", [])
            ),
            dateline=tuple(re.compile(p) for p in meta_patterns.get("dateline", [])),
            notice=tuple(re.compile(p, re.IGNORECASE) for p in data.get("documents", {}).get("notice", [])),
            timezones={k: float(v) for k, v in data.get("dates", {}).get("timezones", {}).items()},
        )
    except re.error as exc:
        raise ConfigError(f"{path}: bad pattern {exc.pattern!r}: {exc}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: malformed rules: {exc}") from exc


def check_rules_shape(data: dict[str, Any], path: Path) -> None:
    """ConfigError (one line) unless every table and key of a rules file is in
    RULES_SCHEMA with a value of its kind."""
    for name, table in _rules_tables(data, path):
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{name}] must be a table")
        schema = RULES_SCHEMA[name]
        for key, value in table.items():
            kind = schema.get(key, schema.get("*"))
            if kind is None:
                raise ConfigError(f"{path}: unknown key {key!r} in [{name}]; known: {', '.join(sorted(schema))}")
            _check_rule_value(f"[{name}] {key}", kind, value, path)


def _rules_tables(data: dict[str, Any], path: Path) -> Iterator[tuple[str, Any]]:
    """(dotted table name, table) of a rules file, refusing tables RULES_SCHEMA lacks."""
    for key, value in data.items():
        if key in RULES_SCHEMA:
            yield key, value
            continue
        parents = {name.split(".")[0] for name in RULES_SCHEMA if "." in name}
        if key not in parents:
            raise ConfigError(f"{path}: unknown section [{key}]; known: {', '.join(sorted(RULES_SCHEMA))}")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{key}] must be a table")
        for sub, table in value.items():
            if f"{key}.{sub}" not in RULES_SCHEMA:
                raise ConfigError(f"{path}: unknown section [{key}.{sub}]; known: {', '.join(sorted(RULES_SCHEMA))}")
            yield f"{key}.{sub}", table


def _check_rule_value(where: str, kind: str, value: Any, path: Path) -> None:
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"{path}: {where} must be a finite number, got {value!r}")
        return
    if isinstance(value, str):
        raise ConfigError(f"{path}: {where} must be a list of strings, got the string {value[:40]!r} (write [{value[:40]!r}])")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {where} must be a list of strings")
    blank = [v for v in value if not v.strip()]
    if blank and kind == "patterns":
        raise ConfigError(f"{path}: {where} holds an empty pattern, which matches everything")


_WHITE_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


@lru_cache(maxsize=8192)  # classify asks for a paragraph's key up to four times (rules, title, sections, repeats)
def normalise_phrase(text: str) -> str:
    """Case-fold and trim punctuation and white space, for whole-paragraph phrase lookup.

    >>> normalise_phrase("  Follow us on:  ")
    'follow us on'
    >>> normalise_phrase("ADVERTISEMENT")
    'advertisement'
    """
    text = _WHITE_SPACE.sub(" ", text).strip().casefold()
    return _EDGE_PUNCTUATION.sub("", text)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _merge_section(name: str, default: Any, values: Any, path: Path) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    fields = {f.name: f for f in dataclasses.fields(default) if f.name != "rules"}
    updates = {}
    for key, value in values.items():
        if key not in fields:
            raise ConfigError(f"{path}: unknown key {key!r} in [{name}]")
        expected = type(getattr(default, key))
        if expected is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = tuple(value)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                f"{path}: [{name}] {key} must be {expected.__name__}, got {value!r}"
            )
        updates[key] = value
    return dataclasses.replace(default, **updates)


# Numbers in pipeline.toml: every one finite and not negative; those named *_share or
# *_ratio are shares (0 to 1); these have other bounds (inclusive; None: no upper bound).
NUMBER_BOUNDS: dict[tuple[str, str], tuple[float, float | None]] = {
    ("run", "shard_size"): (1, None),
    ("run", "shard_max_bytes"): (1, None),
    ("run", "workers"): (1, None),
    ("ingest", "max_file_bytes"): (1, None),
    ("ingest", "max_line_bytes"): (1, None),
    ("decode", "max_markup_depth"): (1, None),
    ("offtopic", "threshold"): (0, 1),
    ("offtopic", "single_threshold"): (0, 1),
    ("offtopic", "tail_floor"): (0, 1),
    ("segment", "min_wrap_width"): (1, None),
}


def number_bounds(section: str, key: str) -> tuple[float, float | None]:
    """The inclusive bounds of a numeric setting.

    >>> number_bounds("run", "shard_size"), number_bounds("segment", "hard_wrap_share"), number_bounds("x", "n")
    ((1, None), (0, 1), (0, None))
    """
    if (section, key) in NUMBER_BOUNDS:
        return NUMBER_BOUNDS[section, key]
    if key.endswith(("_share", "_ratio")):
        return 0, 1
    return 0, None


def _check_numbers(name: str, section: Any, path: Path) -> None:
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if not math.isfinite(value):
            raise ConfigError(f"{path}: [{name}] {f.name} must be a finite number, got {value!r}")
        low, high = number_bounds(name, f.name)
        if value < low:
            bound = "must not be negative" if value < 0 else f"must be at least {low}"
            raise ConfigError(f"{path}: [{name}] {f.name} {bound}, got {value!r}")
        if high is not None and value > high:
            raise ConfigError(f"{path}: [{name}] {f.name} must be between {low} and {high}, got {value!r}")


def _validate(sections: dict[str, Any], path: Path) -> None:
    run: RunSettings = sections["run"]
    if run.keep_stage_runs < 0:
        raise ConfigError(f"{path}: [run] keep_stage_runs must be 0 (keep all) or more")
    for name, section in sections.items():
        _check_numbers(name, section, path)
    if run.task_runner not in TASK_RUNNERS:
        raise ConfigError(f"{path}: [run] task_runner must be {' or '.join(repr(r) for r in TASK_RUNNERS)}")
    ingest: IngestSettings = sections["ingest"]
    if not ingest.text_fields and not ingest.html_fields:
        raise ConfigError(f"{path}: [ingest] text_fields and html_fields are both empty: no record could be read")
    segment: SegmentSettings = sections["segment"]
    if segment.min_wrap_width > segment.max_wrap_width:
        raise ConfigError(f"{path}: [segment] min_wrap_width must not be above max_wrap_width")
