"""The run's worker processes: where the CPU-bound stages (decode, extract, segment,
classify, language) run, so `--workers N` uses N cores instead of sharing one
interpreter's GIL.

One pool per run, started before Prefect's engine so its warm-up overlaps the server
start: a `forkserver` imports the stages and loads their models once (newsclean/warmup.py:
langdetect profiles, the sentence vectors, dateparser's locale data), and every worker
is forked from it already warm. Workers never import Prefect (so none starts a server of
its own); each call gets (stage, output folder, run id, shard id, settings), reads the
shard file the stage before wrote and writes its own (newsclean/shardwork.py); a run sends
a shard's decode to segment as one call and its classify and language as another
(`run_chain`; the templates reduce across shards runs between them): one read each, the
shard passed from stage to stage in memory, each stage's output written as it is done. The Prefect
task that submitted it waits in a thread of the flow's thread pool, so the task graph,
retries, logs and artifacts stay Prefect's, per stage and shard.

A worker that dies (killed, out of memory) breaks the pool: the next call starts a new
one, and the call that was lost raises WorkerLost, which the task retries once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsclean.settings import NeardupSettings, Settings

# Modules the fork server imports before it forks any worker: their import is the
# warm-up (newsclean/warmup.py), paid once per run instead of once per worker.
PRELOAD = ["newsclean.warmup"]
# Numerical libraries must not start thread pools of their own: a worker is one core.
SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# Environment variables of the test hooks, passed to each call (the fork server keeps
# the environment it started with).
HOOKS = ("NEWSCLEAN_SLOW_DOCUMENT",)


class WorkerLost(RuntimeError):
    """A worker process died while it ran a stage: the stage's task retries once."""


def _work(stage: str, output: str, run_id: str, shard_id: int, settings: Settings, hooks: dict[str, str]) -> dict[str, Any]:
    """In a worker: run one transform stage on one shard (see shardwork.transform_files)."""
    from newsclean import shardwork

    _set_hooks(hooks)
    return shardwork.transform_files(stage, Path(output), run_id, shard_id, settings)


def _work_chain(
    stages: tuple[str, ...], output: str, run_id: str, shard_id: int, settings: Settings, hooks: dict[str, str]
) -> list[dict[str, Any]]:
    """In a worker: run consecutive transform stages on one shard (shardwork.transform_chain)."""
    from newsclean import shardwork

    from newsclean.stages.memory import return_freed_memory

    _set_hooks(hooks)
    try:
        return shardwork.transform_chain(stages, Path(output), run_id, shard_id, settings)
    finally:
        return_freed_memory()  # the shard's transients: the next shard starts from the worker's steady size


def _fingerprints(path: str, settings: NeardupSettings) -> Any:
    """In a worker: one staged file's cross-document fingerprints (crossdoc.file_fingerprints)."""
    from newsclean.crossdoc import file_fingerprints

    return file_fingerprints(path, settings)


def _set_hooks(hooks: dict[str, str]) -> None:
    for name in HOOKS:
        if name in hooks:
            os.environ[name] = hooks[name]
        else:
            os.environ.pop(name, None)


def _ready() -> int:
    """In a worker: nothing to do (the fork server warmed it); started early so the
    workers exist before the first stage needs them."""
    return os.getpid()


