"""Safe fetching of web pages: public addresses only, bounded size and time, HTML or text only."""

from __future__ import annotations

import contextlib
import functools
import http.client
import http.cookiejar
import io
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from server.core.errors import PithError
from server.service.config import Config
from server.service.decode import decode_page, sniff_kind
from server.service.netguard import IPAddress, check_address, check_port, normalize_host

log = logging.getLogger(__name__)
Resolver = Callable[[str, int], Sequence[str]]

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65536
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})
_HTML_DOCUMENT = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36")
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
    "Accept-Language": "en-US,en;q=0.9,*;q=0.5",
    "Accept-Encoding": "gzip, deflate",
    "Connection": "close",
}


@dataclass(slots=True)
class FetchedPage:
    """A fetched page: final URL after redirects, decoded text, and whether it is HTML or plain text."""

    url: str
    text: str
    content_type: str  # "html" or "text"


@dataclass(frozen=True, slots=True)
class _Target:
    """One hop's URL taken apart: where to connect and what to send."""

    url: str
    scheme: str
    host: str | IPAddress
    port: int
    host_header: str
    request_target: str


class _Timeout(Exception):
    """The overall time cap ran out."""


@functools.cache
def _default_tls() -> ssl.SSLContext:
    """The system's trusted CAs with hostname checking; made once, shared (contexts are thread-safe)."""
    return ssl.create_default_context()


def default_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to via the system resolver (``socket.getaddrinfo``), in its order."""
    found: list[str] = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = str(sockaddr[0]).split("%", 1)[0]
        if address not in found:
            found.append(address)
    return found


def _parse_url(url: str) -> _Target:
    if not url or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise PithError("bad_request", "The URL is empty or contains control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise PithError("bad_request", f"The URL {url!r} is malformed: {exc}.") from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise PithError("bad_request", f"The URL {url!r} has no scheme; it must start with http:// or https://.")
    if scheme not in ("http", "https"):
        raise PithError("bad_request", f"Only http and https URLs can be fetched, not {scheme}:.")
    netloc = parts.netloc.rsplit("@", 1)[-1]
    raw_host = netloc
    if netloc.startswith("["):
        raw_host = netloc[: netloc.find("]") + 1] if "]" in netloc else netloc
    elif ":" in netloc:
        raw_host = netloc.rsplit(":", 1)[0]
    host = normalize_host(raw_host)
    default = 443 if scheme == "https" else 80
    port = port or default
    check_port(port)
    shown = f"[{host}]" if isinstance(host, ipaddress.IPv6Address) else str(host)
    host_header = shown if port == default else f"{shown}:{port}"
    safe = "!#$%&'()*+,/:;=?@[]~"
    target = quote(parts.path or "/", safe=safe)
    if parts.query:
        target += "?" + quote(parts.query, safe=safe)
    return _Target(url, scheme, host, port, host_header, target)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Timeout
    return left


def _resolve(target: _Target, resolver: Resolver, deadline: float, allow_private: bool) -> list[IPAddress]:
    """The hop's vetted addresses: an IP literal as is, a name through ``resolver``; all must pass the check."""
    if not isinstance(target.host, str):
        check_address(target.host, allow_private=allow_private)
        return [target.host]
    name = target.host
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["ok"] = list(resolver(name, target.port))
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name=f"pith-resolve-{name}", daemon=True)
    worker.start()
    worker.join(_remaining(deadline))
    if worker.is_alive():
        raise _Timeout
    if isinstance(error := box.get("error"), PithError):
        raise error
    if error is not None or not box.get("ok"):
        raise PithError("fetch_failed", f"The host name {name} could not be resolved.")
    addresses: list[IPAddress] = []
    for raw in box["ok"]:  # type: ignore[union-attr]
        try:
            addresses.append(ipaddress.ip_address(str(raw).split("%", 1)[0]))
        except ValueError:
            raise PithError("fetch_failed", f"The host name {name} resolved to a non-address {raw!r}.") from None
    for address in addresses:  # every answer must pass, not just the one we would use
        check_address(address, allow_private=allow_private, host=name)
    return addresses


def _connect(addresses: list[IPAddress], port: int, deadline: float) -> socket.socket:
    """A TCP connection to the first vetted address that answers; nothing else is ever resolved or dialled."""
    last: OSError | None = None
    for index, address in enumerate(addresses):
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        left = _remaining(deadline)
        sock.settimeout(left if index == len(addresses) - 1 else min(left, max(left / 2, 3.0)))
        try:
            sock.connect((str(address), port))
            return sock
        except TimeoutError as exc:
            sock.close()
            last = exc
            if index == len(addresses) - 1:
                raise _Timeout from None
        except OSError as exc:
            sock.close()
            last = exc
    if isinstance(last, ConnectionRefusedError):
        raise PithError("fetch_failed", f"The server at port {port} refused the connection.")
    raise PithError("fetch_failed", f"Could not connect to the server: {last}.")


