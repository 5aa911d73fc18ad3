"""gunicorn's threaded worker, hardened against slow clients, with JSON for gunicorn's own error answers."""

from __future__ import annotations

import errno
import json
import logging
import socket
import threading
import time
from typing import Any

from gunicorn import util
from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import TConn, ThreadWorker

log = logging.getLogger("pith.worker")

# A request's line and headers must be complete this many seconds after its first byte arrives.
HEADER_TIMEOUT = 10.0
# Longest silence between two reads from a client (headers or body); a slow body is fine, a stalled one is not.
IDLE_TIMEOUT = 10.0
# gunicorn's error answers → SPEC §3 codes (their statuses stay gunicorn's: 414 and 431 are too_large).
_CODES = {413: "too_large", 414: "too_large", 431: "too_large", 500: "internal"}
_MESSAGES = {
    414: "The request line (the address) is too long.",
    431: "The request's headers are too large.",
    400: "The request is malformed.",
    500: "Internal error; the server's log has the details.",
}


class ClientStalled(NoMoreData, TimeoutError):
    """The client sent nothing for IDLE_TIMEOUT seconds, or its headers took over HEADER_TIMEOUT."""

    def __init__(self, message: str) -> None:
        super().__init__(None)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DeadlineSocket(socket.socket):
    """A client socket whose blocking reads give up after an idle time and, for headers, a deadline.

    gunicorn switches client sockets between non-blocking (in its poller) and blocking (in a thread);
    "blocking" here means blocking with the idle timeout, so a stalled client frees its thread.
    """

    awaiting_headers = False  # a request has begun (or may begin) and its headers are not all in yet
    header_deadline: float | None = None  # set at the first read of a request

    guarded = False  # blocking reads with the deadlines (False after a caller's own settimeout)

    def setblocking(self, flag: bool) -> None:
        self.guarded = bool(flag)
        super().settimeout(IDLE_TIMEOUT if flag else 0.0)

    def settimeout(self, value: float | None) -> None:
        self.guarded = False
        super().settimeout(value)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        if not self.guarded:
            return super().recv(bufsize, flags)
        wait = IDLE_TIMEOUT
        if self.awaiting_headers and self.header_deadline is None:
            self.header_deadline = time.monotonic() + HEADER_TIMEOUT
        if self.header_deadline is not None:
            wait = min(wait, self.header_deadline - time.monotonic())
            if wait <= 0:
                raise ClientStalled(f"request headers not complete after {HEADER_TIMEOUT:g} s")
        super().settimeout(wait)
        try:
            return super().recv(bufsize, flags)
        except TimeoutError:
            raise ClientStalled(f"client idle for {wait:.0f} s") from None


def _json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's ``util.write_error`` with SPEC §3's JSON body instead of an HTML page."""
    code = _CODES.get(status_int, "bad_request" if status_int < 500 else "internal")
    message = _MESSAGES.get(status_int, _MESSAGES[500] if status_int >= 500 else _MESSAGES[400])
    body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


class PithConn(TConn):
    """A client connection whose graceful close lingers on a thread of its own, not on the worker's event loop."""

    def close(self, graceful: bool = False) -> None:
        if graceful:
            threading.Thread(target=util.close_graceful, args=(self.sock,), name="pith-linger", daemon=True).start()
        else:
            util.close(self.sock)


class PithWorker(ThreadWorker):
    """``gthread`` with idle and header deadlines on every client socket and JSON error answers."""

    def init_process(self) -> None:
        util.write_error = _json_error  # this worker process's error pages (414, 431, 400 …) become JSON
        super().init_process()

    def accept(self, listener: socket.socket) -> None:
        try:
            client, addr = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        sock = DeadlineSocket(client.family, client.type, client.proto, fileno=client.detach())
        sock.setblocking(True)
        self.enqueue_req(PithConn(self.cfg, sock, addr, listener.getsockname()))

    def handle(self, conn: TConn) -> Any:
        if isinstance(conn.sock, DeadlineSocket):
            conn.sock.awaiting_headers, conn.sock.header_deadline = True, None
        return super().handle(conn)

    def handle_request(self, req: Any, conn: TConn) -> Any:
        if isinstance(conn.sock, DeadlineSocket):
            conn.sock.awaiting_headers, conn.sock.header_deadline = False, None  # body: the idle timeout only
        return super().handle_request(req, conn)
