"""The daily scheduler on an injected clock: local time across DST, catch-up, the store lock, signals."""

from __future__ import annotations

import os
import signal
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from briefing import schedule
from briefing.config import Config, parse_config
from briefing.schedule import (
    DailyRunner,
    claim_day,
    cron_line,
    due_days,
    job_run,
    next_run_after,
    run_scheduler,
    scheduled_at,
    systemd_units,
)
from briefing.store import Store


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class FakeClock:
    """Time that moves only when the scheduler sleeps; stops the loop once past ``until``."""

    def __init__(self, start: datetime, until: datetime | None = None, stop: threading.Event | None = None):
        self.t = start
        self.until = until
        self.stop = stop
        self.naps: list[float] = []

    def __call__(self) -> datetime:
        return self.t

    def sleep(self, seconds: float) -> None:
        assert 0 <= seconds <= schedule.MAX_NAP
        self.naps.append(seconds)
        self.t += timedelta(seconds=seconds)
        if self.until and self.t >= self.until and self.stop:
            self.stop.set()


class Recorder:
    """A job that records (day, time, resume) instead of building anything."""

    def __init__(self, clock: FakeClock, fail: bool = False):
        self.clock = clock
        self.fail = fail
        self.runs: list[tuple[date, datetime, bool]] = []

    def __call__(self, cfg: Config, day: date, resume: bool) -> None:
        self.runs.append((day, self.clock(), resume))
        if self.fail:
            raise RuntimeError("the build broke")


def make_cfg(tmp_path: Path, zone: str = "Europe/Brussels", at: str = "06:30", catch_up: float = 12) -> Config:
    return parse_config(
        {"brief": {"timezone": zone}, "store": {"path": "store.db"}, "schedule": {"time": at, "catch_up_hours": catch_up}},
        tmp_path,
    )


def test_scheduled_instant_follows_daylight_saving(tmp_path):
    cfg = make_cfg(tmp_path)
    assert scheduled_at(cfg, date(2024, 3, 30)) == utc(2024, 3, 30, 5, 30)  # CET, UTC+1
    assert scheduled_at(cfg, date(2024, 3, 31)) == utc(2024, 3, 31, 4, 30)  # CEST, UTC+2
    assert scheduled_at(cfg, date(2024, 10, 27)) == utc(2024, 10, 27, 5, 30)  # back to CET


def test_time_in_the_spring_gap_and_the_autumn_repeat(tmp_path):
    cfg = make_cfg(tmp_path, at="02:30")
    gap = scheduled_at(cfg, date(2024, 3, 31))  # 02:30 does not exist that night in Brussels
    assert gap == utc(2024, 3, 31, 1, 30)
    assert (gap.astimezone(cfg.zone).hour, gap.astimezone(cfg.zone).minute) == (3, 30)
    twice = scheduled_at(cfg, date(2024, 10, 27))  # 02:30 happens twice: the first one
    assert twice == utc(2024, 10, 27, 0, 30)


def test_loop_runs_once_a_day_at_local_time_across_dst(tmp_path):
    cfg = make_cfg(tmp_path)
    stop = threading.Event()
    clock = FakeClock(utc(2024, 3, 29, 20, 0), until=utc(2024, 4, 2, 0, 0), stop=stop)  # 29 March's run: too late
    job = Recorder(clock)
    outcomes = run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, stop=stop)
    assert [(d, t) for d, t, _ in job.runs] == [
        (date(2024, 3, 30), utc(2024, 3, 30, 5, 30)),
        (date(2024, 3, 31), utc(2024, 3, 31, 4, 30)),
        (date(2024, 4, 1), utc(2024, 4, 1, 4, 30)),
    ]
    assert [o.status for o in outcomes] == ["done"] * 3
    assert all(o.late == timedelta(0) for o in outcomes)


