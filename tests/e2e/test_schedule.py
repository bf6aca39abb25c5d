"""`brief schedule` from the command line: one due job builds and emails the brief once; cron and systemd lines."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import write_config
from tests.e2e.cli import brief
from tests.smtp_server import SMTPTestServer


def test_cli_schedule_once_builds_and_emails_once(tmp_path, articles_dir):
    with SMTPTestServer() as server:
        extra = f"""
[email]
enabled = true
host = "127.0.0.1"
port = {server.port}
security = "none"
recipients = ["alice@example.org"]

[schedule]
time = "00:00"
catch_up_hours = 24
"""
        write_config(tmp_path, articles_dir, extra=extra)
        first = brief("schedule", "--once", cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert "started" in first.stderr and "done" in first.stderr  # each run is logged
        assert len(server.messages) == 1
        today = datetime.now(UTC).date().isoformat()
        assert (tmp_path / "out" / today / "brief.pdf").is_file()
        second = brief("schedule", "--once", cwd=tmp_path)
        assert second.returncode == 0 and "no job due" in second.stderr
        assert len(server.messages) == 1


def test_cli_print_cron_and_systemd(tmp_path, articles_dir):
    config = write_config(tmp_path, articles_dir, extra='[schedule]\ntime = "07:15"\n')
    cron = brief("schedule", "--print-cron", cwd=tmp_path)
    assert cron.returncode == 0 and f"--config {config}" in cron.stdout and "07:15 UTC" in cron.stdout
    units = brief("schedule", "--print-systemd", cwd=tmp_path)
    assert units.returncode == 0 and "OnCalendar=*-*-* 07:15:00 UTC" in units.stdout and "[Service]" in units.stdout
    both = brief("schedule", "--print-cron", "--print-systemd", cwd=tmp_path)
    assert both.returncode == 2
