"""Settings: config TOML over code defaults, checked by a schema; every bad file is one
line `path: section.key: what is wrong`; which file is read when none is named."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from newsclean import settings_schema
from newsclean.settings import (
    DEFAULT_CONFIG,
    ConfigError,
    Settings,
    load_settings,
    normalise_phrase,
    shipped_config_dir,
    with_run_options,
)

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


@pytest.mark.parametrize("config", [CONFIG, shipped_config_dir() / "pipeline.toml"], ids=["config/", "shipped"])
def test_the_shipped_config_sets_every_key_to_the_code_default(config):
    """pipeline.toml says the code defaults carry its values: every section and key is in
    the file, with the value and the type the code default has."""
    import tomllib

    data = tomllib.loads(config.read_text(encoding="utf-8"))
    defaults = without_source(Settings())
    assert set(data) == set(defaults), "every section is in the file"
    for section, values in defaults.items():
        assert set(data[section]) == set(values), f"every key of [{section}] is in the file"
    settings = load_settings(config)
    assert settings.source == str(config)
    assert without_source(settings) == defaults
    for section, values in without_source(settings).items():
        for key, value in values.items():
            default = getattr(getattr(Settings(), section), key)
            assert type(getattr(getattr(settings, section), key)) is type(default), f"{section}.{key}"


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
    assert settings.ingest.text_fields == Settings().ingest.text_fields and isinstance(settings.ingest.text_fields, tuple)


def test_settings_are_frozen():
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.run.workers = 3  # type: ignore[misc]


def test_the_schema_refuses_bad_values_in_code_too():
    """The schema is the sections' own: a stage's settings built in code are checked alike."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        settings_schema.OfftopicSettings(threshold=2.0)
    with pytest.raises(ValidationError):
        dataclasses.replace(Settings().run, workers=0)
    assert with_run_options(Settings(), "threads", 3).run == dataclasses.replace(Settings().run, task_runner="threads",
                                                                                 workers=3)


def numeric_fields():
    for section in settings_schema.SECTIONS.values():
        for name, info in section.__pydantic_fields__.items():
            if info.annotation in (int, float):
                yield section.__name__, name, info


