"""Deliver: email the day's brief (PDF attached) over SMTP, with retries and a delivery log.

One message per day goes to every configured recipient: a short HTML and plain-text body (the day's
top lines and story headlines) and the PDF. Temporary failures (4xx replies, refused connections,
connections dropped before the whole message was sent) are retried with bounded back-off until
``email.give_up_after`` seconds have passed; permanent failures (5xx replies, rejected recipients) are
reported per recipient at once. Every attempt is a row of the store's ``deliveries`` table, and a
recipient who already got the day's brief is skipped unless ``force``.

SMTP cannot make delivery exactly-once. Once the final "." of DATA has been sent, the server may
have stored the message even if its reply never arrives (dropped connection, timeout): such a
recipient is recorded as ``unknown`` and never sent to again, in this run or a later one, unless
``force``. A crash after the server's "250" but before our record can still cause one duplicate on
the next run; the ``Message-ID`` is derived from the day, sender and recipients, so it carries the
same ID as the first copy and mail systems that deduplicate by ID drop it.
"""

from __future__ import annotations

import email.policy
import hashlib
import json
import logging
import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from briefing.config import Config
from briefing.errors import ConfigError, DeliveryError
from briefing.models import Brief
from briefing.store import Store

logger = logging.getLogger(__name__)

FIRST_DELAY = 2.0  # seconds before the first retry; doubled after each attempt
MAX_DELAY = 30.0  # no single wait is longer than this

SENT, SKIPPED, FAILED, UNKNOWN = "sent", "skipped", "failed", "unknown"
# statuses of a row in `deliveries`: sent, deferred (temporary failure, retried), failed (permanent or gave up),
# unknown (the connection failed after the end of DATA: the server may have it; never resent without force)
DEFERRED = "deferred"


@dataclass
class RecipientResult:
    """What happened to one recipient: sent, skipped (already delivered), failed or unknown (maybe delivered)."""

    recipient: str
    status: str = ""
    detail: str = ""
    attempts: int = 0


@dataclass
class DeliveryReport:
    """The outcome of ``send_brief`` for one day, one entry per configured recipient."""

    day: date
    message_id: str
    results: list[RecipientResult] = field(default_factory=list)
    attempts: int = 0  # SMTP sessions tried

    @property
    def ok(self) -> bool:
        """True when every recipient surely has the brief (sent now or already before)."""
        return all(r.status in (SENT, SKIPPED) for r in self.results)

    @property
    def failed(self) -> list[RecipientResult]:
        return [r for r in self.results if r.status == FAILED]

    @property
    def unknown(self) -> list[RecipientResult]:
        return [r for r in self.results if r.status == UNKNOWN]

    def lines(self) -> list[str]:
        """One human-readable line per recipient, for the command line."""
        text = {
            SENT: "sent",
            SKIPPED: "already delivered, skipped (use --force to send again)",
            FAILED: "NOT delivered",
            UNKNOWN: "delivery UNKNOWN, the server may have it; not resent (use --force to send a new copy)",
        }
        return [
            f"{self.day}: {r.recipient}: {text[r.status]}" + (f" ({r.detail})" if r.detail and r.status != SKIPPED else "")
            for r in self.results
        ]

    def raise_for_failures(self) -> None:
        """Raise ``DeliveryError`` naming each recipient that did not get the brief or may not have it."""
        problems = []
        if self.failed:
            who = "; ".join(f"{r.recipient}: {r.detail}" for r in self.failed)
            problems.append(f"The brief for {self.day} was not delivered to {len(self.failed)} recipient(s): {who}")
        if self.unknown:
            who = ", ".join(r.recipient for r in self.unknown)
            problems.append(
                f"The brief for {self.day} may or may not have reached {len(self.unknown)} recipient(s), not resent: "
                f"{who}; check their mailbox, `brief send --date {self.day} --force` sends a new copy"
            )
        if problems:
            raise DeliveryError(". ".join(problems))


# ---- the message ----


def brief_summary(brief_data: dict[str, Any] | Brief) -> dict[str, Any]:
    """The parts of a brief the email shows: title, date, top lines and story headlines."""
    if isinstance(brief_data, Brief):
        from briefing.render import brief_data as to_data  # render imports WeasyPrint: only when needed

        brief_data = to_data(brief_data)
    return {
        "title": brief_data.get("title", "Daily Brief"),
        "date": str(brief_data.get("date", "")),
        "top_lines": list(brief_data.get("top_lines", [])),
        "headlines": [s["headline"] for s in brief_data.get("stories", [])],
        "more_headlines": [s["headline"] for s in brief_data.get("more_stories", [])],
    }


