"""Build, email and resend from the command line, against an SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import write_config
from tests.e2e.cli import brief
from tests.smtp_server import Script, SMTPTestServer
from tests.test_deliver import ALICE, BRIEF, DAY


def email_section(port: int, recipients: list[str], enabled: bool = False) -> str:
    listed = ", ".join(f'"{r}"' for r in recipients)
    return f"""
[email]
enabled = {str(enabled).lower()}
host = "127.0.0.1"
port = {port}
security = "none"
sender = "brief@example.org"
recipients = [{listed}]
give_up_after = 5
"""


def test_cli_build_email_then_send_and_force(tmp_path, articles_dir):
    with SMTPTestServer(script=Script(reject={"nobody@example.org"})) as server:
        write_config(tmp_path, articles_dir, extra=email_section(server.port, [ALICE]))
        built = brief("build", "--date", "today", "--format", "json", "--email", cwd=tmp_path)
        assert built.returncode == 0, built.stderr
        paths = [Path(p) for p in built.stdout.split()]
        assert sorted(p.name for p in paths) == ["brief.json", "brief.pdf"]  # --email adds the PDF
        assert f"{ALICE}: sent" in built.stderr
        (got,) = server.messages
        (attachment,) = list(got.message.iter_attachments())
        day = paths[0].parent.name
        headline = json.loads(next(p for p in paths if p.suffix == ".json").read_text())["stories"][0]["headline"]
        assert headline in got.message.get_body(preferencelist=("plain",)).get_content()
        assert attachment.get_content() == next(p for p in paths if p.suffix == ".pdf").read_bytes()

        again = brief("send", "--date", day, cwd=tmp_path)
        assert again.returncode == 0 and "already delivered" in again.stderr and len(server.messages) == 1
        forced = brief("send", "--date", day, "--force", cwd=tmp_path)
        assert forced.returncode == 0 and f"{ALICE}: sent" in forced.stderr and len(server.messages) == 2

        write_config(tmp_path, articles_dir, extra=email_section(server.port, [ALICE, "nobody@example.org"]))
        partly = brief("send", "--date", day, cwd=tmp_path)
        assert partly.returncode == 1
        assert "nobody@example.org: NOT delivered (550" in partly.stderr
        assert partly.stderr.strip().splitlines()[-1].startswith("Error: The brief for")
        assert len(server.messages) == 2  # Alice already had it: skipped

        missing = brief("send", "--date", "2001-01-01", cwd=tmp_path)
        assert missing.returncode == 1 and "No PDF brief for 2001-01-01" in missing.stderr


def test_cli_build_no_email_overrides_config(tmp_path, articles_dir):
    with SMTPTestServer() as server:
        write_config(tmp_path, articles_dir, extra=email_section(server.port, [ALICE], enabled=True))
        done = brief("build", "--date", "2001-01-01", "--format", "json", "--no-email", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert server.messages == [] and [Path(p).name for p in done.stdout.split()] == ["brief.json"]


def test_cli_send_after_a_lost_reply(tmp_path, articles_dir):
    folder = tmp_path / "out" / DAY.isoformat()
    folder.mkdir(parents=True)
    (folder / "brief.pdf").write_bytes(b"%PDF-1.4 built")
    (folder / "brief.json").write_text(json.dumps(BRIEF), encoding="utf-8")
    with SMTPTestServer(script=Script(drop_after_accept=1)) as server:
        write_config(tmp_path, articles_dir, extra=email_section(server.port, [ALICE]))
        first = brief("send", "--date", DAY.isoformat(), cwd=tmp_path)
        assert first.returncode == 1 and len(server.messages) == 1
        assert f"{ALICE}: delivery UNKNOWN, the server may have it; not resent" in first.stderr
        last = first.stderr.strip().splitlines()[-1]
        assert last.startswith(f"Error: The brief for {DAY} may or may not have reached 1 recipient(s), not resent")
        again = brief("send", "--date", DAY.isoformat(), cwd=tmp_path)
        assert again.returncode == 1 and len(server.messages) == 1
        assert f"{ALICE}: delivery UNKNOWN" in again.stderr and "may have delivered it" in again.stderr
        forced = brief("send", "--date", DAY.isoformat(), "--force", cwd=tmp_path)
        assert forced.returncode == 0 and f"{ALICE}: sent" in forced.stderr and len(server.messages) == 2
