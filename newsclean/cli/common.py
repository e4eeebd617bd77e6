"""What the commands share: where their messages go, the output folder's lock, and the
commits a crash interrupted."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsclean.cli.preflight import UsageError


def say(args: argparse.Namespace, text: str) -> None:
    """A message for the user: stdout; stderr under --json (stdout holds only the JSON);
    nowhere under --quiet."""
    if getattr(args, "quiet", False):
        return
    stream = sys.stderr if getattr(args, "json", False) else sys.stdout
    print(text, file=stream, flush=True)


def print_json(data: Any) -> None:
    """The one JSON document --json writes on stdout."""
    print(json.dumps(data, indent=2, sort_keys=True, default=str))


@contextmanager
def holding_output(output: Path) -> Iterator[None]:
    """Hold the output folder's lock from before Prefect starts until the command is
    done (its flow takes the same lock again): a second command started while this one
    starts is refused at once with a one-line error, not inside Prefect."""
    from newsclean import runlog

    try:
        with runlog.output_lock(output):
            yield
    except runlog.OutputBusyError as exc:
        raise UsageError(str(exc)) from None


def finish_interrupted(args: argparse.Namespace, output: Path) -> None:
    """Complete, before this command reads the output, any commit a crash interrupted
    (saying so); if another process holds the output, it finishes them itself."""
    from newsclean import runlog

    if not runlog.interrupted_commits(output):
        return
    try:
        with runlog.output_lock(output):
            for run_id in runlog.finish_commits(output):
                say(args, f"finished the commit of run {run_id}, which a crash had interrupted")
    except runlog.OutputBusyError:
        return


def stage_names() -> tuple[str, ...]:
    from newsclean.shardstore import STAGES  # shardstore loads pyarrow, not Prefect

    return STAGES