class _DeadlineIO(io.RawIOBase):
    """Reads from a socket where every read waits no longer than the fetch's overall deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock, self._deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        self._sock.settimeout(_remaining(self._deadline))
        try:
            return self._sock.recv_into(buffer)
        except TimeoutError:
            raise _Timeout from None


class _DeadlineSocket:
    """The little of a socket that ``http.client`` uses, with every operation bound by the deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock, self._deadline = sock, deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineIO(self._sock, self._deadline))

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(_remaining(self._deadline))
        try:
            self._sock.sendall(data)
        except TimeoutError:
            raise _Timeout from None

    def close(self) -> None:
        """Nothing: http.client closes early on ``Connection: close``; the fetcher closes the socket when done."""


class _Connection(http.client.HTTPConnection):
    """An HTTP/1.1 exchange over a socket that is already connected to a vetted address."""

    def __init__(self, sock: _DeadlineSocket) -> None:
        super().__init__("pith.invalid")
        self.sock = sock

    def connect(self) -> None:  # the socket is handed in; never dial on our own
        raise http.client.NotConnected("no vetted connection")


class _Watchdog:
    """Shuts a connection down when the deadline passes, so no read or handshake can outlive it.

    It holds a duplicate of the socket: TLS wrapping detaches the original, while a shutdown through the
    duplicate still ends the one connection both share.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.fired = False
        self._sock = sock.dup()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()) + 0.2, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()
        self._timer.join()
        self._sock.close()


class _Decoder:
    """Undoes one Content-Encoding while never producing more than asked for (bombs stop at the cap)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._z: zlib._Decompress | None = None
        self._pending = b""

    def _new(self, data: bytes) -> zlib._Decompress:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" should be zlib-wrapped; many servers send raw deflate instead.
        wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> bytes:
        data = self._pending + data
        self._pending = b""
        if self._z is None:
            if len(data) < 2:
                self._pending = data
                return b""
            self._z = self._new(data)
        out = b""
        while data and len(out) < limit:
            try:
                out += self._z.decompress(data, limit - len(out))
            except zlib.error:
                raise PithError("fetch_failed", f"The page's {self.encoding} compression is corrupt.") from None
            if self._z.unconsumed_tail:
                break  # the limit was reached; the caller stops anyway
            data = self._z.unused_data
            if not (self._z.eof and data[:2] == b"\x1f\x8b"):
                break  # trailing junk after the stream is ignored, as browsers do
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)  # another gzip member follows
        return out

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        try:
            return self._z.flush()
        except zlib.error:
            return b""


def _decoders(header: str | None) -> list[_Decoder]:
    names = [n.strip().lower() for n in (header or "").split(",") if n.strip()]
    names = [n for n in names if n != "identity"]
    for name in names:
        if name not in ("gzip", "x-gzip", "deflate"):
            raise PithError("fetch_failed", f"The page came in an encoding Pith does not read ({name}).")
    return [_Decoder(n) for n in reversed(names)]


def _read_body(response: http.client.HTTPResponse, cap: int) -> bytes:
    """The body, decompressed, counting decoded bytes against ``cap``; more than that is ``too_large``."""
    too_large = PithError("too_large", f"The page is larger than the limit of {cap:,} bytes.")
    decoders = _decoders(response.getheader("Content-Encoding"))
    length = response.getheader("Content-Length")
    if not decoders and length and length.strip().isdigit() and int(length) > cap:
        raise too_large
    body = bytearray()
    raw_read = 0
    while True:
        chunk = response.read1(_CHUNK)  # a cut-off chunked body raises IncompleteRead: fetch_failed
        done = not chunk
        raw_read += len(chunk)
        if raw_read > cap + _CHUNK:
            raise too_large
        final = done
        for decoder in decoders:
            chunk = decoder.feed(chunk, cap + 1 - len(body))
            if final:
                chunk += decoder.flush()
            if len(chunk) > cap - len(body):
                raise too_large
        body += chunk
        if len(body) > cap:
            raise too_large
        if done:
            if response.length:  # Content-Length promised more than came
                raise http.client.IncompleteRead(bytes(body), response.length)
            return bytes(body)


def _kind(media_type: str, body: bytes) -> str:
    if media_type in _HTML_TYPES:
        return "html"
    if media_type in _TEXT_TYPES:  # served as text, but a whole HTML document: read it as one
        return "html" if _HTML_DOCUMENT.match(body[:4096]) else "text"
    kind = sniff_kind(body)
    if kind is None:
        raise PithError("not_html", "The page has no content type and does not look like HTML or text.")
    return kind


def _location(response: http.client.HTTPResponse, base: str) -> str:
    raw = response.getheader("Location")
    if not raw or not raw.strip():
        raise PithError("upstream_error", f"The page's server answered {response.status} without saying where to go.")
    with contextlib.suppress(UnicodeError):  # http.client reads headers as Latin-1; most servers send UTF-8
        raw = raw.encode("latin-1").decode("utf-8")
    return urljoin(base, raw.strip())


