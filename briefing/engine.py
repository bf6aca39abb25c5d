"""Where a day's analyses run: a registry of engines, chosen by ``[engine] kind``.

``local``: this machine, in a pool of ``[brief] workers`` processes (or in this process for a few articles).
``dask``: the workers of a Dask distributed cluster at ``[engine] scheduler``.

Every engine takes jobs in order and gives back one outcome per job, in the same order: the analysis as a dict
(``briefing.analyse.analysis_to_dict``), or ``None`` and why it failed, so that one bad article is reported and
the rest are built. Engines only compute: the store stays with ``brief build`` in this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Protocol

from briefing.errors import EngineError
from briefing.models import Analysis, Article

if TYPE_CHECKING:
    from briefing.config import Config

logger = logging.getLogger(__name__)

Job = tuple[Article, int, str]  # an article, how many key facts, the summariser
Outcome = tuple[dict[str, Any] | None, str]  # its analysis as a dict, or None and why it failed
Analyse = Callable[[Article, int, str], Analysis]

POOL_MIN_ARTICLES = 16  # fewer new articles than this are analysed in this process (a pool costs more than it saves)
_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def analyse_job(analyse: Analyse, job: Job) -> Outcome:
    """Analyse one article wherever this runs: its analysis as a dict, or None and why it failed."""
    from briefing.analyse import analysis_to_dict

    article, facts, method = job
    try:
        return analysis_to_dict(analyse(article, facts, method)), ""
    except Exception as exc:  # reported by brief build, like a failure in its own process
        return None, str(exc) or type(exc).__name__


def analyse_chunk(analyse: Analyse, jobs: list[Job]) -> list[Outcome]:
    """Analyse several articles in one task (fewer round trips than one task per article)."""
    return [analyse_job(analyse, job) for job in jobs]


class Engine(Protocol):
    """Runs ``analyse`` on each job and yields the outcomes in the jobs' order."""

    def map(self, analyse: Analyse, jobs: Iterable[Job]) -> Iterator[Outcome]: ...