def test_loop_in_a_zone_falling_back(tmp_path):
    cfg = make_cfg(tmp_path, zone="America/New_York", at="01:30")
    stop = threading.Event()
    clock = FakeClock(utc(2024, 11, 2, 20, 0), until=utc(2024, 11, 4, 12, 0), stop=stop)
    job = Recorder(clock)
    run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, stop=stop)
    # 01:30 happens twice on 3 November (EDT then EST): one run, at the first
    assert [(d, t) for d, t, _ in job.runs] == [
        (date(2024, 11, 3), utc(2024, 11, 3, 5, 30)),
        (date(2024, 11, 4), utc(2024, 11, 4, 6, 30)),
    ]


def test_catch_up_a_missed_run_within_the_limit(tmp_path):
    cfg = make_cfg(tmp_path, catch_up=12)
    clock = FakeClock(utc(2024, 5, 10, 8, 0))  # 10:00 in Brussels, the 06:30 run is 3.5 h late
    job = Recorder(clock)
    outcomes = run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, once=True)
    assert [(o.day, o.status, o.late) for o in outcomes] == [(date(2024, 5, 10), "done", timedelta(hours=3, minutes=30))]


def test_too_late_run_is_not_caught_up(tmp_path):
    cfg = make_cfg(tmp_path, catch_up=2)
    clock = FakeClock(utc(2024, 5, 10, 8, 0))
    job = Recorder(clock)
    assert run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, once=True) == []
    assert job.runs == []
    assert next_run_after(cfg, clock()) == utc(2024, 5, 11, 4, 30)


def test_yesterdays_run_caught_up_after_midnight(tmp_path):
    cfg = make_cfg(tmp_path, catch_up=24)
    clock = FakeClock(utc(2024, 5, 10, 23, 0))  # 01:00 on 11 May locally; 10 May's run is 18.5 h late
    assert due_days(cfg, clock()) == [date(2024, 5, 10)]
    job = Recorder(clock)
    run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, once=True)
    assert [d for d, _, _ in job.runs] == [date(2024, 5, 10)]


def test_zero_catch_up_still_runs_on_time(tmp_path):
    cfg = make_cfg(tmp_path, catch_up=0)
    assert due_days(cfg, utc(2024, 5, 10, 4, 31)) == [date(2024, 5, 10)]
    assert due_days(cfg, utc(2024, 5, 10, 5, 0)) == []


def test_once_before_the_time_does_nothing(tmp_path):
    cfg = make_cfg(tmp_path)
    clock = FakeClock(utc(2024, 5, 10, 3, 0))  # 05:00 locally
    job = Recorder(clock)
    assert run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, once=True) == []
    assert job.runs == [] and clock.naps == []


def test_never_runs_one_day_twice(tmp_path):
    cfg = make_cfg(tmp_path)
    clock = FakeClock(utc(2024, 5, 10, 5, 0))
    job = Recorder(clock)
    run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, once=True)
    clock.t += timedelta(hours=1)
    run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, once=True)  # a restart, later that day
    assert len(job.runs) == 1
    with Store(cfg.store.path) as store:
        assert job_run(store, date(2024, 5, 10))["status"] == "done"


def test_a_failed_day_is_recorded_and_not_rerun(tmp_path):
    cfg = make_cfg(tmp_path)
    clock = FakeClock(utc(2024, 5, 10, 5, 0))
    job = Recorder(clock, fail=True)
    (outcome,) = run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, once=True)
    assert outcome.status == "failed" and "the build broke" in outcome.error
    assert run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, once=True) == []
    with Store(cfg.store.path) as store:
        row = job_run(store, date(2024, 5, 10))
    assert row["status"] == "failed" and row["finished"]


def test_a_failed_day_does_not_stop_the_loop(tmp_path):
    cfg = make_cfg(tmp_path)
    stop = threading.Event()
    clock = FakeClock(utc(2024, 5, 10, 0, 0), until=utc(2024, 5, 12, 0, 0), stop=stop)
    job = Recorder(clock, fail=True)
    outcomes = run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job, stop=stop)
    assert [(o.day, o.status) for o in outcomes] == [(date(2024, 5, 10), "failed"), (date(2024, 5, 11), "failed")]