class StagePool:
    """`workers` processes forked from a warm fork server; `run` blocks the calling
    thread until its stage is done in one of them."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> "StagePool":
        """Start the fork server and the workers without waiting for them."""
        with self._lock:
            if self._executor is None:
                self._executor = self._new_executor()
        return self

    def _new_executor(self) -> ProcessPoolExecutor:
        for name, value in SINGLE_THREADED.items():
            os.environ.setdefault(name, value)  # inherited by the fork server
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        for _ in range(self.workers):
            executor.submit(_ready)
        return executor

    def submit(self, stage: str, output: Path, run_id: str, shard_id: int, settings: Settings) -> Future[dict[str, Any]]:
        """Start one transform stage of one shard in a worker; its summary's future."""
        return self._submit(_work, stage, stage, output, run_id, shard_id, settings)

    def submit_chain(
        self, stages: tuple[str, ...], output: Path, run_id: str, shard_id: int, settings: Settings
    ) -> Future[list[dict[str, Any]]]:
        """Start consecutive transform stages of one shard in one worker call
        (shardwork.transform_chain); the future of their summaries."""
        return self._submit(_work_chain, "-".join(stages), tuple(stages), output, run_id, shard_id, settings)

    def _submit(self, work: Any, label: str, stages: Any, output: Path, run_id: str, shard_id: int,
                settings: Settings) -> Future[Any]:
        hooks = {name: os.environ[name] for name in HOOKS if name in os.environ}
        with self._lock:
            if self._executor is None:
                self._executor = self._new_executor()
            executor = self._executor
        try:
            return executor.submit(work, stages, str(output), run_id, shard_id, settings, hooks)
        except BrokenProcessPool:
            self._replace(executor)
            raise WorkerLost(f"a worker process died before {label} of shard {shard_id} started") from None

    def run(self, stage: str, output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
        """Run a transform stage on a shard in a worker; its summary. WorkerLost if the
        worker died meanwhile (the pool is replaced for the calls after it)."""
        return self.run_chain((stage,), output, run_id, shard_id, settings)[0]

    def run_chain(
        self, stages: tuple[str, ...], output: Path, run_id: str, shard_id: int, settings: Settings
    ) -> list[dict[str, Any]]:
        """Run consecutive transform stages on a shard in one worker; their summaries.
        WorkerLost if the worker died meanwhile (the stages it finished stay done)."""
        with self._lock:
            executor = self._executor
        future = self.submit_chain(stages, output, run_id, shard_id, settings)
        try:
            return future.result()
        except BrokenProcessPool:
            self._replace(executor)
            raise WorkerLost(f"a worker process died while running {'-'.join(stages)} on shard {shard_id}") from None

    def fingerprints(self, paths: Sequence[str], settings: NeardupSettings) -> list[Any]:
        """The cross-document step's `file_fingerprints` of each file, computed in the
        workers side by side, in file order. A worker lost meanwhile costs nothing but
        time: the files it had are fingerprinted in this process."""
        from newsclean.crossdoc import file_fingerprints, fingerprints_here

        with self._lock:
            executor = self._executor
        if executor is None or len(paths) < 2:
            return list(fingerprints_here(paths, settings))
        try:
            futures = [executor.submit(_fingerprints, path, settings) for path in paths]
        except BrokenProcessPool:
            self._replace(executor)
            return list(fingerprints_here(paths, settings))
        done = []
        for path, future in zip(paths, futures):
            try:
                done.append(future.result())
            except BrokenProcessPool:
                self._replace(executor)
                done.append(file_fingerprints(path, settings))
        return done

    def _replace(self, broken: ProcessPoolExecutor | None) -> None:
        with self._lock:
            if self._executor is broken or self._executor is None:
                if broken is not None:
                    broken.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def stop_fork_server() -> None:
    """Stop the fork server and wait for it, as a command does before it exits: it stays
    up between pools (a process serving scheduled runs keeps it warm), and only a server
    waited for adds its workers' CPU time to the command's own accounting (getrusage,
    `time`)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if stop is not None:
        stop()


_CURRENT: StagePool | None = None


def current() -> StagePool | None:
    """The pool the running command or flow set up, if any (tasks run their stage in it)."""
    return _CURRENT


@contextmanager
def stage_pool(workers: int) -> Iterator[StagePool]:
    """Start a pool of `workers` processes for the CPU-bound stages (unless one is already
    set up, which is then used) and make it current; close it on the way out."""
    global _CURRENT
    if _CURRENT is not None:
        yield _CURRENT
        return
    pool = StagePool(workers).start()
    _CURRENT = pool
    try:
        yield pool
    finally:
        _CURRENT = None
        pool.close()
