"""Schedule: build and email the day's brief once a day at a local time, surviving downtime and rivals.

The daily time (``[schedule] time``) is a wall-clock time in ``[brief] timezone``; zoneinfo turns it
into an instant for each date, so the job follows daylight-saving changes (a time that does not exist
on the spring-forward day runs at the same minutes past the next hour; a time that happens twice on
the fall-back day runs at its first occurrence).

The ``schedule`` library keeps the job and runs it when due. Its own ``.at(time, tz)`` needs pytz,
compares naive host-local times and reads the wall clock directly; so the one job here is a
``schedule.Job`` whose next run is computed with zoneinfo on an injectable clock (tests never wait).

The store's ``job_runs`` table makes each day's job happen once: a row per day is the lock (holder +
heartbeat) and then the record (``done`` or ``failed``). A second scheduler on the same store sees
the row and leaves the day alone; if the holder died (heartbeat older than ``STALE_AFTER``) the day
is taken over and resumed. After downtime, a run missed by at most ``catch_up_hours`` is run late.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import socket
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import schedule as schedule_lib

from briefing.config import Config
from briefing.errors import BriefingError
from briefing.store import Store

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Job = Callable[[Config, date, bool], None]  # (cfg, day, resume): resume is True when taking over a dead holder's day

HEARTBEAT_EVERY = 60.0  # seconds between heartbeats of a running job
STALE_AFTER = timedelta(minutes=10)  # a running job without a heartbeat for this long has lost its holder
MAX_NAP = 300.0  # never sleep longer: a suspended machine or a changed clock is noticed within this
ON_TIME = timedelta(minutes=5)  # how late a run may start and still count as on time (catch_up_hours = 0)


def utc_now() -> datetime:
    return datetime.now(UTC)


# ---- when ----


def scheduled_at(cfg: Config, day: date) -> datetime:
    """The instant (aware, UTC) of the daily run for ``day``.

    UTC, because Python never finds an aware time in a fall-back repeat equal to one in another zone.
    """
    hours, _, minutes = cfg.schedule.time.partition(":")
    local = datetime.combine(day, time(int(hours), int(minutes)), tzinfo=cfg.zone)  # fold=0: first of two
    # a wall time inside a spring-forward gap does not exist; the round trip moves it past the gap
    return local.astimezone(UTC)


def catch_up_window(cfg: Config) -> timedelta:
    return max(timedelta(hours=cfg.schedule.catch_up_hours), ON_TIME)


def due_days(cfg: Config, now: datetime) -> list[date]:
    """Days whose run time has passed at most the catch-up window ago, oldest first (done or not)."""
    today = now.astimezone(cfg.zone).date()
    window = catch_up_window(cfg)
    candidates = [today - timedelta(days=n) for n in range(window.days + 2, -1, -1)]
    return [d for d in candidates if scheduled_at(cfg, d) <= now <= scheduled_at(cfg, d) + window]


def next_run_after(cfg: Config, now: datetime) -> datetime:
    """The first scheduled instant strictly after ``now``."""
    day = now.astimezone(cfg.zone).date() - timedelta(days=1)
    while scheduled_at(cfg, day) <= now:
        day += timedelta(days=1)
    return scheduled_at(cfg, day)


# ---- the lock and record of each day's run (job_runs) ----


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def claim_day(store: Store, day: date, holder: str, now: datetime) -> str:
    """Try to take the day's job; atomic across processes sharing the store.

    Returns:
        ``"claimed"`` (first run), ``"taken_over"`` (the previous holder died), or why not:
        ``"done"``, ``"failed"`` (already ran) or ``"busy"`` (another live scheduler runs it).
    """
    outcome, row = store.claim_job(day, holder, _iso(now), _iso(now - STALE_AFTER))
    if outcome == "taken_over" and row and row["holder"] != holder:
        logger.warning("job for %s: its holder %s stopped beating at %s; taking it over", day, row["holder"], row["heartbeat"])
    return outcome


def beat(store: Store, day: date, holder: str, now: datetime) -> bool:
    """Renew the heartbeat of a running day; False if the lock was lost to another holder."""
    return store.beat_job(day, holder, _iso(now))


def finish_day(store: Store, day: date, holder: str, status: str, now: datetime) -> None:
    store.finish_job(day, holder, status, _iso(now))


def job_run(store: Store, day: date) -> dict[str, Any] | None:
    """The ``job_runs`` row of ``day``, if any."""
    return store.job_run(day)


@contextmanager
def _heartbeat(store_path: Path, day: date, holder: str, clock: Clock) -> Iterator[None]:
    """Beat in a thread (with its own connection) while the job runs, so rivals know we are alive."""
    stop = threading.Event()

    def loop() -> None:
        with Store(store_path) as store:
            while not stop.wait(HEARTBEAT_EVERY):
                if not beat(store, day, holder, clock()):
                    logger.error("job for %s: lost the lock to another scheduler", day)
                    return

    thread = threading.Thread(target=loop, name=f"heartbeat-{day}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


# ---- the job ----


def build_and_send(cfg: Config, day: date, resume: bool = False) -> None:
    """The daily job: build the day's brief, then email it when ``[email] enabled``.

    When resuming a day whose holder died, a PDF already built for that day is sent as it is,
    so readers who got it before the crash and those who get it now read the same brief.

    Raises:
        BriefingError: the build failed, or some recipient did not get the brief.
    """
    from briefing.build import build  # heavy imports only when a job runs
    from briefing.deliver import find_built_brief, send_brief

    with Store(cfg.store.path) as store:
        if resume and cfg.email.enabled:
            try:
                data, pdf = find_built_brief(cfg, day, store)
            except BriefingError:
                pass
            else:
                logger.info("job for %s: resuming with the brief already built at %s", day, pdf)
                send_brief(cfg, day, data, pdf, store).raise_for_failures()
                return
    formats = list(cfg.brief.formats)
    if cfg.email.enabled and "pdf" not in formats:
        formats.append("pdf")
    result = build(cfg, day, formats=formats)
    logger.info("job for %s: built %s", day, ", ".join(str(p) for p in result.paths.values()))
    if cfg.email.enabled:
        with Store(cfg.store.path) as store:
            report = send_brief(cfg, day, result.brief, result.paths["pdf"], store)
        for line in report.lines():
            logger.info("%s", line)
        report.raise_for_failures()


@dataclass
class RunOutcome:
    """One day's job as this scheduler ran it."""

    day: date
    status: str  # done | failed
    late: timedelta
    error: str = ""


