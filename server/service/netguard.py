"""Address checks for the fetcher: parse hosts like a browser and refuse non-public IP addresses."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote

import idna

from server.core.errors import PithError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# Reachable only when PITH_ALLOW_PRIVATE_NETWORK=1 (self-hosting on a LAN, tests).
_PRIVATE_V4: tuple[tuple[_V4, str], ...] = (
    (_V4("127.0.0.0/8"), "a loopback address"),
    (_V4("10.0.0.0/8"), "a private address"),
    (_V4("172.16.0.0/12"), "a private address"),
    (_V4("192.168.0.0/16"), "a private address"),
    (_V4("100.64.0.0/10"), "a carrier-grade NAT (shared) address"),
)
# Never reachable.
_ALWAYS_V4: tuple[tuple[_V4, str], ...] = (
    (_V4("0.0.0.0/8"), "an unspecified ('this network') address"),
    (_V4("169.254.0.0/16"), "a link-local address (cloud metadata lives here)"),
    (_V4("224.0.0.0/4"), "a multicast address"),
    (_V4("240.0.0.0/4"), "a reserved or broadcast address"),
    (_V4("192.0.0.0/24"), "a reserved (IETF protocol) address"),
    (_V4("192.0.2.0/24"), "a documentation address"),
    (_V4("198.51.100.0/24"), "a documentation address"),
    (_V4("203.0.113.0/24"), "a documentation address"),
    (_V4("198.18.0.0/15"), "a benchmarking address"),
    (_V4("192.88.99.0/24"), "a reserved (6to4 relay) address"),
)
_PRIVATE_V6: tuple[tuple[_V6, str], ...] = (
    (_V6("::1/128"), "a loopback address"),
    (_V6("fc00::/7"), "a private (unique local) address"),
    (_V6("fec0::/10"), "a private (site-local) address"),
)
_GLOBAL_UNICAST_V6 = _V6("2000::/3")
_ALWAYS_V6: tuple[tuple[_V6, str], ...] = (
    (_V6("2001::/23"), "a reserved (IETF protocol or Teredo) address"),
    (_V6("2001:db8::/32"), "a documentation address"),
    (_V6("3fff::/20"), "a documentation address"),
)
# IPv6 forms that carry an IPv4 address in their last 32 bits.
_EMBEDS_V4_LOW32: tuple[tuple[_V6, str], ...] = (
    (_V6("::ffff:0:0/96"), "an IPv4-mapped"),
    (_V6("::ffff:0:0:0/96"), "an IPv4-translated"),
    (_V6("64:ff9b::/96"), "a NAT64"),
    (_V6("::/96"), "an IPv4-compatible"),
)
_SIX_TO_FOUR = _V6("2002::/16")
_LOCAL_NAT64 = _V6("64:ff9b:1::/48")

# Ports browsers refuse to fetch (WHATWG Fetch "bad port"): other protocols that a crafted request could talk to.
BAD_PORTS = frozenset({
    1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109,
    110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530,
    531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190,
    5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
})

_HOST_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$")
_ALLOW_HINT = " Set PITH_ALLOW_PRIVATE_NETWORK=1 to allow loopback and private networks."


def _v4_part(part: str) -> int | None:
    """One dotted part as WHATWG's IPv4 parser reads it: 0x… hex, 0… octal, else decimal; None when invalid."""
    if part[:2] in ("0x", "0X"):
        digits, base = part[2:], 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    if digits == "":
        return 0
    allowed = {16: "0123456789abcdefABCDEF", 8: "01234567", 10: "0123456789"}[base]
    if any(c not in allowed for c in digits):
        return None
    return int(digits, base)