def test_two_schedulers_on_one_store_run_a_day_once(tmp_path):
    cfg = make_cfg(tmp_path)
    clock = FakeClock(utc(2024, 5, 10, 4, 30))
    runs: list[str] = []
    barrier = threading.Barrier(2)
    results: dict[str, list] = {}

    def job(cfg: Config, day: date, resume: bool) -> None:
        runs.append(threading.current_thread().name)

    def scheduler(name: str) -> None:
        runner = DailyRunner(cfg, clock=clock, job=job, holder=name)
        barrier.wait()
        results[name] = runner.run_due()

    threads = [threading.Thread(target=scheduler, args=(n,), name=n) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(runs) == 1
    assert sorted(len(r) for r in results.values()) == [0, 1]


def test_a_live_holder_keeps_the_day(tmp_path):
    cfg = make_cfg(tmp_path)
    clock = FakeClock(utc(2024, 5, 10, 4, 40))
    day = date(2024, 5, 10)
    with Store(cfg.store.path) as store:
        assert claim_day(store, day, "other-host:1", utc(2024, 5, 10, 4, 30)) == "claimed"
        store.conn.execute("UPDATE job_runs SET heartbeat = ? WHERE day = ?", ("2024-05-10T04:39:00+00:00", "2024-05-10"))
    job = Recorder(clock)
    assert DailyRunner(cfg, clock=clock, job=job).run_due() == []
    assert job.runs == []


def test_a_dead_holders_day_is_taken_over_and_resumed(tmp_path):
    cfg = make_cfg(tmp_path)
    day = date(2024, 5, 10)
    with Store(cfg.store.path) as store:
        assert claim_day(store, day, "dead-host:1", utc(2024, 5, 10, 4, 30)) == "claimed"
    clock = FakeClock(utc(2024, 5, 10, 4, 30) + schedule.STALE_AFTER + timedelta(seconds=1))
    job = Recorder(clock)
    (outcome,) = DailyRunner(cfg, clock=clock, job=job, holder="me").run_due()
    assert outcome.status == "done"
    assert job.runs == [(day, clock(), True)]  # resume=True: send what was built, do not rebuild
    with Store(cfg.store.path) as store:
        row = job_run(store, day)
    assert row["holder"] == "me" and row["status"] == "done"


def test_heartbeat_keeps_a_long_job_alive(tmp_path, monkeypatch):
    monkeypatch.setattr(schedule, "HEARTBEAT_EVERY", 0.01)
    cfg = make_cfg(tmp_path)
    clock = FakeClock(utc(2024, 5, 10, 4, 30))
    seen: list[str] = []

    def slow_job(cfg: Config, day: date, resume: bool) -> None:
        clock.t += timedelta(hours=1)  # the job takes an hour of (fake) time
        with Store(cfg.store.path) as store:
            for _ in range(500):
                beat = job_run(store, day)["heartbeat"]
                if beat == "2024-05-10T05:30:00+00:00":
                    break
                threading.Event().wait(0.01)
            seen.append(beat)
            # a rival arriving now must see a live holder, not a stale one
            assert claim_day(store, day, "rival", clock()) == "busy"

    DailyRunner(cfg, clock=clock, job=slow_job, holder="me").run_due()
    assert seen == ["2024-05-10T05:30:00+00:00"]


def test_sigterm_stops_the_loop_between_jobs(tmp_path):
    cfg = make_cfg(tmp_path)
    clock = FakeClock(utc(2024, 5, 10, 4, 0))
    runs: list[date] = []

    def job(cfg: Config, day: date, resume: bool) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # arrives in the middle of the job
        runs.append(day)  # the job still finishes

    before = signal.getsignal(signal.SIGTERM)
    outcomes = run_scheduler(cfg, clock=clock, sleep=clock.sleep, job=job)
    assert runs == [date(2024, 5, 10)] and [o.status for o in outcomes] == ["done"]
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored
    with Store(cfg.store.path) as store:
        assert job_run(store, date(2024, 5, 10))["status"] == "done"


def test_sigint_while_waiting_stops_the_default_wait(tmp_path):
    cfg = make_cfg(tmp_path)
    clock = FakeClock(utc(2024, 5, 10, 3, 0))  # nothing due: the loop waits on its stop event
    stop = threading.Event()
    fallback = threading.Timer(10, stop.set)  # only so that a broken handler fails instead of hanging
    interrupt = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT))
    fallback.start()
    interrupt.start()
    try:
        assert run_scheduler(cfg, clock=clock, job=Recorder(clock), stop=stop) == []
        assert fallback.is_alive()  # the signal, not the fallback, ended the wait
    finally:
        fallback.cancel()
        interrupt.cancel()