@pytest.mark.parametrize("section, key, info", list(numeric_fields()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_number_is_bounded_by_the_house_rule(section, key, info):
    """Every number finite (the sections refuse nan and inf) and not negative; *_share and
    *_ratio are shares, 0 to 1."""
    low = [getattr(m, "ge", getattr(m, "gt", None)) for m in info.metadata if hasattr(m, "ge") or hasattr(m, "gt")]
    high = [m.le for m in info.metadata if hasattr(m, "le")]
    assert low and low[0] >= 0, f"{section}.{key} has no lower bound of 0 or more"
    if key.endswith(("_share", "_ratio")):
        assert high == [1], f"{section}.{key} is a share"
    assert any(getattr(m, "strict", False) for m in info.metadata), f"{section}.{key}: no text read as a number"


ERROR_CASES = [
    # (pipeline.toml text, rules.toml text or None, the message after "<file>: ", why)
    ("[bogus]\nx = 1\n", None,
     "bogus: unknown section; known: classify, decode, extract, ingest, language, neardup, offtopic, run, schedule, segment, templates",
     "a section the code does not know"),
    ("[offtopik]\nthreshold = 1\n", None, "offtopik: unknown section (did you mean 'offtopic'?)", "a misspelt section"),
    ("[run]\nshard_sized = 1\n", None, "run.shard_sized: unknown key (did you mean 'shard_size'?)", "a misspelt key"),
    ("[classify]\nrules = 1\n", None, "classify.rules: unknown key (the rules are read from rules_file)",
     "the compiled rules are not a setting"),
    ('[run]\nshard_size = "big"\n', None, "run.shard_size: must be a whole number, got 'big'", "a string for an int"),
    ("[run]\nshard_size = 2.5\n", None, "run.shard_size: must be a whole number, got 2.5", "a fraction for an int"),
    ("[run]\nworkers = true\n", None, "run.workers: must be a whole number, got true", "a bool is not an int"),
    ('[offtopic]\nthreshold = "high"\n', None, "offtopic.threshold: must be a number, got 'high'", "a string for a float"),
    ("[offtopic]\nsentence_vectors = 1\n", None, "offtopic.sentence_vectors: must be true or false, got 1",
     "a number for a bool"),
    ("[run]\ndask_address = 3\n", None, "run.dask_address: must be a string, got 3", "a number for a string"),
    ('[ingest]\ntext_fields = "text"\n', None,
     "ingest.text_fields: must be a list of strings, got the string 'text' (write ['text'])", "a list written as a string"),
    ("[ingest]\ntext_fields = ['text', 3]\n", None, "ingest.text_fields: must be a list of strings, got 3 in it",
     "a number in a list of strings"),
    ("run = 3\n", None, "run: must be a table, got 3", "a value where a section belongs"),
    ("[run]\nshard_size = 0\n", None, "run.shard_size: must be at least 1, got 0", "an impossible value"),
    ("[run]\nkeep_stage_runs = -1\n", None, "run.keep_stage_runs: must not be negative, got -1", "a negative run count"),
    ('[run]\ntask_runner = "fibers"\n', None, "run.task_runner: must be 'processes', 'threads' or 'dask', got 'fibers'",
     "an unknown runner"),
    ("[run]\ndocument_seconds = -1\n", None, "run.document_seconds: must not be negative, got -1", "a negative limit"),
    ("[run]\ndocument_seconds = nan\n", None, "run.document_seconds: must be a finite number, got nan", "nan"),
    ("[ingest]\nmax_file_bytes = -1\n", None, "ingest.max_file_bytes: must be at least 1, got -1", "a negative limit"),
    ("[ingest]\ntext_fields = []\nhtml_fields = []\n", None,
     "ingest.html_fields: text_fields and html_fields are both empty: no record could be read", "no field to read"),
    ("[offtopic]\nthreshold = inf\n", None, "offtopic.threshold: must be a finite number, got inf", "infinity"),
    ("[offtopic]\nthreshold = 1.5\n", None, "offtopic.threshold: must be between 0 and 1, got 1.5",
     "a threshold of a 0..1 score above 1"),
    ("[run]\nshard_max_bytes = -5\n", None, "run.shard_max_bytes: must be at least 1, got -5", "negative bytes a shard"),
    ("[segment]\nhard_wrap_share = 2.0\n", None, "segment.hard_wrap_share: must be between 0 and 1, got 2.0",
     "a share above 1"),
    ("[segment]\nmin_wrap_width = 120\n", None,
     "segment.min_wrap_width: must not be above max_wrap_width (100), got 120", "widths out of order"),
    ("[classify]\nprose_min_words = -3\n", None, "classify.prose_min_words: must not be negative, got -3",
     "negative words"),
    ("[language]\nmin_letters = -1\n", None, "language.min_letters: must not be negative, got -1", "negative letters"),
    ("[decode]\nmax_markup_depth = 0\n", None, "decode.max_markup_depth: must be at least 1, got 0", "no depth at all"),
    ('[extract]\nmode = "fast"\n', None, "extract.mode: must be 'precision', 'default' or 'recall', got 'fast'",
     "a mode trafilatura does not have"),
    ('[extract]\nfuller_modes = ["default", "balanced"]\n', None,
     "extract.fuller_modes: each must be 'precision', 'default' or 'recall', got 'balanced' in it", "a fuller mode"),
    ("[extract]\nmuch_shorter_share = 0\n", None, "extract.much_shorter_share: must be above 0, got 0",
     "a share that never triggers"),
    # [schedule]: refused when the file is read, not first by `serve`
    ('[schedule]\ncron = "61 * * * *"\n', None, "schedule.cron: not a cron expression: minute '61' is not in 0-59",
     "a minute past 59"),
    ('[schedule]\ncron = "every hour"\n', None,
     "schedule.cron: not a cron expression: 2 fields, not 5 (minute hour day month weekday)", "words for a cron"),
    ('[schedule]\ncron = "5 * * * * *"\n', None,
     "schedule.cron: not a cron expression: 6 fields, not 5 (minute hour day month weekday)", "a field too many"),
    ('[schedule]\ncron = "5 * * foo *"\n', None, "schedule.cron: not a cron expression: month 'foo' is not in 1-12",
     "a month that is not one"),
    ('[schedule]\ncron = "*/0 * * * *"\n', None, "schedule.cron: not a cron expression: minute step '0' is not 1 or more",
     "a step of zero"),
    ('[schedule]\ntimezone = "Mars/Olympus"\n', None,
     "schedule.timezone: not an IANA time zone (UTC, Europe/Madrid, ...), got 'Mars/Olympus'", "a time zone"),
    # rules.toml: tables and keys, every pattern compiled
    ("", "[boilerplate.patterns]\nad_marker = ['(unclosed']\n",
     "boilerplate.patterns.ad_marker: bad pattern '(unclosed': missing ), unterminated subpattern at position 0",
     "a regular expression that does not compile"),
    ("", "[metadata.patterns]\ndateline = ['[A-Z']\n",
     "metadata.patterns.dateline: bad pattern '[A-Z': unterminated character set at position 0", "a bad dateline"),
    ("", "[boilerplate.patterns]\nad_marker = '^advert'\n",
     "boilerplate.patterns.ad_marker: must be a list of strings, got the string '^advert' (write ['^advert'])",
     "a pattern list written as a string (each character became a regex)"),
    ("", "[sections]\nrelated_header = 'related'\n",
     "sections.related_header: must be a list of strings, got the string 'related' (write ['related'])",
     "a phrase list written as a string"),
    ("", "[boilerplate.patern]\nad_marker = ['x']\n", "boilerplate.patern: unknown section (did you mean 'patterns'?)",
     "a misspelt sub-table (its patterns were silently off)"),
    ("", "[guard]\nattribution = ['said']\n", "guard: unknown section (did you mean 'guards'?)", "a misspelt section"),
    ("", "[metadata.patterns]\ndatelines = ['^X']\n",
     "metadata.patterns.datelines: unknown key (did you mean 'dateline'?)", "a misspelt key"),
    ("", "[boilerplate.patterns]\nad_marker = ['']\n",
     "boilerplate.patterns.ad_marker: holds an empty pattern, which matches everything", "an empty pattern"),
    ("", "[boilerplate.patterns]\nad_marker = [3]\n",
     "boilerplate.patterns.ad_marker: must be a list of strings, got 3 in it", "a number for a pattern"),
    ("", "[dates]\ntimezones = { EST = 'minus five' }\n", "dates.timezones.EST: must be a number, got 'minus five'",
     "a time-zone offset that is not a number"),
    ("", "[dates.timezones]\nEST = nan\n", "dates.timezones.EST: must be a finite number, got nan", "a nan offset"),
    ("", "boilerplate = 3\n", "boilerplate: must be a table, got 3", "a value where a table belongs"),
]


@pytest.mark.parametrize("pipeline, rules, expected, why", ERROR_CASES, ids=[c[3] for c in ERROR_CASES])
def test_bad_config_is_one_line_naming_the_file_and_key(pipeline, rules, expected, why, tmp_path):
    path = config_dir(tmp_path, pipeline, rules)
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    wrong_file = path if rules is None else (tmp_path / "rules.toml")
    assert str(raised.value) == f"{wrong_file}: {expected}", why


def test_broken_toml_is_one_line(tmp_path):
    path = config_dir(tmp_path, "[run\n")
    with pytest.raises(ConfigError, match=r"pipeline.toml: invalid TOML: ") as raised:
        load_settings(path)
    assert "\n" not in str(raised.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_settings(tmp_path / "nope.toml")
    assert str(raised.value) == f"config file not found: {tmp_path / 'nope.toml'}"


def test_a_missing_rules_file_is_named_where_it_was_looked_for(tmp_path):
    path = config_dir(tmp_path, '[classify]\nrules_file = "missing-rules.toml"\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert str(raised.value) == f"{path}: classify.rules_file: rules file not found: {tmp_path / 'missing-rules.toml'}"


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


def test_shipped_defaults_are_the_repository_config():
    """The package's default config files are the repository's config/ files, byte for byte."""
    for name in ("pipeline.toml", "rules.toml"):
        assert (shipped_config_dir() / name).read_bytes() == (ROOT / "config" / name).read_bytes(), name


# --- which file: --config, else the working folder's config/, else the shipped defaults ---


def test_with_no_config_folder_the_shipped_defaults_are_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for given in (None, DEFAULT_CONFIG, "config/pipeline.toml"):
        settings = load_settings(given)
        assert settings.source == str(shipped_config_dir() / "pipeline.toml"), given
        assert settings.classify.rules.phrases, "with the shipped rules beside them"


def test_the_working_folders_config_is_read_when_there(tmp_path, monkeypatch):
    (tmp_path / "config").mkdir()
    config_dir(tmp_path / "config", "[run]\nworkers = 7\n")
    monkeypatch.chdir(tmp_path)
    for given in (None, DEFAULT_CONFIG):
        settings = load_settings(given)
        assert settings.run.workers == 7
        assert settings.source == str(tmp_path / "config" / "pipeline.toml"), "recorded absolute"


def test_a_config_given_outside_config_reads_the_rules_beside_it(tmp_path, monkeypatch):
    (tmp_path / "config").mkdir()
    config_dir(tmp_path / "config", "[run]\nworkers = 7\n")  # ignored: a file is named
    elsewhere = tmp_path / "site" / "newsclean.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text('[run]\nworkers = 3\n[classify]\nrules_file = "site-rules.toml"\n', encoding="utf-8")
    (elsewhere.parent / "site-rules.toml").write_text("[boilerplate.phrases]\nad_marker = ['buy now']\n",
                                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings("site/newsclean.toml")
    assert settings.run.workers == 3 and settings.source == str(elsewhere)
    assert settings.classify.rules.phrases == {"buy now": "ad_marker"}, "the rules beside the file, not config/'s"


def test_a_relative_rules_file_missing_beside_the_config_names_the_absolute_path(tmp_path, monkeypatch):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "pipeline.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as raised:
        load_settings("site/pipeline.toml")
    assert str(raised.value) == (f"site/pipeline.toml: classify.rules_file: rules file not found: "
                                 f"{tmp_path / 'site' / 'rules.toml'}")
