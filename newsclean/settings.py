"""Settings: pipeline.toml and its rules.toml read over the code defaults into one frozen,
typed object, checked by their schemas (settings_schema.py, settings_rules.py).

Stages never read configuration themselves: the flow loads a `Settings` once and
hands each stage its own section. Which file: the one given (`--config PATH`); else
config/pipeline.toml of the working folder when there is one (a checkout's `make run`);
else the defaults shipped in the package (newsclean/defaults/). A pipeline file's
rules_file is found beside it. Anything wrong is one line, `path: section.key: what is
wrong`, raised as ConfigError (the command's exit 2).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from newsclean.settings_rules import Rules, RulesFile, Table, compile_rules, normalise_phrase
from newsclean.settings_schema import (
    EXTRACT_MODES,
    REFUSED_SUFFIXES,
    SECOND_OPINIONS,
    SECTIONS,
    TASK_RUNNERS,
    ClassifySettings,
    DecodeSettings,
    ExtractSettings,
    IngestSettings,
    KeyProblem,
    LanguageSettings,
    NeardupSettings,
    OfftopicSettings,
    RunSettings,
    ScheduleSettings,
    SegmentSettings,
    Settings,
    TemplatesSettings,
    check_cron,
)

__all__ = [
    "DEFAULT_CONFIG", "EXTRACT_MODES", "REFUSED_SUFFIXES", "SECOND_OPINIONS", "TASK_RUNNERS", "ClassifySettings",
    "ConfigError", "DecodeSettings", "ExtractSettings", "IngestSettings", "LanguageSettings", "NeardupSettings", "OfftopicSettings",
    "Rules", "RunSettings", "ScheduleSettings", "SegmentSettings", "Settings", "TemplatesSettings", "check_cron", "config_path",
    "load_rules", "load_settings", "normalise_phrase", "shipped_config_dir", "with_run_options",
]

# The checkout's config, relative to the working folder: used when it is there.
DEFAULT_CONFIG = Path("config/pipeline.toml")


class ConfigError(ValueError):
    """A configuration file is missing, unreadable or holds a bad value."""


def shipped_config_dir() -> Path:
    """The folder of the default pipeline.toml and rules.toml installed with the package
    (the repository's config/ holds the same files; a test keeps them equal)."""
    return Path(__file__).resolve().parent / "defaults"


def config_path(path: Path | str | None = None) -> Path:
    """The pipeline file to read: `path` when given; else (None, or DEFAULT_CONFIG itself,
    a command's default) config/pipeline.toml of the working folder when it exists, else
    the shipped defaults."""
    if path is not None and Path(path) != DEFAULT_CONFIG:
        return Path(path)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else shipped_config_dir() / "pipeline.toml"


def load_settings(path: Path | str | None = None) -> Settings:
    """Read a pipeline TOML (see `config_path`) and the rules file beside it over the code
    defaults. ConfigError, one line, for a missing file, bad TOML, an unknown section or
    key, a value of the wrong type or out of range, a bad pattern or cron."""
    path = config_path(path)
    data = _read_toml(path)
    unknown = [name for name in data if name not in SECTIONS]  # `source` is not a section either
    if unknown:
        raise ConfigError(f"{path}: {unknown[0]}: unknown section{_did_you_mean(unknown[0], SECTIONS)}")
    if isinstance(data.get("classify"), dict) and "rules" in data["classify"]:  # compiled from rules_file, not a setting
        raise ConfigError(f"{path}: classify.rules: unknown key (the rules are read from rules_file)")
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe(exc.errors()[0])}") from None
    rules_path = (path.parent / settings.classify.rules_file).absolute()
    if not rules_path.is_file():
        raise ConfigError(f"{path}: classify.rules_file: rules file not found: {rules_path}")
    rules = load_rules(rules_path)
    return dataclasses.replace(settings, classify=dataclasses.replace(settings.classify, rules=rules),
                               source=str(path.resolve()))


def load_rules(path: Path) -> Rules:
    """The compiled rules of a rules TOML file, checked against its schema first."""
    data = _read_toml(path)
    try:
        checked = RulesFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe(exc.errors()[0])}") from None
    return compile_rules(checked)


def with_run_options(settings: Settings, runner: str | None = None, workers: int | None = None) -> Settings:
    """The settings with a command line's task runner and worker count over [run]'s."""
    changes: dict[str, Any] = {}
    if runner:
        changes["task_runner"] = runner
    if workers:
        changes["workers"] = workers
    return dataclasses.replace(settings, run=dataclasses.replace(settings.run, **changes)) if changes else settings


def describe(error: ErrorDetails) -> str:
    """`section.key: what is wrong` for the first error the schema found."""
    loc = [str(part) for part in error["loc"] if not isinstance(part, int)]
    in_list = any(isinstance(part, int) for part in error["loc"])
    value = error.get("input")
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "value_error" and isinstance(ctx.get("error"), KeyProblem):
        loc.append(ctx["error"].key)
    where = ".".join(loc)
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        what = "unknown section" if isinstance(value, dict) else "unknown key"
        return f"{where}: {what}{_did_you_mean(loc[-1], _known_keys(loc))}"
    if in_list and kind == "literal_error":
        return f"{where}: each must be {ctx['expected']}, got {_shown(value)} in it"
    if in_list and kind != "value_error":
        return f"{where}: must be a list of strings, got {_shown(value)} in it"
    return f"{where}: {_what_is_wrong(kind, value, ctx, error['msg'])}"


def _what_is_wrong(kind: str, value: Any, ctx: dict[str, Any], message: str) -> str:
    got = f", got {_shown(value)}"
    if kind == "int_type":
        return "must be a whole number" + got
    if kind == "float_type":
        return "must be a number" + got
    if kind == "bool_type":
        return "must be true or false" + got
    if kind == "string_type":
        return "must be a string" + got
    if kind in ("tuple_type", "list_type"):
        if isinstance(value, str):
            return f"must be a list of strings, got the string {value[:40]!r} (write [{value[:40]!r}])"
        return "must be a list of strings" + got
    if kind in ("dict_type", "dataclass_type", "model_type"):
        return "must be a table" + got
    if kind == "finite_number":
        return "must be a finite number" + got
    if kind == "greater_than_equal":
        return ("must not be negative" if ctx["ge"] == 0 else f"must be at least {ctx['ge']:g}") + got
    if kind == "greater_than":
        return f"must be above {ctx['gt']:g}" + got
    if kind == "less_than_equal":
        return ("must be between 0 and 1" if ctx["le"] == 1 else f"must be at most {ctx['le']:g}") + got
    if kind == "literal_error":
        return f"must be {ctx['expected']}" + got
    if kind == "value_error":
        return str(ctx["error"])
    return message + got


def _shown(value: Any) -> str:
    """A value as the TOML file says it: `true`, `nan`, `'big'`, `[1, 2]`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _known_keys(loc: list[str]) -> list[str]:
    """The names the schema knows beside the unknown one, for a suggestion."""
    if len(loc) == 2 and loc[0] in SECTIONS:  # pipeline.toml: section.key
        return [f.name for f in dataclasses.fields(SECTIONS[loc[0]]) if f.name != "rules"]
    model: Any = RulesFile
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(model, type) else None
        model = field.annotation if field is not None else None
        if not (isinstance(model, type) and issubclass(model, Table)):
            return []
    return list(model.model_fields)


def _did_you_mean(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(sorted(known))}" if known else ""


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