class DailyRunner:
    """Runs every due, not yet run day's job under the store lock. Used by the loop and by ``--once``."""

    def __init__(self, cfg: Config, *, clock: Clock = utc_now, job: Job = build_and_send, holder: str | None = None):
        self.cfg = cfg
        self.clock = clock
        self.job = job
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.outcomes: list[RunOutcome] = []

    def run_due(self) -> list[RunOutcome]:
        """Run the job of each day that is due now and has not run; returns what ran."""
        ran = []
        for day in due_days(self.cfg, self.clock()):
            outcome = self.run_day(day)
            if outcome:
                ran.append(outcome)
        return ran

    def run_day(self, day: date) -> RunOutcome | None:
        now = self.clock()
        with Store(self.cfg.store.path) as store:
            claim = claim_day(store, day, self.holder, now)
            if claim not in ("claimed", "taken_over"):
                logger.debug("job for %s not run: %s", day, claim)
                return None
            late = now - scheduled_at(self.cfg, day)
            logger.info("job for %s started (scheduled %s, %s late)", day, _local(self.cfg, scheduled_at(self.cfg, day)), _span(late))
            status, error = "done", ""
            try:
                with _heartbeat(store.path, day, self.holder, self.clock):
                    self.job(self.cfg, day, claim == "taken_over")
            except Exception as exc:  # a failed day is recorded; the scheduler lives on to the next one
                status, error = "failed", str(exc)
                logger.error("job for %s failed: %s", day, exc, exc_info=not isinstance(exc, BriefingError))
            finish_day(store, day, self.holder, status, self.clock())
        if status == "done":
            logger.info("job for %s done", day)
        outcome = RunOutcome(day, status, late, error)
        self.outcomes.append(outcome)
        return outcome


def _local(cfg: Config, when: datetime) -> str:
    return when.astimezone(cfg.zone).strftime("%Y-%m-%d %H:%M %Z")


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


# ---- the loop, on the schedule library ----


class _ZonedDailyJob(schedule_lib.Job):
    """A ``schedule`` job at a wall-clock time of a zoneinfo zone, on an injectable clock."""

    def __init__(self, scheduler: _ClockScheduler, cfg: Config):
        super().__init__(1, scheduler)
        self.unit = "days"
        self.cfg = cfg
        self.clock = scheduler.clock

    @property
    def should_run(self) -> bool:
        return self.next_run is not None and self.clock() >= self.next_run

    def _schedule_next_run(self) -> None:
        self.next_run = next_run_after(self.cfg, self.clock())