def _ends_in_number(parts: list[str]) -> bool:
    last = parts[-1]
    if last.isascii() and last.isdigit():
        return True
    return last[:2] in ("0x", "0X") and all(c in "0123456789abcdefABCDEF" for c in last[2:])


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """``host`` as a browser reads an IPv4 address (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``).

    None when the host is a name; ``PithError("bad_request")`` when it ends in a number but is no valid address.
    """
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not parts or not parts[-1] or not _ends_in_number(parts):
        return None
    numbers = [_v4_part(p) if p else None for p in parts]
    if len(parts) > 4 or any(n is None for n in numbers):
        raise PithError("bad_request", f"The host {host!r} looks like an IPv4 address but is not a valid one.")
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise PithError("bad_request", f"The host {host!r} is an IPv4 address out of range.")
    number = values[-1]
    for i, n in enumerate(values[:-1]):
        number += n << (8 * (3 - i))
    return ipaddress.IPv4Address(number)


def normalize_host(raw: str) -> str | IPAddress:
    """A URL's host → an IP address (any spelling) or a lower-case ASCII DNS name; bad hosts raise bad_request."""
    host = unquote(raw).strip()
    if not host:
        raise PithError("bad_request", "The URL has no host.")
    if host.startswith("[") or ":" in host:
        inner = host[1:-1] if host.startswith("[") and host.endswith("]") else host
        try:
            return ipaddress.IPv6Address(inner.split("%", 1)[0])
        except ValueError:
            raise PithError("bad_request", f"The host {raw!r} is not a valid IPv6 address.") from None
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            raise PithError("bad_request", f"The host {raw!r} is not a valid domain name.") from None
    host = host.lower()
    if (v4 := parse_ipv4(host)) is not None:
        return v4
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if len(name) > 253 or not all(_HOST_LABEL.match(label) and len(label) <= 63 for label in labels):
        raise PithError("bad_request", f"The host {raw!r} is not a valid domain name.")
    return name


def _embedded_v4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    for net, kind in _EMBEDS_V4_LOW32:
        if ip in net and not (kind == "an IPv4-compatible" and int(ip) <= 1):
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), kind
    if ip in _SIX_TO_FOUR:
        return ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF), "a 6to4"
    return None


def classify(ip: IPAddress) -> tuple[str, str]:
    """``("public" | "private" | "blocked", why)`` for one address; private ones are allowed only by the flag."""
    if isinstance(ip, ipaddress.IPv6Address):
        if (embedded := _embedded_v4(ip)) is not None:
            v4, kind = embedded
            verdict, why = classify(v4)
            if verdict == "public" and kind == "an IPv4-compatible":
                return "blocked", f"{kind} IPv6 address (deprecated)"
            if verdict == "public":
                return "public", ""
            return verdict, f"{kind} IPv6 form of {v4}, {why}"
        if ip in _LOCAL_NAT64:
            return "blocked", "a local-use NAT64 address"
        for net6, why in _PRIVATE_V6:
            if ip in net6:
                return "private", why
        if ip not in _GLOBAL_UNICAST_V6:
            if ip.is_link_local:
                return "blocked", "a link-local address"
            if ip.is_multicast:
                return "blocked", "a multicast address"
            if ip.is_unspecified:
                return "blocked", "an unspecified address"
            return "blocked", "a reserved address"
        for net6, why in _ALWAYS_V6:
            if ip in net6:
                return "blocked", why
        return "public", ""
    for net4, why in _ALWAYS_V4:
        if ip in net4:
            return "blocked", why
    for net4, why in _PRIVATE_V4:
        if ip in net4:
            return "private", why
    return "public", ""


def check_address(ip: IPAddress, *, allow_private: bool, host: str | None = None) -> None:
    """Raise ``PithError("blocked_address")`` unless Pith may connect to ``ip``."""
    verdict, why = classify(ip)
    if verdict == "public" or (verdict == "private" and allow_private):
        return
    of = f" (the address of {host})" if host and host != str(ip) else ""
    hint = _ALLOW_HINT if verdict == "private" else ""
    raise PithError("blocked_address", f"Refused to fetch {ip}{of}: it is {why}; Pith only fetches public addresses."
                    + hint)


def check_port(port: int) -> None:
    """Refuse ports that browsers refuse (mail, SSH, …); a fetch must only ever speak HTTP."""
    if port in BAD_PORTS:
        raise PithError("blocked_address", f"Refused to fetch from port {port}: it belongs to another protocol.")
