"""Settings: config/*.toml loaded over code defaults into one frozen, typed object.

Stages never read configuration themselves: the flow loads a `Settings` once and
hands each stage its own section.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path("config/pipeline.toml")


class ConfigError(ValueError):
    """A configuration file is missing, unreadable or holds a bad value."""


@dataclass(frozen=True)
class RunSettings:
    shard_size: int = 500
    shard_max_bytes: int = 64 * 1024 * 1024
    task_runner: str = "threads"
    workers: int = 2
    dask_address: str = ""
    keep_stage_runs: int = 24


@dataclass(frozen=True)
class IngestSettings:
    max_file_bytes: int = 64 * 1024 * 1024
    binary_control_ratio: float = 0.05
    text_fields: tuple[str, ...] = ("text", "content", "body", "article", "maintext")
    html_fields: tuple[str, ...] = ("html", "raw_html", "page_html")
    id_fields: tuple[str, ...] = ("id", "_id", "uuid", "doc_id")
    url_fields: tuple[str, ...] = ("url", "link", "source_url")
    title_fields: tuple[str, ...] = ("title", "headline")
    date_fields: tuple[str, ...] = ("published_at", "date_published", "datePublished", "published", "date")


@dataclass(frozen=True)
class DecodeSettings:
    max_replacement_ratio: float = 0.05
    cp1252_margin: float = 0.1


@dataclass(frozen=True)
class ExtractSettings:
    favor_precision: bool = True
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False


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
    credit: tuple[re.Pattern[str], ...] = ()
    date_prefix: tuple[re.Pattern[str], ...] = ()
    date_suffix: tuple[re.Pattern[str], ...] = ()
    related_headers: frozenset[str] = frozenset()
    related_header_patterns: tuple[re.Pattern[str], ...] = ()
    comment_headers: frozenset[str] = frozenset()
    comment_header_patterns: tuple[re.Pattern[str], ...] = ()
    attribution: re.Pattern[str] | None = None
    dateline: tuple[re.Pattern[str], ...] = ()
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
    short_line_cost: float = 8.0
    blob_symbol_ratio: float = 0.12
    blob_min_chars: int = 40
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


@dataclass(frozen=True)
class LanguageSettings:
    seed: int = 0
    min_letters: int = 20


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


def load_rules(path: Path) -> Rules:
    """Compile the phrase lists and patterns of a rules TOML file."""
    data = _read_toml(path)
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
            credit=tuple(re.compile(p) for p in meta_patterns.get("credit", [])),
            date_prefix=tuple(
                re.compile(p, re.IGNORECASE) for p in meta_patterns.get("date_prefix", [])
            ),
            dateline=tuple(re.compile(p) for p in meta_patterns.get("dateline", [])),
            timezones={k: float(v) for k, v in data.get("dates", {}).get("timezones", {}).items()},
        )
    except re.error as exc:
        raise ConfigError(f"{path}: bad pattern {exc.pattern!r}: {exc}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: malformed rules: {exc}") from exc


def normalise_phrase(text: str) -> str:
    """Case-fold and trim punctuation and white space, for whole-paragraph phrase lookup.

    >>> normalise_phrase("  Follow us on:  ")
    'follow us on'
    >>> normalise_phrase("ADVERTISEMENT")
    'advertisement'
    """
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return re.sub(r"^[\W_]+|[\W_]+$", "", text)


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


def _validate(sections: dict[str, Any], path: Path) -> None:
    run: RunSettings = sections["run"]
    if run.shard_size < 1:
        raise ConfigError(f"{path}: [run] shard_size must be at least 1")
    if run.workers < 1:
        raise ConfigError(f"{path}: [run] workers must be at least 1")
    if run.keep_stage_runs < 0:
        raise ConfigError(f"{path}: [run] keep_stage_runs must be 0 (keep all) or more")
    if run.task_runner not in ("threads", "dask"):
        raise ConfigError(f"{path}: [run] task_runner must be 'threads' or 'dask'")
    ingest: IngestSettings = sections["ingest"]
    if not ingest.text_fields and not ingest.html_fields:
        raise ConfigError(f"{path}: [ingest] text_fields and html_fields are both empty: no record could be read")
    for section in ("ingest", "decode", "offtopic"):
        for f in dataclasses.fields(sections[section]):
            value = getattr(sections[section], f.name)
            if isinstance(value, (int, float)) and value < 0:
                raise ConfigError(f"{path}: [{section}] {f.name} must not be negative")
