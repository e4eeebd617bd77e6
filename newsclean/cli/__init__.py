"""The `newsclean` command.

  parser.py     the grammar: commands, options, help
  run.py        `run` (and `run --dry-run`)
  commands.py   rerun, stages, diff, report, prune, serve, init
  preflight.py  checks made before anything is written (URLs, unwritable places, empty inputs)
  engine.py     Prefect's local server for a command, started before Prefect loads
  common.py     messages, the output lock, interrupted commits

A command that needs no engine never imports Prefect. Every failure the command foresees
is one line on stderr, `newsclean: error: ...`, and exit status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from newsclean.cli.engine import EngineError
from newsclean.cli.preflight import UsageError
from newsclean.settings import ConfigError

__all__ = ["EngineError", "UsageError", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsclean` console script; returns the exit status."""
    from newsclean.cli.parser import build_parser
    from newsclean.stages.memory import use_system_arrow_pool

    use_system_arrow_pool()  # before pyarrow loads, here and in every process the command starts
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except (UsageError, ConfigError, EngineError, FileNotFoundError, ValueError) as exc:
        print(f"newsclean: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return 130


def one_line(message: str) -> str:
    """A message of several lines (a validation error of a library's) on one.

    >>> one_line("1 validation error for X\\n  startup_timeout_seconds\\n    must be an integer\\n")
    '1 validation error for X; startup_timeout_seconds; must be an integer'
    """
    return "; ".join(line.strip() for line in message.splitlines() if line.strip())


if __name__ == "__main__":
    sys.exit(main())