def message_id(cfg: Config, day: date, recipients: Sequence[str], *, resend: str = "") -> str:
    """A ``Message-ID`` that is the same for every attempt at one day's brief to one set of recipients.

    A retry after a crash thus reuses it, which lets mail systems recognise a duplicate. A forced
    resend passes ``resend`` (a timestamp) to get a new ID: the reader asked for a new copy.
    """
    key = "\n".join([day.isoformat(), cfg.email.sender.lower(), *sorted(r.lower() for r in recipients), resend])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    domain = cfg.email.sender.rpartition("@")[2] or "briefing.invalid"
    return f"<brief-{day.isoformat()}-{digest}@{domain}>"


def subject(cfg: Config, summary: dict[str, Any]) -> str:
    """The subject line from the ``email.subject`` template ({title} and {date})."""
    try:
        return cfg.email.subject.format(title=summary["title"], date=summary["date"])
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"Config value 'email.subject': cannot fill in {cfg.email.subject!r} ({exc}); "
            "use only the placeholders {title} and {date}"
        ) from None


def build_message(
    cfg: Config, day: date, brief_data: dict[str, Any] | Brief, pdf_path: Path, *, msg_id: str, when: datetime
) -> EmailMessage:
    """The multipart message: plain text and HTML alternatives, the PDF attached."""
    from briefing.render import environment

    summary = brief_summary(brief_data)
    msg = EmailMessage()
    msg["Subject"] = subject(cfg, summary)
    msg["From"] = cfg.email.sender
    msg["To"] = ", ".join(cfg.email.recipients)
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = msg_id
    context = {**summary, "day": day, "pdf_name": _pdf_name(day)}
    text = environment(cfg.brief.templates_dir, autoescape=False).get_template("email.txt").render(context)
    html = environment(cfg.brief.templates_dir, autoescape=True).get_template("email.html").render(context)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg.add_attachment(pdf_path.read_bytes(), maintype="application", subtype="pdf", filename=_pdf_name(day))
    return msg


def _pdf_name(day: date) -> str:
    return f"brief-{day.isoformat()}.pdf"


# ---- finding a built brief (``brief send --date D``) ----


