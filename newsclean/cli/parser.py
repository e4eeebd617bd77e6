"""The command line's grammar: commands, options and their help (argparse writes the help
and each default, once). No command runs here."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from newsclean import __version__
from newsclean.cli import commands, run
from newsclean.cli.common import stage_names
from newsclean.cli.preflight import LOCAL_ONLY, UsageError, is_url
from newsclean.settings import TASK_RUNNERS

DESCRIPTION = """\
Clean scraped news articles (.txt, .html, .jsonl/.ndjson/.json records, WARC archives,
pages saved under any name; plain, .gz, .zst, .bz2 or .xz; any encoding) into Parquet
datasets: articles/, paragraphs/ (every paragraph with its label and the rule that
decided it), offtopic/ and rejects/, plus a manifest per run in runs/.
"""

EPILOG = """\
examples:
  newsclean run                                   clean the new inputs of seeds/ into output/
  newsclean run --input crawl/ --output data/     a folder tree of scraped pages
  newsclean run --dry-run                         what a run would process; writes nothing
  newsclean run --full                            reprocess every input, not only new ones
  newsclean run --json > summary.json             the run's manifest as JSON on stdout
  newsclean run --runner dask --workers 4         scale out on a local Dask cluster
  newsclean init                                  editable copies of the default config in config/
  newsclean stages latest                         what each stage of the newest run did
  newsclean rerun latest --stage classify         rerun classify (then language, publish)
  newsclean diff RUN_A RUN_B                      paragraphs whose label or reason changed
  newsclean report latest                         an HTML report: output/reports/<run>.html
  newsclean versions daily/museum.txt             an article's versions and what changed
  newsclean prune --keep 5 --dry-run              what deleting older runs' stage files frees
  newsclean serve                                 run on the cron of [schedule] (Prefect server)