def _chunks(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    it = iter(jobs)
    while chunk := list(islice(it, size)):
        yield chunk


def _in_order(submit: Callable[[list[Job]], Any], chunks: Iterable[list[Job]], window: int,
              result: Callable[[Any, list[Job]], list[Outcome]]) -> Iterator[Outcome]:
    """Submit chunks with at most ``window`` in flight; yield their outcomes in the chunks' order."""
    pending: deque[tuple[Any, list[Job]]] = deque()
    it = iter(chunks)
    for chunk in it:
        pending.append((submit(chunk), chunk))
        if len(pending) >= window:
            break
    while pending:
        future, chunk = pending.popleft()
        for chunk_next in islice(it, 1):
            pending.append((submit(chunk_next), chunk_next))
        yield from result(future, chunk)


def _pool_result(future: Future[list[Outcome]], chunk: list[Job]) -> list[Outcome]:
    try:
        return future.result()
    except BrokenProcessPool:
        raise EngineError("an analysis worker process died (out of memory?); "
                          "set [brief] workers = 1 to analyse in one process") from None


def _start_method() -> str:
    """Fork on Linux when this process runs one thread: the workers share the parent's imported modules and
    loaded models, and start in milliseconds. With other threads running (a thread's lock could be copied held
    by fork), a fork server: one clean process that imports the analysis once and forks each worker. Spawn
    where neither exists (Windows)."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _context(method: str) -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # read once, when this process's fork server starts; it then serves every pool
        context.set_forkserver_preload(["briefing.analyse", "briefing.engine"])  # type: ignore[attr-defined]
    return context


@dataclass
class LocalEngine:
    """This machine: ``workers`` processes (BLAS on one thread each), or this process alone for a few articles."""

    workers: int = 1
    chunk: int = 4  # articles per task: ~20 ms of work, so the round trips cost little
    ahead: int = 16  # tasks per worker in flight: results are taken in order, so a worker that finishes early
    # keeps busy while an earlier, slower task is still running

    def map(self, analyse: Analyse, jobs: Iterable[Job]) -> Iterator[Outcome]:
        it = iter(jobs)
        head = list(islice(it, POOL_MIN_ARTICLES))
        if self.workers <= 1 or len(head) < POOL_MIN_ARTICLES:
            yield from (analyse_job(analyse, job) for job in chain(head, it))
            return
        method = _start_method()
        rest: Iterable[Job] = chain(head, it)
        if method == "fork":  # load the models here once, with the first article: every worker inherits them
            yield analyse_job(analyse, head[0])
            rest = chain(head[1:], it)
        saved = {key: os.environ.get(key) for key in _ONE_THREAD}
        os.environ.update(_ONE_THREAD)  # inherited by a fork server or spawned workers before they import numpy
        try:
            with ProcessPoolExecutor(self.workers, mp_context=_context(method)) as pool:
                def submit(chunk: list[Job]) -> Future[list[Outcome]]:
                    return pool.submit(analyse_chunk, analyse, chunk)

                yield from _in_order(submit, _chunks(rest, self.chunk), self.ahead * self.workers, _pool_result)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@dataclass
class DaskEngine:
    """A Dask distributed cluster: ``Client(scheduler).submit`` of chunks of articles, results taken in order.

    Workers need this version of briefing installed; they never see the store, only articles and analyses.
    """

    scheduler: str
    timeout: float = 10.0  # seconds to reach the scheduler and to find at least one worker
    chunk: int = 4  # articles per task

    def map(self, analyse: Analyse, jobs: Iterable[Job]) -> Iterator[Outcome]:
        it = iter(jobs)
        first = list(islice(it, 1))
        if not first:
            return
        client = self._connect()
        try:
            self._check_versions(client, first[0])
            threads = sum(client.nthreads().values()) or 1

            def submit(chunk: list[Job]) -> Any:
                return client.submit(analyse_chunk, analyse, chunk, pure=False)

            yield from _in_order(submit, _chunks(chain(first, it), self.chunk), 4 * threads + 4,
                                 lambda f, chunk: self._result(client, analyse, f, chunk))
        finally:
            client.close()

    def _connect(self) -> Any:
        try:
            from distributed import Client
        except ImportError:
            raise EngineError("[engine] kind = \"dask\" needs the distributed package: pip install 'briefing[dask]' "
                              "(or set kind = \"local\")") from None
        try:
            client = Client(self.scheduler, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise EngineError(f"Dask scheduler {self.scheduler} cannot be reached within {self.timeout:g} s ({exc}); "
                              f"start it with `dask scheduler` or set [engine] kind = \"local\"") from None
        try:
            client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError):
            client.close()
            raise EngineError(f"Dask scheduler {self.scheduler} has no worker after {self.timeout:g} s; "
                              f"start one with `dask worker {self.scheduler} --nthreads 1`") from None
        return client

    def _check_versions(self, client: Any, job: Job) -> None:
        """Stored analyses are keyed by the analyser's fingerprint: every worker must run the same analyser."""
        from briefing.analyse import analyser_version

        _, facts, method = job
        ours = analyser_version(facts, method)
        try:
            theirs = client.run(analyser_version, facts, method)
        except Exception as exc:  # e.g. briefing not installed on a worker
            raise EngineError(f"Dask workers at {self.scheduler} cannot run briefing's analysis ({exc}); "
                              "install this version of briefing on every worker") from None
        wrong = sorted(worker for worker, version in theirs.items() if version != ours)
        if wrong:
            raise EngineError(f"Dask workers {', '.join(wrong)} run another version of briefing's analysis "
                              f"({theirs[wrong[0]]}, here {ours}); install this version of briefing on every worker")

    def _result(self, client: Any, analyse: Analyse, future: Any, chunk: list[Job]) -> list[Outcome]:
        """A task's outcomes; a chunk whose worker died is retried one article at a time, so only the article
        that kills its worker is reported (as failed), not its neighbours."""
        from distributed import KilledWorker

        try:
            return list(future.result())
        except KilledWorker:
            if len(chunk) == 1:
                return [(None, "its analysis killed the Dask worker running it")]
            logger.warning("a Dask worker died on a chunk of %d articles: retrying them one by one", len(chunk))
            singles = [client.submit(analyse_chunk, analyse, [job], pure=False) for job in chunk]
            return [o for f, job in zip(singles, chunk, strict=True) for o in self._result(client, analyse, f, [job])]
        except Exception as exc:  # the cluster, not an article: analysis errors come back as outcomes
            raise EngineError(f"the Dask cluster at {self.scheduler} failed while analysing: "
                              f"{type(exc).__name__}: {exc}") from None


def _local(cfg: Config) -> Engine:
    return LocalEngine(cfg.brief.workers or os.cpu_count() or 1)


def _dask(cfg: Config) -> Engine:
    return DaskEngine(cfg.engine.scheduler, cfg.engine.timeout)


ENGINES: dict[str, Callable[[Config], Engine]] = {"local": _local, "dask": _dask}


def make_engine(cfg: Config) -> Engine:
    """The engine that ``[engine] kind`` names (``[brief] workers`` sizes the local one)."""
    return ENGINES[cfg.engine.kind](cfg)
