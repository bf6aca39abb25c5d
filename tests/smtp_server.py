"""Real SMTP servers on 127.0.0.1 for the delivery tests (aiosmtpd), with scripted faults.

``SMTPTestServer`` keeps every message it accepted in ``messages``; its knobs make it misbehave:
answer ``421`` to the first MAIL commands, drop the connection at the DATA command or in the middle
of the data, drop it after storing a message but before replying (the case SMTP cannot make
exactly-once), or reject some recipients with ``550``. TLS uses the self-signed certificate in ``tests/data/smtp/`` (made for these
tests, valid for ``localhost`` and ``127.0.0.1``).
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

CERT_DIR = Path(__file__).parent / "data" / "smtp"
CERT_FILE = CERT_DIR / "cert.pem"
KEY_FILE = CERT_DIR / "key.pem"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connecting is refused."""
    return free_port()


def server_tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT_FILE, KEY_FILE)
    return context


@dataclass
class Received:
    """One message as the server accepted it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Script:
    """The faults a server plays, each counted down as it happens."""

    fail_mail_421: int = 0  # answer "421" to this many MAIL commands
    drop_at_data: int = 0  # close the connection on this many DATA commands, before the "354"
    drop_in_data: int = 0  # close the connection after the first line of this many DATA transfers
    drop_after_accept: int = 0  # accept (keep) this many messages, then close without the "250"
    reject: set[str] = field(default_factory=set)  # recipients answered "550"
    defer: set[str] = field(default_factory=set)  # recipients answered "450" every time


class _Handler:
    def __init__(self, server: SMTPTestServer):
        self.server = server

    async def handle_MAIL(self, smtp: SMTP, session: Any, envelope: Any, address: str, options: list) -> str:
        self.server.mail_commands += 1
        if self.server.script.fail_mail_421 > 0:
            self.server.script.fail_mail_421 -= 1
            return "421 4.3.2 Service not available, try again later"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, smtp: SMTP, session: Any, envelope: Any, address: str, options: list) -> str:
        if address.lower() in self.server.script.reject:
            return "550 5.1.1 No such user here"
        if address.lower() in self.server.script.defer:
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: SMTP, session: Any, envelope: Any) -> str:
        login = session.auth_data.login.decode() if session.auth_data else None
        self.server.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, login))
        if self.server.script.drop_after_accept > 0:
            self.server.script.drop_after_accept -= 1
            smtp.transport.close()  # the message is kept, but the client never hears "250"
            return "250 OK (never seen)"
        return "250 Message accepted"


class _FaultySMTP(SMTP):
    """aiosmtpd's SMTP, able to hang up half-way through DATA."""

    def __init__(self, *args: Any, test_server: SMTPTestServer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.test_server = test_server

    async def smtp_DATA(self, arg: str) -> None:
        script = self.test_server.script
        if script.drop_at_data > 0 and self.envelope is not None and self.envelope.rcpt_tos:
            script.drop_at_data -= 1
            self.test_server.dropped += 1
            self.transport.close()
            return
        if script.drop_in_data > 0 and self.envelope is not None and self.envelope.rcpt_tos:
            script.drop_in_data -= 1
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readuntil(b"\r\n")  # one line of the message, then hang up
            self.test_server.dropped += 1
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class _Controller(Controller):
    def __init__(self, test_server: SMTPTestServer, **kwargs: Any):
        self.test_server = test_server
        super().__init__(_Handler(test_server), hostname="127.0.0.1", port=test_server.port, **kwargs)

    def factory(self) -> SMTP:
        return _FaultySMTP(self.handler, test_server=self.test_server, **self.SMTP_kwargs)


class SMTPTestServer:
    """An SMTP server on 127.0.0.1, started as a context manager.

    Args:
        security: "none", "starttls" (STARTTLS offered and required) or "ssl" (TLS from the start).
        users: login → password; when given, AUTH is required.
        script: the faults to play.
    """

    def __init__(self, security: str = "none", users: dict[str, str] | None = None, script: Script | None = None):
        self.security = security
        self.users = users
        self.script = script or Script()
        self.port = free_port()
        self.messages: list[Received] = []
        self.mail_commands = 0
        self.dropped = 0
        kwargs: dict[str, Any] = {"server_hostname": "localhost"}
        if security == "starttls":
            kwargs.update(tls_context=server_tls_context(), require_starttls=True)
        elif security == "ssl":
            kwargs.update(ssl_context=server_tls_context())
        if users is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=security == "starttls")
        self.controller = _Controller(self, **kwargs)

    def _authenticate(self, server: SMTP, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.users is not None:
            login, password = auth_data.login.decode(), auth_data.password.decode()
            if self.users.get(login) == password:
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    def __enter__(self) -> SMTPTestServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

