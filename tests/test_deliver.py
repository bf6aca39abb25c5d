"""Email delivery against real SMTP servers on 127.0.0.1 (see smtp_server.py), faults included."""

from __future__ import annotations

import io
import json
import logging
import os
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
import weasyprint
from lxml import html as lxml_html

from briefing.config import Config, parse_config
from briefing.deliver import delivered_to, delivery_log, find_built_brief, message_id, send_brief
from briefing.errors import ConfigError, DeliveryError
from briefing.store import Store
from tests.smtp_server import CERT_FILE, Script, SMTPTestServer, closed_port

DAY = date(2004, 8, 5)
BRIEF = {
    "title": "Daily Brief",
    "date": DAY.isoformat(),
    "top_lines": ["NATO agreed to train Iraqi security forces.", "Oil rose above $44 a barrel."],
    "stories": [
        {"headline": "NATO agrees to train Iraqi forces"},
        {"headline": "Oil prices <climb> & markets fall"},
    ],
}
ALICE, BOB = "alice@example.org", "bob@example.org"


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def monotonic(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return weasyprint.HTML(string="<h1>Daily Brief</h1><p>NATO agrees to train Iraqi forces</p>").write_pdf()


@pytest.fixture
def pdf(tmp_path: Path, pdf_bytes: bytes) -> Path:
    path = tmp_path / "out" / DAY.isoformat() / "brief.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(pdf_bytes)
    return path


def make_cfg(tmp_path: Path, port: int, **email: object) -> Config:
    settings = {
        "enabled": True,
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "sender": "brief@example.org",
        "recipients": [ALICE, BOB],
        "timeout": 5.0,
        "give_up_after": 60.0,
        **email,
    }
    return parse_config({"brief": {"output_dir": "out"}, "email": settings}, tmp_path)


def send(cfg: Config, store: Store, pdf: Path, clock: FakeTime | None = None, **kwargs: object):
    clock = clock or FakeTime()
    return send_brief(cfg, DAY, BRIEF, pdf, store, sleep=clock.sleep, monotonic=clock.monotonic, **kwargs)


def test_message_arrives_with_pdf_attached_and_readable(tmp_path, store, pdf, pdf_bytes):
    with SMTPTestServer() as server:
        report = send(make_cfg(tmp_path, server.port), store, pdf)
    assert report.ok
    assert [(r.recipient, r.status) for r in report.results] == [(ALICE, "sent"), (BOB, "sent")]
    assert len(server.messages) == 1
    got = server.messages[0]
    assert got.mail_from == "brief@example.org"
    assert sorted(got.rcpt_tos) == [ALICE, BOB]
    msg = got.message
    assert msg["Subject"] == "Daily Brief — 2004-08-05"
    assert msg["Message-ID"] == report.message_id
    assert msg["Date"] and msg["From"] == "brief@example.org"
    assert ALICE in msg["To"] and BOB in msg["To"]
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "NATO agreed to train Iraqi security forces." in text
    assert "1. NATO agrees to train Iraqi forces" in text
    assert "brief-2004-08-05.pdf" in text
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "brief-2004-08-05.pdf"
    data = attachment.get_content()
    assert data == pdf_bytes
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "NATO agrees to train Iraqi forces" in reader.pages[0].extract_text()


def test_html_body_lists_top_lines_and_escapes_headlines(tmp_path, store, pdf):
    with SMTPTestServer() as server:
        send(make_cfg(tmp_path, server.port), store, pdf)
    body = server.messages[0].message.get_body(preferencelist=("html",)).get_content()
    assert "<climb>" not in body  # article text is untrusted
    doc = lxml_html.fromstring(body)
    assert doc.xpath("//ul[@class='top-lines']/li/text()") == BRIEF["top_lines"]
    assert doc.xpath("//ol[@class='headlines']/li/text()") == [s["headline"] for s in BRIEF["stories"]]


def test_every_attempt_is_recorded(tmp_path, store, pdf):
    with SMTPTestServer() as server:
        report = send(make_cfg(tmp_path, server.port), store, pdf)
    log = delivery_log(store, DAY)
    assert [(row["recipient"], row["status"]) for row in log] == [(ALICE, "sent"), (BOB, "sent")]
    assert {row["message_id"] for row in log} == {report.message_id}
    assert delivered_to(store, DAY) == {ALICE, BOB}


def test_server_answering_421_then_accepting(tmp_path, store, pdf):
    clock = FakeTime()
    with SMTPTestServer(script=Script(fail_mail_421=1)) as server:
        report = send(make_cfg(tmp_path, server.port), store, pdf, clock)
    assert report.ok and report.attempts == 2
    assert server.mail_commands == 2 and len(server.messages) == 1
    assert clock.sleeps == [2.0]
    statuses = [(row["recipient"], row["status"]) for row in delivery_log(store, DAY)]
    assert statuses == [(ALICE, "deferred"), (BOB, "deferred"), (ALICE, "sent"), (BOB, "sent")]
    assert "421" in delivery_log(store, DAY)[0]["detail"]


def copies(server: SMTPTestServer) -> Counter[str]:
    """How many copies of a message each recipient has on the server."""
    return Counter(r for m in server.messages for r in m.rcpt_tos)


def test_connection_dropped_mid_data_is_retried(tmp_path, store, pdf):
    # 16 MB: far more than the sockets can buffer, so the drop comes while we are still sending and
    # the final "." never goes out (with a small message it may all be sent already: see the lost reply tests).
    pdf.write_bytes(b"%PDF-1.4\n" + os.urandom(16 * 1024 * 1024))
    with SMTPTestServer(script=Script(drop_in_data=1)) as server:
        report = send(make_cfg(tmp_path, server.port), store, pdf)
    assert server.dropped == 1
    assert report.ok and report.attempts == 2
    assert len(server.messages) == 1  # the half-sent copy never counted as delivered
    assert [row["status"] for row in delivery_log(store, DAY)] == ["deferred", "deferred", "sent", "sent"]


def test_connection_dropped_before_data_is_retried_and_delivered_once(tmp_path, store, pdf):
    clock = FakeTime()
    with SMTPTestServer(script=Script(drop_at_data=1)) as server:
        report = send(make_cfg(tmp_path, server.port), store, pdf, clock)
    assert server.dropped == 1 and clock.sleeps == [2.0]
    assert report.ok and report.attempts == 2
    assert copies(server) == {ALICE: 1, BOB: 1}
    log = delivery_log(store, DAY)
    assert [row["status"] for row in log] == ["deferred", "deferred", "sent", "sent"]
    assert "before the whole message was sent" in log[0]["detail"]


def test_rejected_recipient_is_reported_and_not_retried(tmp_path, store, pdf):
    clock = FakeTime()
    with SMTPTestServer(script=Script(reject={BOB})) as server:
        report = send(make_cfg(tmp_path, server.port), store, pdf, clock)
    assert not report.ok and report.attempts == 1 and clock.sleeps == []
    assert [(r.recipient, r.status) for r in report.results] == [(ALICE, "sent"), (BOB, "failed")]
    assert "550" in report.failed[0].detail
    assert [m.rcpt_tos for m in server.messages] == [[ALICE]]
    with pytest.raises(DeliveryError, match="bob@example.org"):
        report.raise_for_failures()
    assert any("NOT delivered" in line and BOB in line for line in report.lines())


def test_every_recipient_rejected(tmp_path, store, pdf):
    with SMTPTestServer(script=Script(reject={ALICE, BOB})) as server:
        report = send(make_cfg(tmp_path, server.port), store, pdf)
    assert [r.status for r in report.results] == ["failed", "failed"]
    assert server.messages == [] and report.attempts == 1


def test_temporarily_refused_recipient_retried_alone_until_giving_up(tmp_path, store, pdf):
    clock = FakeTime()
    with SMTPTestServer(script=Script(defer={BOB})) as server:
        report = send(make_cfg(tmp_path, server.port, give_up_after=20.0), store, pdf, clock)
    assert [(r.recipient, r.status) for r in report.results] == [(ALICE, "sent"), (BOB, "failed")]
    assert [m.rcpt_tos for m in server.messages] == [[ALICE]]  # Alice got exactly one copy
    assert "gave up" in report.failed[0].detail and "450" in report.failed[0].detail
    assert sum(clock.sleeps) <= 20.0


def test_connection_refused_gives_up_within_the_limit(tmp_path, store, pdf):
    clock = FakeTime()
    report = send(make_cfg(tmp_path, closed_port(), give_up_after=120.0), store, pdf, clock)
    assert not report.ok
    assert clock.sleeps == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]  # bounded back-off, 120 s in all
    assert report.attempts == 8
    assert all("gave up after 8 attempt(s)" in r.detail for r in report.results)
    log = delivery_log(store, DAY)
    assert len(log) == 2 * 8 + 2 and {row["status"] for row in log[-2:]} == {"failed"}
    assert "connection problem" in log[0]["detail"]


