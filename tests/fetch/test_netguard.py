"""Address checks: every blocked form is refused before any connection, and the flag opens only private ones."""

from __future__ import annotations

import ipaddress

import pytest

import server.service.fetch as fetch_module
from server.core.errors import PithError
from server.service.config import Config
from server.service.fetch import fetch
from server.service.netguard import classify, normalize_host, parse_ipv4

OFF = Config(allow_private_network=False, fetch_timeout=5.0)
ON = Config(allow_private_network=True, fetch_timeout=5.0)


@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], int]]:
    """Replace the fetcher's dialler: record what it would dial, then fail as if refused."""
    dialled: list[tuple[list[str], int]] = []

    def fake_connect(addresses: list, port: int, deadline: float) -> None:
        dialled.append(([str(a) for a in addresses], port))
        raise PithError("fetch_failed", "test: connection not made")

    monkeypatch.setattr(fetch_module, "_connect", fake_connect)
    return dialled


@pytest.mark.parametrize(("spelling", "address"), [
    ("127.0.0.1", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"),
    ("0X7F000001", "127.0.0.1"),
    ("127.1", "127.0.0.1"),
    ("127.0.1", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("0x7f.0.0.1", "127.0.0.1"),
    ("017700000001", "127.0.0.1"),
    ("0x7f.1", "127.0.0.1"),
    ("127.0.0.1.", "127.0.0.1"),
    ("0", "0.0.0.0"),
    ("0x", "0.0.0.0"),
    ("10.1", "10.0.0.1"),
    ("3232235777", "192.168.1.1"),
    ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
    ("93.184.216.34", "93.184.216.34"),
])
def test_ipv4_spellings_are_read_like_a_browser(spelling: str, address: str) -> None:
    assert parse_ipv4(spelling) == ipaddress.IPv4Address(address)


@pytest.mark.parametrize("name", ["example.com", "news.test", "localhost", "1.example", "0x7g.com"])
def test_names_are_not_addresses(name: str) -> None:
    assert parse_ipv4(name) is None


@pytest.mark.parametrize("host", ["1.2.3.4.5", "256.1.1.1", "1.2.3.256", "127.0.0.09", "0x1.09.1.1", "foo.123",
                                  "4294967296", "1..2.3"])
def test_invalid_numeric_hosts_are_bad_requests(host: str) -> None:
    with pytest.raises(PithError) as err:
        normalize_host(host)
    assert err.value.code == "bad_request"


def test_host_normalisation() -> None:
    assert normalize_host("Example.COM.") == "example.com"
    assert normalize_host("%31%32%37.0.0.1") == ipaddress.IPv4Address("127.0.0.1")
    assert normalize_host("[::ffff:7f00:1]") == ipaddress.IPv6Address("::ffff:127.0.0.1")
    assert normalize_host("bücher.example") == "xn--bcher-kva.example"
    for bad in ("exa mple.com", "a_b!.com", "-x.com", "[::1", "[zz::1]", ""):
        with pytest.raises(PithError) as err:
            normalize_host(bad)
        assert err.value.code == "bad_request", bad


@pytest.mark.parametrize(("address", "verdict"), [
    ("8.8.8.8", "public"), ("93.184.216.34", "public"), ("2606:4700::1111", "public"),
    ("127.0.0.1", "private"), ("127.255.255.254", "private"), ("10.0.0.1", "private"), ("172.16.0.1", "private"),
    ("172.31.255.255", "private"), ("192.168.0.1", "private"), ("100.64.0.1", "private"),
    ("100.127.255.255", "private"), ("::1", "private"), ("fc00::1", "private"), ("fd12:3456::1", "private"),
    ("169.254.169.254", "blocked"), ("169.254.0.1", "blocked"), ("fe80::1", "blocked"), ("febf::1", "blocked"),
    ("224.0.0.1", "blocked"), ("239.255.255.250", "blocked"), ("ff02::1", "blocked"), ("ff0e::1", "blocked"),
    ("0.0.0.0", "blocked"), ("0.1.2.3", "blocked"), ("::", "blocked"), ("255.255.255.255", "blocked"),
    ("240.0.0.1", "blocked"), ("192.0.2.1", "blocked"), ("198.18.0.1", "blocked"), ("2001:db8::1", "blocked"),
    ("100::1", "blocked"), ("2001::1", "blocked"),
    # IPv6 forms carrying an IPv4 address inherit its verdict
    ("::ffff:127.0.0.1", "private"), ("::ffff:10.1.2.3", "private"), ("::ffff:169.254.169.254", "blocked"),
    ("::ffff:8.8.8.8", "public"), ("::ffff:0:127.0.0.1", "private"), ("::127.0.0.1", "private"),
    ("::8.8.8.8", "blocked"), ("64:ff9b::7f00:1", "private"), ("64:ff9b::a9fe:a9fe", "blocked"),
    ("64:ff9b::808:808", "public"), ("2002:7f00:1::", "private"), ("2002:a9fe:a9fe::1", "blocked"),
    ("2002:808:808::1", "public"), ("64:ff9b:1::1", "blocked"),
])
def test_classify(address: str, verdict: str) -> None:
    assert classify(ipaddress.ip_address(address))[0] == verdict


LOOPBACK_AND_PRIVATE = [
    "http://127.0.0.1/", "http://2130706433/", "http://0x7f000001/", "http://127.1/", "http://0177.0.0.1/",
    "http://0x7f.0.0.1/", "http://127.0.0.1./", "http://%31%32%37.0.0.1/", "https://127.0.0.1/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://[::127.0.0.1]/", "http://[64:ff9b::127.0.0.1]/", "http://[2002:7f00:1::]/",
    "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://3232235777/", "http://100.64.0.1/",
    "http://[fc00::1]/", "http://[fd00::1]/", "http://user:pw@127.0.0.1:8080/x", "http://example.com@127.0.0.1/",
    "http://１２７.０.０.１/", "http://127。0。0。1/", "http://①②⑦.0.0.1/",  # what IDNA mapping turns into digits
]
ALWAYS_BLOCKED = [
    "http://169.254.169.254/latest/meta-data/", "http://0xa9fea9fe/", "http://2852039166/", "http://169.254.1/",
    "http://[fe80::1]/", "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:a9fe:a9fe::]/", "http://224.0.0.1/", "http://239.255.255.250:1900/", "http://[ff02::1]/",
    "http://0.0.0.0/", "http://0/", "http://[::]/", "http://255.255.255.255/", "http://240.0.0.1/",
    "http://[::ffff:0.0.0.0]/", "http://[::ffff:224.0.0.1]/", "http://⑯⑨.②⑤④.⑯⑨.②⑤④/",
]


@pytest.mark.parametrize("url", LOOPBACK_AND_PRIVATE + ALWAYS_BLOCKED)
def test_blocked_literals_refused_before_connecting(url: str, resolver_factory, no_connect) -> None:
    resolver = resolver_factory({})
    with pytest.raises(PithError) as err:
        fetch(url, OFF, resolver=resolver)
    assert err.value.code == "blocked_address"
    assert "public" in err.value.message
    assert no_connect == [] and resolver.calls == []  # an address literal is never looked up


@pytest.mark.parametrize("url", ALWAYS_BLOCKED)
def test_link_local_multicast_and_reserved_stay_blocked_with_flag(url: str, resolver_factory, no_connect) -> None:
    with pytest.raises(PithError) as err:
        fetch(url, ON, resolver=resolver_factory({}))
    assert err.value.code == "blocked_address"
    assert "PITH_ALLOW_PRIVATE_NETWORK" not in err.value.message  # the flag would not help
    assert no_connect == []


@pytest.mark.parametrize("url", LOOPBACK_AND_PRIVATE)
def test_flag_lets_loopback_and_private_through_to_the_vetted_address(url: str, no_connect) -> None:
    with pytest.raises(PithError) as err:
        fetch(url, ON)
    assert err.value.code == "fetch_failed"  # reached the (faked) dialler
    (addresses, _port), = no_connect
    assert classify(ipaddress.ip_address(addresses[0]))[0] == "private"


def test_private_refusal_names_the_flag(no_connect) -> None:
    with pytest.raises(PithError) as err:
        fetch("http://0x7f000001/", OFF)
    assert "127.0.0.1" in err.value.message
    assert "PITH_ALLOW_PRIVATE_NETWORK=1" in err.value.message


@pytest.mark.parametrize(("answers", "flag"), [
    (["10.0.0.5"], False),
    (["127.0.0.1"], False),
    (["::1"], False),
    (["93.184.216.34", "192.168.0.10"], False),  # one bad answer among good ones is enough
    (["2606:4700::1111", "fd00::1"], False),
    (["::ffff:127.0.0.1"], False),
    (["169.254.169.254"], True),
    (["127.0.0.1", "169.254.169.254"], True),
    (["fe80::1%eth0"], True),
    (["224.0.0.251"], True),
])
def test_names_resolving_to_blocked_addresses(answers: list[str], flag: bool, resolver_factory, no_connect) -> None:
    resolver = resolver_factory({"evil.test": answers})
    with pytest.raises(PithError) as err:
        fetch("http://evil.test/page", ON if flag else OFF, resolver=resolver)
    assert err.value.code == "blocked_address"
    assert "evil.test" in err.value.message
    assert resolver.calls == [("evil.test", 80)]
    assert no_connect == []


def test_public_name_is_dialled_at_the_vetted_address_only(resolver_factory, no_connect) -> None:
    resolver = resolver_factory({"news.test": ["93.184.216.34", "2606:2800:220:1::1"]})
    with pytest.raises(PithError):
        fetch("https://news.test/a", OFF, resolver=resolver)
    assert no_connect == [(["93.184.216.34", "2606:2800:220:1::1"], 443)]


def test_rebinding_name_is_resolved_once_per_hop(resolver_factory, no_connect) -> None:
    """First answer public, second private: the dialler gets the first answer and the name is not asked again."""
    resolver = resolver_factory({"rebind.test": [["93.184.216.34"], ["127.0.0.1"]]})
    with pytest.raises(PithError) as err:
        fetch("http://rebind.test/", OFF, resolver=resolver)
    assert err.value.code == "fetch_failed"
    assert resolver.calls == [("rebind.test", 80)]
    assert no_connect == [(["93.184.216.34"], 80)]


@pytest.mark.parametrize("url", [
    "ftp://example.com/file", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)",
    "data:text/html,<p>hi</p>", "example.com/news", "//example.com/news", "http://", "http:///path",
    "http://exa mple.com/", "http://[::1/", "http://example.com:99999/", "http://example.com:port/",
    "http://1.2.3.4.5/", "http://256.0.0.1/", "http://ex\nample.com/", "", "   ",
])
def test_bad_urls_are_bad_requests(url: str, resolver_factory, no_connect) -> None:
    resolver = resolver_factory({})
    with pytest.raises(PithError) as err:
        fetch(url, ON, resolver=resolver)
    assert err.value.code == "bad_request"
    assert err.value.message
    assert resolver.calls == [] and no_connect == []


@pytest.mark.parametrize("port", [22, 25, 6667])
def test_ports_of_other_protocols_are_blocked(port: int, resolver_factory, no_connect) -> None:
    with pytest.raises(PithError) as err:
        fetch(f"http://news.test:{port}/", ON, resolver=resolver_factory({"news.test": ["93.184.216.34"]}))
    assert err.value.code == "blocked_address"
    assert no_connect == []


def test_unresolvable_name_is_fetch_failed(resolver_factory, no_connect) -> None:
    with pytest.raises(PithError) as err:
        fetch("http://nowhere.test/", OFF, resolver=resolver_factory({}))
    assert err.value.code == "fetch_failed"
    assert "nowhere.test" in err.value.message


@pytest.mark.parametrize("answers", [[], ["not-an-ip"]])
def test_useless_resolver_answers_are_fetch_failed(answers: list[str], resolver_factory, no_connect) -> None:
    with pytest.raises(PithError) as err:
        fetch("http://odd.test/", OFF, resolver=resolver_factory({"odd.test": answers}))
    assert err.value.code == "fetch_failed"
    assert no_connect == []


def test_default_resolver_reads_the_hosts_file() -> None:
    found = fetch_module.default_resolver("localhost", 80)
    assert found and all(ipaddress.ip_address(a).is_loopback for a in found)