Runs use Prefect's embedded mode unless PREFECT_API_URL points at a Prefect server.
Settings: --config FILE, else ./config/pipeline.toml if there is one, else the defaults
shipped with newsclean.
"""

CONFIG_HELP = "pipeline settings (TOML; the word lists and patterns of rules.toml sit beside it) " \
              "(default: ./config/pipeline.toml if there is one, else the shipped defaults)"
LOG_LEVELS = ("debug", "info", "warning", "error")


class Parser(argparse.ArgumentParser):
    """Usage errors as one line (UsageError: `newsclean: error: ...`, exit status 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


class HelpFormatter(argparse.HelpFormatter):
    """An option's default added once, by argparse, when it has one to show (not None,
    off, or one its help already states)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (None, False, argparse.SUPPRESS) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


class MainHelpFormatter(argparse.RawDescriptionHelpFormatter, HelpFormatter):
    """As HelpFormatter; the description and the examples kept as written."""


def path_arg(text: str) -> Path:
    """A local path option; a URL is refused while parsing."""
    if is_url(text):
        raise argparse.ArgumentTypeError(f"{text} is a URL; {LOCAL_ONLY}")
    return Path(text)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="newsclean", description=DESCRIPTION, epilog=EPILOG, formatter_class=MainHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_verbosity(parser, top=True)
    commands_ = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands_.required = True

    def command(name: str, handler, help: str, description: str) -> argparse.ArgumentParser:  # noqa: A002
        sub = commands_.add_parser(name, help=help, description=description, formatter_class=HelpFormatter)
        add_verbosity(sub, top=False)
        sub.set_defaults(handler=handler)
        return sub

    run_ = command("run", run.command_run, "clean a folder of scraped articles into Parquet datasets",
                   "Clean every article under --input into Parquet datasets under --output, then print a "
                   "summary: articles, paragraphs kept and removed by label, off-topic paragraphs, rejects "
                   "and time.")
    run_.add_argument("--input", type=path_arg, default=Path("seeds"), metavar="PATH",
                      help="a file or a folder tree of .txt/.html/.htm pages, .jsonl/.ndjson/.json records, "
                      ".warc archives and pages under any other name (each may be .gz, .zst, .bz2 or .xz)")
    run_.add_argument("--output", type=path_arg, default=Path("output"), metavar="DIR",
                      help="folder for the datasets, per-stage shard files, run manifests and logs")
    run_.add_argument("--config", type=path_arg, default=None, metavar="FILE", help=CONFIG_HELP)
    run_.add_argument("--runner", choices=TASK_RUNNERS, default=None,
                      help="where the stages run: `processes` (the CPU-bound stages in worker processes, file "
                      "I/O in threads), `threads` (one process) or `dask` (default: [run] task_runner of the config)")
    run_.add_argument("--workers", type=int, default=None, metavar="N",
                      help="worker processes (threads, Dask workers) (default: [run] workers of the config)")
    run_.add_argument("--full", action="store_true",
                      help="process every input, also those the ledger says earlier runs processed; their rows "
                      "replace the earlier runs' rows")
    run_.add_argument("--dry-run", action="store_true",
                      help="print what would be processed (runs to finish first, new inputs, shards) and write "
                      "nothing: no output folder, lock, plan or ledger")
    add_json(run_, "the run's manifest (or the dry run's plan) as JSON on stdout, and nothing else there")
    run_.add_argument("--run-id", default=None, help=argparse.SUPPRESS)

    rerun = command("rerun", commands.command_rerun,
                    "rerun one stage of a run from the persisted output of the stage before it",
                    "Rerun STAGE of RUN_ID (one shard or all) from the output the stage before it persisted, "
                    "without reading the inputs again; then the stages after it and the commit, which replaces "
                    "the run's rows and rewrites its manifest. Prints the paragraphs whose label or reason changed.")
    rerun.add_argument("run_id", metavar="RUN_ID", help="a run id, or `latest`")
    rerun.add_argument("--stage", required=True, choices=stage_names(), help="the stage to rerun")
    rerun.add_argument("--shard", type=int, default=None, metavar="N", help="only this shard (default: every shard)")
    rerun.add_argument("--only", action="store_true",
                       help="run just this stage: no later stages, no commit (the datasets stay as they are)")
    rerun.add_argument("--config", type=path_arg, default=None, metavar="FILE",
                       help="settings to rerun with (default: the config the run was made with); later reruns and "
                       "resumes of the run use it too")
    rerun.add_argument("--engine", choices=("auto", "prefect"), default="auto",
                       help="`auto`: a rerun with --only (it commits nothing) runs without Prefect's engine, in a "
                       "few seconds; `prefect`: always through Prefect (its UI shows the tasks)")
    add_json(rerun, "what changed (and the new manifest) as JSON on stdout")
    add_output(rerun)

    stages = command("stages", commands.command_stages, "list a run's stages: status, shards, rows, durations",
                     "List the stages of RUN_ID with their status (done, partial, missing), shards done, "
                     "documents, paragraphs and rejects written, and time spent.")
    stages.add_argument("run_id", metavar="RUN_ID", help="a run id, or `latest`")
    add_json(stages, "the table as JSON on stdout")
    add_output(stages)

    diff = command("diff", commands.command_diff, "paragraphs whose label or reason changed between two runs",
                   "Compare the paragraph labels of two runs (as their classify stage left them), matching "
                   "paragraphs by article id and character span, else by position; print counts by "
                   "`old label/reason -> new label/reason` and a few examples.")
    diff.add_argument("run_a", metavar="RUN_A", help="the earlier run (or `latest`)")
    diff.add_argument("run_b", metavar="RUN_B", help="the later run (or `latest`)")
    diff.add_argument("--examples", type=int, default=5, metavar="N", help="how many changed paragraphs to show")
    add_output(diff)

    report = command("report", commands.command_report, "write a self-contained HTML report of a run",
                     "Write an HTML report of RUN_ID with charts (no network needed to view it): examples of the "
                     "paragraphs removed for each reason, off-topic tails, junk share per source site, languages, "
                     "encoding fixes, rejects, the change against the previous run and the slowest stages.")
    report.add_argument("run_id", metavar="RUN_ID", help="a run id, or `latest`")
    report.add_argument("--to", type=path_arg, default=None, metavar="FILE",
                        help="the HTML file (default: OUTPUT/reports/RUN_ID.html)")
    add_output(report)

    versions = command("versions", commands.command_versions, "an article's versions and what changed between two",
                       "List the versions of the article DOC_KEY (its canonical URL, else its source path) that "
                       "committed runs saw, and the body paragraphs removed (-) and added (+) between two of them.")
    versions.add_argument("doc_key", metavar="DOC_KEY", help="the article's doc_key (articles/ column)")
    versions.add_argument("--old", type=int, default=None, metavar="N", help="the earlier version (default: the one "
                          "before the newest)")
    versions.add_argument("--new", type=int, default=None, metavar="N", help="the later version (default: the newest)")
    add_json(versions, "the versions and changes as JSON on stdout")
    add_output(versions)

    prune = command("prune", commands.command_prune, "delete the stage files of older committed runs",
                    "Delete _stages/<run_id>/ (every stage's shard files, raw input bytes included) of committed "
                    "runs but the newest --keep ones. Datasets, manifests and the ledger stay; unfinished runs are "
                    "never touched. `rerun`, `diff` and `stages` need a run's stage files. `run` prunes by itself "
                    "after each commit ([run] keep_stage_runs).")
    prune.add_argument("--keep", type=int, default=argparse.SUPPRESS, metavar="N",
                       help="how many of the newest committed runs keep their stage files; 0 deletes them all "
                       "(default: [run] keep_stage_runs of the config, where 0 means keep all)")
    prune.add_argument("--config", type=path_arg, default=None, metavar="FILE", help=CONFIG_HELP)
    prune.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
    add_output(prune)

    serve = command("serve", commands.command_serve,
                    "run the pipeline on the cron schedule of the config (Prefect deployment)",
                    "Serve the `newsclean/scheduled` deployment from this process on the cron of [schedule] in the "
                    "config: each scheduled run cleans the new inputs of --input. Uses the Prefect server at "
                    "PREFECT_API_URL, or starts a local one on --port. Trigger a run by hand with "
                    "`prefect deployment run newsclean/scheduled`. Stop with Ctrl-C.")
    serve.add_argument("--input", type=path_arg, default=Path("seeds"), metavar="DIR", help="the folder the crawler fills")
    serve.add_argument("--config", type=path_arg, default=None, metavar="FILE", help=CONFIG_HELP)
    serve.add_argument("--port", type=int, default=4200, metavar="PORT",
                       help="port of the local Prefect server started when PREFECT_API_URL is not set")
    add_output(serve)

    init = command("init", commands.command_init, "write editable copies of the default config",
                   "Write the shipped pipeline.toml (every threshold) and rules.toml (word lists and patterns) "
                   "into DIR, for a team to edit. `newsclean run` uses ./config/pipeline.toml when there is one; "
                   "else pass --config DIR/pipeline.toml.")
    init.add_argument("dir", metavar="DIR", nargs="?", type=path_arg, default=Path("config"),
                      help="the folder to write them into (default: config)")
    init.add_argument("--force", action="store_true", help="overwrite the files if they exist")
    return parser


def add_verbosity(parser: argparse.ArgumentParser, top: bool) -> None:
    """--quiet and --log-level, before the command or after it (a command's own copy sets
    them only when given)."""
    parser.add_argument("--quiet", "-q", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="print nothing but errors (and what --json asks for)")
    parser.add_argument("--log-level", metavar="LEVEL", choices=LOG_LEVELS, type=str.lower,
                        default="warning" if top else argparse.SUPPRESS,
                        help=f"the least severe log lines shown on the terminal, of {', '.join(LOG_LEVELS)}; "
                        "`info` brings back Prefect's per-task lines, which otherwise go only to the run's log "
                        "file (OUTPUT/_logs/) and the Prefect UI (default: warning)")


def add_json(parser: argparse.ArgumentParser, help: str) -> None:  # noqa: A002
    parser.add_argument("--json", action="store_true", help=help)


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=path_arg, default=Path("output"), metavar="DIR", help="the output folder of the runs")