def test_resend_is_skipped_unless_forced(tmp_path, store, pdf):
    with SMTPTestServer() as server:
        cfg = make_cfg(tmp_path, server.port)
        first = send(cfg, store, pdf)
        again = send(cfg, store, pdf)
        assert len(server.messages) == 1
        assert again.ok and [r.status for r in again.results] == ["skipped", "skipped"]
        assert all("already delivered" in line for line in again.lines())
        forced = send(cfg, store, pdf, force=True)
    assert forced.ok and [r.status for r in forced.results] == ["sent", "sent"]
    assert len(server.messages) == 2
    assert forced.message_id != first.message_id  # a new copy the reader asked for


def test_only_missing_recipient_gets_it_on_resend(tmp_path, store, pdf):
    with SMTPTestServer(script=Script(reject={BOB})) as server:
        send(make_cfg(tmp_path, server.port), store, pdf)
        server.script.reject.clear()
        report = send(make_cfg(tmp_path, server.port), store, pdf)
    assert [r.status for r in report.results] == ["skipped", "sent"]
    assert [m.rcpt_tos for m in server.messages] == [[ALICE], [BOB]]


def test_reply_lost_after_the_end_of_data_is_not_resent(tmp_path, store, pdf):
    # The server keeps the message but the connection drops before its "250": it may have arrived,
    # so this run does not send it again (that is how 4 copies per recipient happened).
    clock = FakeTime()
    with SMTPTestServer(script=Script(drop_after_accept=1)) as server:
        report = send(make_cfg(tmp_path, server.port), store, pdf, clock)
    assert copies(server) == {ALICE: 1, BOB: 1}
    assert report.attempts == 1 and clock.sleeps == []
    assert [(r.recipient, r.status) for r in report.results] == [(ALICE, "unknown"), (BOB, "unknown")]
    assert not report.ok and report.failed == []
    log = delivery_log(store, DAY)
    assert [(row["recipient"], row["status"]) for row in log] == [(ALICE, "unknown"), (BOB, "unknown")]
    assert "after the whole message was sent" in log[0]["detail"]
    assert all("delivery UNKNOWN" in line and "not resent" in line for line in report.lines())
    with pytest.raises(DeliveryError, match="may or may not have reached 2 recipient") as raised:
        report.raise_for_failures()
    assert "\n" not in str(raised.value) and "--force" in str(raised.value)


