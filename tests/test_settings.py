"""Settings: config TOML over code defaults; every bad file is a one-line ConfigError."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsclean.settings import ConfigError, Settings, load_settings, normalise_phrase

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "pipeline.toml"
RULES = ROOT / "config" / "rules.toml"


def config_dir(tmp_path: Path, pipeline: str, rules: str | None = None) -> Path:
    """A config folder: a pipeline.toml with this text, beside the shipped (or given) rules."""
    (tmp_path / "pipeline.toml").write_text(pipeline, encoding="utf-8")
    if rules is None:
        shutil.copy(RULES, tmp_path / "rules.toml")
    else:
        (tmp_path / "rules.toml").write_text(rules, encoding="utf-8")
    return tmp_path / "pipeline.toml"


def without_source(settings: Settings) -> dict:
    values = settings.as_dict()
    values.pop("source")
    return values


def test_an_empty_config_gives_the_code_defaults(tmp_path):
    settings = load_settings(config_dir(tmp_path, "# nothing set\n"))
    assert without_source(settings) == without_source(Settings())
    assert settings.classify.rules.phrases, "the rules file beside it is still loaded"


def test_the_shipped_config_loads_and_matches_the_code_defaults():
    settings = load_settings(CONFIG)
    assert settings.source == str(CONFIG)
    assert without_source(settings) == without_source(Settings()), (
        "config/pipeline.toml says the code defaults carry the same values"
    )


def test_the_shipped_rules_compile():
    rules = load_settings(CONFIG).classify.rules
    assert rules.phrases[normalise_phrase("Advertisement")] == "ad_marker"
    assert rules.phrases[normalise_phrase("Share this article")] == "share_widget"
    assert any(name == "cookie_notice" for name, _ in rules.patterns)
    assert rules.credit and rules.dateline and rules.date_prefix
    assert rules.timezones["EST"] == -5.0


def test_values_override_defaults_and_ints_become_floats(tmp_path):
    settings = load_settings(config_dir(tmp_path, "[offtopic]\nthreshold = 1\n\n[run]\nworkers = 8\n"))
    assert settings.offtopic.threshold == 1.0 and isinstance(settings.offtopic.threshold, float)
    assert settings.run.workers == 8
    assert settings.run.shard_size == Settings().run.shard_size, "keys not set keep their defaults"


def test_settings_are_frozen():
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.run.workers = 3  # type: ignore[misc]


ERROR_CASES = [
    # (pipeline.toml text, rules.toml text or None, words the message must contain, why)
    ("[bogus]\nx = 1\n", None, ["unknown section", "[bogus]"], "a section the code does not know"),
    ("[run]\nshard_sized = 1\n", None, ["unknown key", "'shard_sized'", "[run]"], "a misspelt key"),
    ('[run]\nshard_size = "big"\n', None, ["[run] shard_size", "must be int", "'big'"], "a string for an int"),
    ("[run]\nworkers = true\n", None, ["[run] workers", "must be int"], "a bool is not an int"),
    ('[offtopic]\nthreshold = "high"\n', None, ["[offtopic] threshold", "must be float"], "a string for a float"),
    ("run = 3\n", None, ["[run] must be a table"], "a value where a section belongs"),
    ("[run\n", None, ["invalid TOML"], "broken TOML"),
    ("[run]\nshard_size = 0\n", None, ["shard_size", "at least 1"], "an impossible value"),
    ("[run]\nkeep_stage_runs = -1\n", None, ["keep_stage_runs", "0 (keep all) or more"], "a negative run count"),
    ('[run]\ntask_runner = "fibers"\n', None, ["task_runner", "'processes' or 'threads' or 'dask'"], "an unknown runner"),
    ("[run]\ndocument_seconds = -1\n", None, ["[run] document_seconds", "negative"], "a negative time limit"),
    ("[run]\ndocument_seconds = nan\n", None, ["[run] document_seconds must be a finite number"], "no time limit by nan"),
    ("[ingest]\nmax_file_bytes = -1\n", None, ["[ingest] max_file_bytes", "negative"], "a negative limit"),
    ("", "[boilerplate.patterns]\nad_marker = ['(unclosed']\n", ["rules.toml", "bad pattern", "'(unclosed'"],
     "a regular expression that does not compile"),
    ("", "[metadata.patterns]\ndateline = ['[A-Z']\n", ["rules.toml", "bad pattern"], "a bad dateline pattern"),
    ('[classify]\nrules_file = "missing-rules.toml"\n', None, ["not found", "missing-rules.toml"],
     "the rules file named in the config is missing"),
    # numbers: finite and in range
    ("[offtopic]\nthreshold = nan\n", None, ["[offtopic] threshold must be a finite number, got nan"], "nan"),
    ("[offtopic]\nthreshold = inf\n", None, ["[offtopic] threshold must be a finite number, got inf"], "infinity"),
    ("[offtopic]\nthreshold = 1.5\n", None, ["[offtopic] threshold must be between 0 and 1, got 1.5"],
     "a threshold of a 0..1 score above 1"),
    ("[run]\nshard_max_bytes = -5\n", None, ["[run] shard_max_bytes must not be negative, got -5"],
     "a negative shard size in bytes (300 shards)"),
    ("[run]\nshard_max_bytes = 0\n", None, ["[run] shard_max_bytes must be at least 1, got 0"], "zero bytes a shard"),
    ("[segment]\nhard_wrap_share = 2.0\n", None, ["[segment] hard_wrap_share must be between 0 and 1"],
     "a share above 1"),
    ("[classify]\nprose_min_words = -3\n", None, ["[classify] prose_min_words must not be negative"],
     "negative in a section not checked before"),
    ("[language]\nmin_letters = -1\n", None, ["[language] min_letters must not be negative"], "negative letters"),
    ("[decode]\nmax_markup_depth = 0\n", None, ["[decode] max_markup_depth must be at least 1"], "no depth at all"),
    # rules.toml: a schema of tables and keys, every pattern compiled
    ("", "[boilerplate.patterns]\nad_marker = '^advert'\n",
     ["rules.toml", "[boilerplate.patterns] ad_marker must be a list of strings, got the string '^advert'"],
     "a pattern list written as a string (each character became a regex)"),
    ("", "[sections]\nrelated_header = 'related'\n", ["[sections] related_header must be a list of strings"],
     "a phrase list written as a string"),
    ("", "[boilerplate.patern]\nad_marker = ['x']\n", ["unknown section [boilerplate.patern]"],
     "a misspelt sub-table (its patterns were silently off)"),
    ("", "[guard]\nattribution = ['said']\n", ["unknown section [guard]"], "a misspelt section"),
    ("", "[metadata.patterns]\ndatelines = ['^X']\n", ["unknown key 'datelines' in [metadata.patterns]"],
     "a misspelt key"),
    ("", "[boilerplate.patterns]\nad_marker = ['']\n", ["empty pattern"], "an empty pattern matches everything"),
    ("", "[boilerplate.patterns]\nad_marker = [3]\n", ["must be a list of strings"], "a number for a pattern"),
    ("", "[dates]\ntimezones = { EST = 'minus five' }\n", ["[dates.timezones] EST must be a finite number"],
     "a time-zone offset that is not a number"),
    ("", "[dates.timezones]\nEST = nan\n", ["[dates.timezones] EST must be a finite number, got nan"],
     "a nan offset"),
    ("", "boilerplate = 3\n", ["[boilerplate] must be a table"], "a value where a table belongs"),
]


@pytest.mark.parametrize("pipeline, rules, words, why", ERROR_CASES, ids=[c[3] for c in ERROR_CASES])
def test_bad_config_is_a_one_line_config_error(pipeline, rules, words, why, tmp_path):
    path = config_dir(tmp_path, pipeline, rules)
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    message = str(raised.value)
    assert "\n" not in message, "one line"
    for word in words:
        assert word in message, f"{why}: {message!r} should mention {word!r}"


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path / "nope.toml")
    assert str(raised.value) == f"config file not found: {tmp_path / 'nope.toml'}"


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


def test_shipped_defaults_are_the_repository_config():
    """The package's default config files are the repository's config/ files, byte for byte."""
    from newsclean.settings import shipped_config_dir

    root = Path(__file__).resolve().parents[1] / "config"
    for name in ("pipeline.toml", "rules.toml"):
        assert (shipped_config_dir() / name).read_bytes() == (root / name).read_bytes(), name
