"""A mail server for tests: it takes every message over SMTP and keeps it, sending nothing on.

It speaks the few commands smtplib uses to send (EHLO, MAIL, RCPT, DATA, QUIT). Like a real
mail server, it counts a message as taken once it has read the whole of it, before its "250"
reaches the sender; a sender stopped in between never learns that it was.
"""

import socketserver
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy


@dataclass(frozen=True)
class Received:
    message_id: str
    recipient: str
    subject: str
    body: str


class _Conversation(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        self.reply("220 sink ready")
        for line in iter(self.rfile.readline, b""):
            verb = line[:4].decode("ascii", "replace").upper()
            if verb in ("HELO", "EHLO"):
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.take(self._data())
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")

    def _data(self) -> bytes:
        lines = []
        for line in iter(self.rfile.readline, b""):
            if line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, pause: float):
        super().__init__(("127.0.0.1", 0), _Conversation)
        self.pause = pause
        self.port = self.server_address[1]
        self._lock = threading.Lock()
        self._received: list[Received] = []

    def take(self, data: bytes) -> None:
        # A mail server takes a moment to store a message; senders may be stopped meanwhile.
        time.sleep(self.pause)
        message = message_from_bytes(data, policy=policy.default)
        body = message.get_body(("plain",))
        with self._lock:
            self._received.append(
                Received(
                    message["Message-ID"],
                    message["To"],
                    message["Subject"],
                    body.get_content() if body else "",
                )
            )

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)


@contextmanager
def running_smtp_sink(pause: float = 0.0):
    """Yield a running SmtpSink on a free port; `pause` is how long it takes each message."""
    sink = SmtpSink(pause)
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        sink.shutdown()
        sink.server_close()
        thread.join(timeout=5)