class _ClockScheduler(schedule_lib.Scheduler):
    def __init__(self, clock: Clock):
        super().__init__()
        self.clock = clock

    @property
    def idle_seconds(self) -> float | None:
        runs = [job.next_run for job in self.jobs if job.next_run is not None]
        return (min(runs) - self.clock()).total_seconds() if runs else None


def run_scheduler(
    cfg: Config,
    *,
    clock: Clock = utc_now,
    sleep: Callable[[float], Any] | None = None,
    once: bool = False,
    job: Job = build_and_send,
    stop: threading.Event | None = None,
) -> list[RunOutcome]:
    """Run the daily job in the foreground until SIGTERM/SIGINT (or ``stop`` is set).

    At start, a run missed by at most ``catch_up_hours`` is run late; then the job runs at each
    ``[schedule] time`` in ``[brief] timezone``. Signals stop the loop between jobs, never inside one.

    Args:
        cfg: the configuration.
        clock: the current time (aware); tests pass a fake one.
        sleep: waits between checks; default: wait on ``stop`` (so a signal ends the wait at once).
        once: run the job if it is due now (or missed within the catch-up window), then return.
        job: what to run for a day; default: build the brief and email it.
        stop: set it to end the loop (the signal handlers set it).

    Returns:
        Every day's job this call ran, with its status.
    """
    stop = stop or threading.Event()
    wait = sleep or stop.wait
    runner = DailyRunner(cfg, clock=clock, job=job)
    with _stop_on_signals(stop):
        if once:
            if not runner.run_due():
                logger.info("no job due at %s; next run %s", _local(cfg, clock()), _local(cfg, next_run_after(cfg, clock())))
            return runner.outcomes
        logger.info(
            "scheduler started: the brief is built daily at %s %s; next run %s",
            cfg.schedule.time,
            cfg.brief.timezone,
            _local(cfg, next_run_after(cfg, clock())),
        )
        runner.run_due()  # catch up after downtime
        scheduler = _ClockScheduler(clock)
        _ZonedDailyJob(scheduler, cfg).do(runner.run_due)
        while not stop.is_set():
            scheduler.run_pending()
            if stop.is_set():
                break
            idle = scheduler.idle_seconds
            wait(MAX_NAP if idle is None else min(max(idle, 0.0), MAX_NAP))
        logger.info("scheduler stopped")
    return runner.outcomes


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop``: the loop ends after the current job, never inside it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        logger.info("%s received: stopping after the current job", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


# ---- the system's scheduler instead ----


def _command(config_path: Path) -> str:
    return f"{shlex.quote(sys.executable)} -m briefing schedule --once --config {shlex.quote(str(config_path))}"


def cron_line(cfg: Config, config_path: Path) -> str:
    """A crontab entry (with a comment line) equivalent to ``brief schedule``.

    cron runs in the host's time zone, which may differ from ``[brief] timezone`` and shift at other
    dates; so the entry runs hourly at the right minute and ``--once`` acts only when the day's run
    is due (same catch-up rule and store lock as the foreground scheduler).
    """
    local_minute = scheduled_at(cfg, utc_now().date()).astimezone().minute  # minute in the host's zone
    return (
        f"# briefing: daily brief at {cfg.schedule.time} {cfg.brief.timezone}; "
        "runs hourly, `--once` acts only when the day's run is due\n"
        f"{local_minute} * * * * {_command(Path(config_path).resolve())}"
    )


def systemd_units(cfg: Config, config_path: Path) -> dict[str, str]:
    """A systemd service and timer equivalent to ``brief schedule``, by file name.

    The timer names the time zone in ``OnCalendar`` (check it with ``systemd-analyze calendar``) and
    is ``Persistent`` so a run missed while the machine was off starts at boot; ``--once`` still
    applies the ``catch_up_hours`` limit and the store lock.
    """
    config_path = Path(config_path).resolve()
    service = f"""[Unit]
Description=briefing: build and email the daily brief
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
WorkingDirectory={config_path.parent}
ExecStart={_command(config_path)}
# the SMTP password comes from the environment, never from config.toml:
# Environment={cfg.email.password_env}=… or EnvironmentFile=/etc/briefing/secrets
"""
    timer = f"""[Unit]
Description=briefing: daily brief at {cfg.schedule.time} {cfg.brief.timezone}

[Timer]
OnCalendar=*-*-* {cfg.schedule.time}:00 {cfg.brief.timezone}
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {"briefing.service": service, "briefing.timer": timer}