def test_cron_line(tmp_path):
    cfg = make_cfg(tmp_path, zone="UTC", at="06:45")
    comment, line = cron_line(cfg, tmp_path / "config.toml").splitlines()
    assert comment.startswith("# ") and "06:45 UTC" in comment
    fields = line.split()
    assert fields[1:5] == ["*", "*", "*", "*"] and 0 <= int(fields[0]) < 60
    assert "-m briefing schedule --once --config" in line and str(tmp_path / "config.toml") in line


def test_systemd_units_name_the_time_zone(tmp_path):
    cfg = make_cfg(tmp_path, zone="Europe/Brussels", at="06:30")
    units = systemd_units(cfg, tmp_path / "config.toml")
    assert set(units) == {"briefing.service", "briefing.timer"}
    assert "OnCalendar=*-*-* 06:30:00 Europe/Brussels" in units["briefing.timer"]
    assert "Persistent=true" in units["briefing.timer"]
    service = units["briefing.service"]
    assert "Type=oneshot" in service and "schedule --once --config" in service
    assert f"WorkingDirectory={tmp_path}" in service


@pytest.mark.parametrize("zone", ["Europe/Brussels", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_next_run_is_always_the_local_time_or_just_past_a_gap(tmp_path, zone):
    cfg = make_cfg(tmp_path, zone=zone, at="02:15")
    now = utc(2024, 1, 1)
    seen = set()
    for _ in range(366):
        run = next_run_after(cfg, now)
        assert run > now
        local = run.astimezone(cfg.zone)
        assert local.date() not in seen
        seen.add(local.date())
        assert (local.hour, local.minute) in {(2, 15), (2, 45), (3, 15)}  # 02:15, or past a 30/60-minute gap
        now = run
    assert len(seen) == 366




def test_resumed_day_sends_the_brief_already_built_without_rebuilding(tmp_path, monkeypatch):
    import briefing.build
    import briefing.deliver

    cfg = parse_config({"email": {"enabled": True, "recipients": ["a@example.org"]}}, tmp_path)
    day = date(2024, 5, 10)
    folder = cfg.brief.output_dir / day.isoformat()
    folder.mkdir(parents=True)
    (folder / "brief.pdf").write_bytes(b"%PDF-1.4 built before the crash")
    sent: list[Path] = []

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("a resumed day must not be rebuilt")

    class Report:
        def raise_for_failures(self) -> None:
            pass

    def fake_send(cfg: Config, day: date, data: object, pdf: Path, store: Store, **kwargs: object) -> Report:
        sent.append(pdf)
        return Report()

    monkeypatch.setattr(briefing.build, "build", no_build)
    monkeypatch.setattr(briefing.deliver, "send_brief", fake_send)
    schedule.build_and_send(cfg, day, resume=True)
    assert sent == [folder / "brief.pdf"]
    with pytest.raises(AssertionError, match="must not be rebuilt"):  # a first run does build
        schedule.build_and_send(cfg, day, resume=False)