def _exchange(target: _Target, addresses: list[IPAddress], deadline: float, ssl_context: ssl.SSLContext | None,
              cookies: http.cookiejar.CookieJar, cap: int) -> tuple[int, str | None, str | None, bytes | None]:
    """One request on one vetted connection → (status, next URL, media type, body or None)."""
    sock = _connect(addresses, target.port, deadline)
    watchdog = _Watchdog(sock, deadline)
    try:
        if target.scheme == "https":
            sock.settimeout(_remaining(deadline))
            hostname = target.host if isinstance(target.host, str) else str(target.host)
            sock = (ssl_context or _default_tls()).wrap_socket(sock, server_hostname=hostname)
        connection = _Connection(_DeadlineSocket(sock, deadline))
        connection.putrequest("GET", target.request_target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", target.host_header)
        for name, value in HEADERS.items():
            connection.putheader(name, value)
        request = urllib.request.Request(target.url)
        cookies.add_cookie_header(request)
        if cookie := request.get_header("Cookie"):
            connection.putheader("Cookie", cookie)
        connection.endheaders()
        response = connection.getresponse()
        with contextlib.suppress(Exception):  # cookies are a courtesy; a malformed one must not fail the fetch
            cookies.extract_cookies(response, request)  # type: ignore[arg-type]
        status = response.status
        if status in _REDIRECTS:
            return status, _location(response, target.url), None, None
        if status >= 400:
            reason = f" {response.reason}" if response.reason else ""
            raise PithError("upstream_error", f"The page's server answered {status}{reason}.")
        if not 200 <= status < 300:
            raise PithError("upstream_error", f"The page's server answered {status}, which Pith cannot use.")
        media = (response.getheader("Content-Type") or "").split(";", 1)[0].strip().lower() or None
        if media is not None and media not in _HTML_TYPES | _TEXT_TYPES:
            raise PithError("not_html", f"The page is {media}, not HTML or text.")
        body = _read_body(response, cap)
        if watchdog.fired:
            raise _Timeout
        return status, None, response.getheader("Content-Type"), body
    except (PithError, _Timeout):
        raise
    except ssl.SSLCertVerificationError as exc:
        raise PithError("fetch_failed", f"The server's TLS certificate is not valid: {exc.verify_message}.") from None
    except (ssl.SSLError, http.client.HTTPException, OSError, ValueError) as exc:
        if watchdog.fired or isinstance(exc, TimeoutError) or time.monotonic() >= deadline:
            raise _Timeout from None
        raise PithError("fetch_failed", _describe(exc)) from None
    finally:
        watchdog.cancel()
        sock.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionResetError):
        return "The server reset the connection."
    if isinstance(exc, http.client.IncompleteRead):
        return "The server closed the connection before the page was complete."
    if isinstance(exc, http.client.RemoteDisconnected):
        return "The server closed the connection without answering."
    if isinstance(exc, ssl.SSLError):
        return f"The TLS connection failed: {exc.reason or exc}."
    if isinstance(exc, http.client.HTTPException):
        return f"The server's answer is not valid HTTP ({type(exc).__name__})."
    return f"The connection failed: {exc}."


def fetch(url: str, config: Config, *, resolver: Resolver | None = None,
          ssl_context: ssl.SSLContext | None = None) -> FetchedPage:
    """Fetch ``url`` safely (SPEC §5). Raises :class:`PithError` with a SPEC §3 code on failure.

    Every hop's host is resolved once (through ``resolver``, default :func:`default_resolver`), every address it
    gives is checked, and the connection goes only to a checked address, so a name cannot rebind in between.
    """
    resolve = resolver or default_resolver
    deadline = time.monotonic() + config.fetch_timeout
    cookies = http.cookiejar.CookieJar()
    current = url.strip() if isinstance(url, str) else ""
    try:
        for hop in range(MAX_REDIRECTS + 1):
            try:
                target = _parse_url(current)
                addresses = _resolve(target, resolve, deadline, config.allow_private_network)
            except PithError as exc:
                if hop == 0 or exc.code not in ("bad_request", "blocked_address"):
                    raise
                raise PithError(exc.code, f"The page redirected to {current}, which Pith will not fetch. "
                                + exc.message) from None
            _status, next_url, content_type, body = _exchange(
                target, addresses, deadline, ssl_context, cookies, config.max_page_bytes)
            if next_url is None:
                assert body is not None
                media = (content_type or "").split(";", 1)[0].strip().lower()
                kind = _kind(media, body)
                text = decode_page(body, content_type)  # binary under an HTML or text type: not_html
                if not text.strip():
                    raise PithError("no_article", "The page is empty.")
                return FetchedPage(url=current, text=text, content_type=kind)
            current = next_url
    except _Timeout:
        raise PithError("fetch_timeout", f"Fetching took longer than {config.fetch_timeout:g} seconds.") from None
    except PithError:
        raise
    except Exception as exc:  # a bug or an odd server must still give the caller a clear error, not a traceback
        log.exception("unexpected error while fetching %s", current)
        raise PithError("fetch_failed", f"Fetching failed unexpectedly ({type(exc).__name__}).") from None
    raise PithError("fetch_failed", f"The page redirected more than {MAX_REDIRECTS} times.")