def find_built_brief(cfg: Config, day: date, store: Store, out_dir: Path | None = None) -> tuple[dict[str, Any], Path]:
    """The data and PDF of the brief already built for ``day``; it is never rebuilt here.

    Raises:
        DeliveryError: no PDF was built for that day.
    """
    folder = (out_dir or cfg.brief.output_dir) / day.isoformat()
    pdf = folder / "brief.pdf"
    if not pdf.is_file():
        recorded = [Path(p) for p in store.brief_paths(day) if p.endswith(".pdf")]
        pdf = next((p for p in recorded if p.is_file()), pdf)
    if not pdf.is_file():
        raise DeliveryError(
            f"No PDF brief for {day} at {pdf}; build it first with `brief build --date {day} --format pdf`"
        )
    data = store.load_brief(day)
    if data is None:
        try:
            data = json.loads((pdf.parent / "brief.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("no brief data stored for %s; the email lists no headlines", day)
            data = {"title": cfg.brief.title, "date": day.isoformat()}
    return data, pdf


# ---- the delivery log ----


def delivered_to(store: Store, day: date) -> set[str]:
    """Recipients (lower case) that the store records as having received the brief of ``day``."""
    return set(_first_with_status(store, day, SENT))


def maybe_delivered_to(store: Store, day: date) -> dict[str, str]:
    """Recipients (lower case) whose delivery of ``day`` is ``unknown`` (and never ``sent``) → time of that attempt."""
    sent = delivered_to(store, day)
    return {r: at for r, at in _first_with_status(store, day, UNKNOWN).items() if r not in sent}


def _first_with_status(store: Store, day: date, status: str) -> dict[str, str]:
    return store.first_attempts_with_status(day, status)


def delivery_log(store: Store, day: date) -> list[dict[str, Any]]:
    """Every recorded attempt for ``day``, oldest first."""
    return store.delivery_attempts(day)


def _record(store: Store, day: date, when: datetime, msg_id: str, outcomes: dict[str, tuple[str, str]]) -> None:
    store.record_deliveries(day, when, msg_id, outcomes)


# ---- SMTP ----


class _Permanent(Exception):
    """A failure that retrying cannot fix (5xx reply, bad TLS certificate, missing STARTTLS)."""


class _ReplyLost(Exception):
    """The session failed after the final "." of DATA was sent: the server may have stored the message."""

    def __init__(self, reason: str, refused: dict[str, tuple[int, bytes]]):
        super().__init__(reason)
        self.refused = refused  # recipients refused at RCPT, who were not in the transaction


def _password(cfg: Config) -> str | None:
    if not cfg.email.username:
        return None
    password = os.environ.get(cfg.email.password_env)
    if password is None:
        raise DeliveryError(
            f"email.username is set but the environment variable {cfg.email.password_env} holding the SMTP password "
            f"is not; export {cfg.email.password_env}=… (the password never goes in config.toml)"
        )
    return password


def _send_once(cfg: Config, msg: EmailMessage, recipients: list[str], password: str | None, timeout: float) -> dict:
    """One SMTP session; returns the refused recipients as {address: (code, reply)}."""
    e = cfg.email
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if e.security == "ssl":
        smtp = smtplib.SMTP_SSL(e.host, e.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(e.host, e.port, timeout=timeout)
    try:
        if e.security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise _Permanent(f"the server {e.host}:{e.port} does not offer STARTTLS; set email.security")
            smtp.starttls(context=context)
            smtp.ehlo()
        if password is not None:
            smtp.login(e.username, password)
        return _transaction(smtp, e.sender, msg, recipients)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _transaction(
    smtp: smtplib.SMTP, sender: str, msg: EmailMessage, recipients: list[str]
) -> dict[str, tuple[int, bytes]]:
    """MAIL, RCPT and DATA by hand (``send_message`` hides whether a failure came after the end of DATA).

    Returns the refused recipients as {address: (code, reply)}; raises ``_ReplyLost`` when the connection
    failed after the final "." was sent, other ``smtplib``/``OSError`` exceptions when it failed before.
    """
    smtp.ehlo_or_helo_if_needed()
    international = not "".join([sender, *recipients]).isascii()
    if international and not smtp.has_extn("smtputf8"):
        raise smtplib.SMTPNotSupportedError("an address needs SMTPUTF8, which the server does not offer")
    payload = msg.as_bytes(policy=email.policy.SMTPUTF8 if international else email.policy.SMTP)
    options = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
    if smtp.has_extn("size"):
        options.append(f"SIZE={len(payload)}")
    code, reply = smtp.mail(sender, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for r in recipients:
        code, reply = smtp.rcpt(r)
        if code not in (250, 251):
            refused[r] = (code, reply)
    if len(refused) == len(recipients):
        return refused
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    data = re.sub(rb"(?m)^\.", b"..", payload)
    smtp.send(data + (b"" if data.endswith(b"\r\n") else b"\r\n") + b".\r\n")  # raises if not all of it went out
    try:
        code, reply = smtp.getreply()
    except (smtplib.SMTPException, OSError) as exc:  # the server may have stored it
        raise _ReplyLost(str(exc) or type(exc).__name__, refused) from exc
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)  # the server said it did not take it
    return refused


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {text}".strip()


def _refusal(code: int, text: bytes | str) -> tuple[str, str]:
    return DEFERRED if 400 <= code < 500 else FAILED, _reply(code, text)


def send_brief(
    cfg: Config,
    day: date,
    brief_data: dict[str, Any] | Brief,
    pdf_path: Path,
    store: Store,
    *,
    force: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    monotonic: Callable[[], float] = time.monotonic,
) -> DeliveryReport:
    """Email the brief of ``day`` to every configured recipient who does not have it yet.

    Args:
        cfg: the configuration; ``cfg.email`` says where and how.
        day: the date of the brief.
        brief_data: the brief (``Brief`` or the ``brief.json`` data), for the body of the email.
        pdf_path: the built PDF, attached as is.
        store: where every attempt is recorded and earlier deliveries are looked up.
        force: send again to recipients who already got it or may have got it (with a new Message-ID).
        sleep, now, monotonic: injectable for tests; ``sleep`` waits between retries.

    Returns:
        A report with one entry per recipient; ``report.ok`` is False when any did not get it
        (``report.raise_for_failures()`` turns that into ``DeliveryError``).

    Raises:
        DeliveryError: before any attempt, when the PDF is missing, there are no recipients or the
            password variable is unset.
        ConfigError: the subject template is invalid.
    """
    e = cfg.email
    if not e.recipients:
        raise DeliveryError("No recipients: set email.recipients = [\"you@example.org\"] in config.toml")
    if not pdf_path.is_file():
        raise DeliveryError(f"No PDF brief for {day} at {pdf_path}; build it first with `brief build --date {day}`")
    password = _password(cfg)
    started = now()
    msg_id = message_id(cfg, day, e.recipients, resend=started.isoformat() if force else "")
    msg = build_message(cfg, day, brief_data, pdf_path, msg_id=msg_id, when=started)
    report = DeliveryReport(day, msg_id)
    results = {r: RecipientResult(r) for r in e.recipients}
    already = set() if force else delivered_to(store, day)
    maybe = {} if force else maybe_delivered_to(store, day)
    pending = []
    for r in e.recipients:
        if r.lower() in already:
            results[r].status = SKIPPED
            logger.info("brief for %s already delivered to %s: skipped", day, r)
        elif r.lower() in maybe:
            results[r].status, results[r].detail = UNKNOWN, f"an attempt at {maybe[r.lower()]} may have delivered it"
            logger.warning("brief for %s to %s: delivery unknown since %s, not resent", day, r, maybe[r.lower()])
        else:
            pending.append(r)

    deadline = monotonic() + e.give_up_after
    delay = FIRST_DELAY
    last_error = ""
    while pending:
        report.attempts += 1
        remaining = deadline - monotonic()
        outcomes: dict[str, tuple[str, str]] = {}
        try:
            refused = _send_once(cfg, msg, pending, password, timeout=max(1.0, min(e.timeout, remaining)))
            outcomes = {r: _refusal(*refused[r]) if r in refused else (SENT, "") for r in pending}
        except _ReplyLost as exc:  # after the end of DATA: never resent, not even in this run
            lost = (UNKNOWN, f"connection lost after the whole message was sent, the server may have it: {exc}")
            outcomes = {r: _refusal(*exc.refused[r]) if r in exc.refused else lost for r in pending}
        except smtplib.SMTPResponseException as exc:  # 4xx/5xx at greeting, MAIL, DATA, AUTH
            outcomes = {r: _refusal(exc.smtp_code, exc.smtp_error) for r in pending}
        except (_Permanent, ssl.SSLCertVerificationError, smtplib.SMTPNotSupportedError) as exc:
            outcomes = {r: (FAILED, str(exc)) for r in pending}
        except (smtplib.SMTPException, OSError) as exc:  # refused, dropped, timed out before the end of DATA: retry
            reason = "timed out" if isinstance(exc, socket.timeout) else (str(exc) or type(exc).__name__)
            outcomes = {r: (DEFERRED, f"connection problem before the whole message was sent: {reason}") for r in pending}
        when = now()
        _record(store, day, when, msg_id, outcomes)
        for r, (status, detail) in outcomes.items():
            results[r].attempts += 1
            results[r].detail = detail
            if status == SENT:
                results[r].status = SENT
                logger.info("brief for %s sent to %s (%s)", day, r, msg_id)
            elif status == FAILED:
                results[r].status = FAILED
                logger.error("brief for %s rejected for %s: %s", day, r, detail)
            elif status == UNKNOWN:
                results[r].status = UNKNOWN
                logger.error("brief for %s to %s: delivery unknown, not resent: %s", day, r, detail)
            else:
                last_error = detail
                logger.warning("brief for %s to %s deferred (attempt %d): %s", day, r, report.attempts, detail)
        pending = [r for r in pending if outcomes[r][0] == DEFERRED]
        if not pending:
            break
        if monotonic() + delay > deadline:
            detail = f"gave up after {report.attempts} attempt(s) in {e.give_up_after:g} s; last error: {last_error}"
            _record(store, day, now(), msg_id, {r: (FAILED, detail) for r in pending})
            for r in pending:
                results[r].status, results[r].detail = FAILED, detail
            logger.error("brief for %s: %s", day, detail)
            break
        sleep(delay)
        delay = min(delay * 2, MAX_DELAY)
    report.results = [results[r] for r in e.recipients]
    return report