def test_send_after_a_lost_reply_does_not_resend_unless_forced(tmp_path, store, pdf):
    with SMTPTestServer(script=Script(drop_after_accept=1)) as server:
        cfg = make_cfg(tmp_path, server.port)
        first = send(cfg, store, pdf)
        again = send(cfg, store, pdf)  # what `brief send --date D` does
        assert copies(server) == {ALICE: 1, BOB: 1}
        assert [r.status for r in again.results] == ["unknown", "unknown"] and again.attempts == 0
        assert not again.ok and all("not resent (use --force" in line for line in again.lines())
        assert all("may have delivered it" in r.detail for r in again.results)
        forced = send(cfg, store, pdf, force=True)
        assert forced.ok and copies(server) == {ALICE: 2, BOB: 2}  # the copy the operator asked for
        assert forced.message_id != first.message_id
        after = send(cfg, store, pdf)
    assert [r.status for r in after.results] == ["skipped", "skipped"] and len(server.messages) == 2


def test_refused_recipient_in_a_lost_reply_session_is_still_retried(tmp_path, store, pdf):
    clock = FakeTime()
    with SMTPTestServer(script=Script(drop_after_accept=1, defer={BOB})) as server:
        report = send(make_cfg(tmp_path, server.port, give_up_after=10.0), store, pdf, clock)
        assert [(r.recipient, r.status) for r in report.results] == [(ALICE, "unknown"), (BOB, "failed")]
        assert copies(server) == {ALICE: 1}  # Bob was never in the lost transaction; Alice not resent
        assert report.attempts > 1 and "450" in report.failed[0].detail
        server.script.defer.clear()
        later = send(make_cfg(tmp_path, server.port), store, pdf)
    assert [(r.recipient, r.status) for r in later.results] == [(ALICE, "unknown"), (BOB, "sent")]
    assert copies(server) == {ALICE: 1, BOB: 1}


def test_message_id_is_stable_per_day_and_recipients(tmp_path):
    cfg = make_cfg(tmp_path, 25)
    a = message_id(cfg, DAY, [ALICE, BOB])
    assert a == message_id(cfg, DAY, [BOB, ALICE])
    assert a != message_id(cfg, date(2004, 8, 6), [ALICE, BOB])
    assert a != message_id(cfg, DAY, [ALICE])
    assert a.startswith("<brief-2004-08-05-") and a.endswith("@example.org>")


def test_starttls_with_login_and_password_from_environment(tmp_path, store, pdf, monkeypatch, caplog):
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT_FILE))  # trust the test server's self-signed certificate
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret-pa55")
    caplog.set_level(logging.DEBUG)
    with SMTPTestServer(security="starttls", users={"briefbot": "s3cret-pa55"}) as server:
        cfg = make_cfg(
            tmp_path, server.port, security="starttls", host="localhost", username="briefbot", password_env="TEST_SMTP_PASSWORD"
        )
        report = send(cfg, store, pdf)
    assert report.ok and server.messages[0].login == "briefbot"
    assert "s3cret-pa55" not in caplog.text
    assert all("s3cret-pa55" not in str(row) for row in delivery_log(store, DAY))


def test_ssl_from_the_start(tmp_path, store, pdf, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT_FILE))
    with SMTPTestServer(security="ssl") as server:
        report = send(make_cfg(tmp_path, server.port, security="ssl", host="localhost"), store, pdf)
    assert report.ok and len(server.messages) == 1


def test_untrusted_certificate_is_a_permanent_failure(tmp_path, store, pdf):
    clock = FakeTime()
    with SMTPTestServer(security="ssl") as server:
        report = send(make_cfg(tmp_path, server.port, security="ssl", host="localhost"), store, pdf, clock)
    assert not report.ok and report.attempts == 1 and server.messages == []
    assert "certificate" in report.failed[0].detail.lower()


def test_starttls_required_but_not_offered(tmp_path, store, pdf):
    with SMTPTestServer(security="none") as server:
        report = send(make_cfg(tmp_path, server.port, security="starttls"), store, pdf)
    assert not report.ok and report.attempts == 1
    assert "STARTTLS" in report.failed[0].detail and server.messages == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # plain-text AUTH on purpose
def test_wrong_password_is_permanent(tmp_path, store, pdf, monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    with SMTPTestServer(users={"briefbot": "right"}) as server:
        cfg = make_cfg(tmp_path, server.port, username="briefbot", password_env="TEST_SMTP_PASSWORD")
        report = send(cfg, store, pdf)
    assert not report.ok and report.attempts == 1
    assert report.failed[0].detail.startswith("535")


def test_missing_password_variable_fails_before_connecting(tmp_path, store, pdf, monkeypatch):
    monkeypatch.delenv("UNSET_SMTP_PASSWORD", raising=False)
    cfg = make_cfg(tmp_path, closed_port(), username="briefbot", password_env="UNSET_SMTP_PASSWORD")
    with pytest.raises(DeliveryError, match="UNSET_SMTP_PASSWORD"):
        send(cfg, store, pdf)
    assert delivery_log(store, DAY) == []


def test_bad_subject_template_is_a_config_error(tmp_path, store, pdf):
    with pytest.raises(ConfigError, match="email.subject"):
        send(make_cfg(tmp_path, closed_port(), subject="{title} {when}"), store, pdf)


def test_missing_pdf_is_reported(tmp_path, store):
    with pytest.raises(DeliveryError, match="brief build --date 2004-08-05"):
        send(make_cfg(tmp_path, closed_port()), store, tmp_path / "nope.pdf")


def test_find_built_brief_reads_the_pdf_and_json_it_never_rebuilds(tmp_path, store, pdf):
    cfg = make_cfg(tmp_path, 25)
    (pdf.parent / "brief.json").write_text(json.dumps(BRIEF), encoding="utf-8")
    data, path = find_built_brief(cfg, DAY, store)
    assert path == pdf and data["stories"][0]["headline"] == "NATO agrees to train Iraqi forces"
    store.save_brief(DAY, {**BRIEF, "title": "From the store"}, [str(pdf)])
    assert find_built_brief(cfg, DAY, store)[0]["title"] == "From the store"
    with pytest.raises(DeliveryError, match="No PDF brief for 2004-08-06"):
        find_built_brief(cfg, date(2004, 8, 6), store)


def test_brief_dataclass_is_accepted(tmp_path, store, pdf):
    from briefing.models import Brief

    brief = Brief("Morning Notes", DAY, datetime(2004, 8, 5, 6, 30, tzinfo=UTC), stories=(), top_lines=("One.",))
    with SMTPTestServer() as server:
        report = send_brief(make_cfg(tmp_path, server.port), DAY, brief, pdf, store, sleep=FakeTime().sleep)
    assert report.ok
    msg = server.messages[0].message
    assert msg["Subject"] == "Morning Notes — 2004-08-05"
    assert "No stories today." in msg.get_body(preferencelist=("plain",)).get_content()




