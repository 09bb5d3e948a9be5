"""The SSRF guard: every address form that can reach the bot's own machine or network."""

from __future__ import annotations

import pytest

from bot.ingest.addresses import check_ip, classify_ip, host_literal
from bot.ingest.errors import BlockedAddressError, UnsafeURLError, UnsupportedURLError
from bot.ingest.netguard import check_url

_DNS = {
    "public.test": ["93.184.216.34"],
    "v6.test": ["2606:4700:4700::1111"],
    "intranet.test": ["10.1.2.3"],
    "metadata.test": ["169.254.169.254"],
    "metadata-v6.test": ["fd00:ec2::254"],
    "gcp-metadata-v6.test": ["fd20:ce::254"],
    "mixed.test": ["93.184.216.34", "127.0.0.1"],
    "mapped.test": ["::ffff:192.168.1.1"],
}


async def stub_resolver(host: str, port: int) -> list[str]:
    try:
        return _DNS[host]
    except KeyError:
        raise OSError(f"NXDOMAIN {host}") from None


# (URL, blocked without the switch, still blocked with allow_private_networks=True)
CASES = [
    ("http://localhost/feed", True, False),
    ("http://LOCALHOST./feed", True, False),
    ("http://api.localhost/feed", True, False),
    ("http://127.0.0.1/feed", True, False),
    ("http://127.1/feed", True, False),
    ("http://0x7f000001/feed", True, False),
    ("http://2130706433/feed", True, False),
    ("http://0177.0.0.1/feed", True, True),  # httpx rejects octal outright: refused anyway
    ("http://[::1]/feed", True, False),
    ("http://[::ffff:127.0.0.1]/feed", True, False),
    ("http://[::127.0.0.1]/feed", True, False),
    ("http://10.0.0.1/feed", True, False),
    ("http://172.16.5.4/feed", True, False),
    ("http://192.168.1.10/feed", True, False),
    ("http://100.64.0.1/feed", True, False),
    ("http://[fd00::1]/feed", True, False),
    ("http://[64:ff9b::c0a8:0101]/feed", True, False),  # NAT64 of 192.168.1.1
    ("http://intranet.test/feed", True, False),
    ("http://mapped.test/feed", True, False),
    ("http://mixed.test/feed", True, False),
    # Never reachable, whatever the switch says.
    ("http://169.254.169.254/latest/meta-data/", True, True),
    ("http://metadata.test/", True, True),
    ("http://[fe80::1]/feed", True, True),
    ("http://[64:ff9b::a9fe:a9fe]/feed", True, True),  # NAT64 of 169.254.169.254
    ("http://[2002:a9fe:a9fe::]/feed", True, True),  # 6to4 of 169.254.169.254
    ("http://[::ffff:169.254.169.254]/feed", True, True),
    ("http://[2001:0:4136:e378:8000:63bf:5601:5601]/", True, True),  # Teredo client 169.254.x
    ("http://0.0.0.0/feed", True, True),
    ("http://0/feed", True, True),
    ("http://[::]/feed", True, True),
    ("http://224.0.0.1/feed", True, True),
    ("http://[ff02::1]/feed", True, True),
    ("http://255.255.255.255/feed", True, True),
    ("http://240.0.0.1/feed", True, True),
    ("http://192.0.2.7/feed", True, True),
    ("http://[2001:db8::1]/feed", True, True),
    # Cloud metadata services inside ranges the switch allows, or in a public one.
    ("http://[fd00:ec2::254]/latest/meta-data/", True, True),  # AWS over IPv6, in ULA
    ("http://[fd20:ce::254]/computeMetadata/v1/", True, True),  # GCP over IPv6, in ULA
    ("http://100.100.100.200/latest/meta-data/", True, True),  # Alibaba, in CGNAT
    ("http://[::ffff:100.100.100.200]/", True, True),
    ("http://[64:ff9b::6464:64c8]/", True, True),  # NAT64 of 100.100.100.200
    ("http://168.63.129.16/machine?comp=goalstate", True, True),  # Azure wireserver
    ("http://metadata-v6.test/", True, True),
    ("http://gcp-metadata-v6.test/", True, True),
    ("http://169.254.170.2/v2/credentials", True, True),  # ECS task credentials
    # Their neighbours are what they were.
    ("http://[fd00:ec2::253]/feed", True, False),
    ("http://[fd20:ce::253]/feed", True, False),
    ("http://100.100.100.201/feed", True, False),
    ("http://168.63.129.17/feed", False, False),
    # Public: always fine.
    ("http://93.184.216.34/feed", False, False),
    ("https://public.test/feed.xml", False, False),
    ("https://v6.test/feed.xml", False, False),
    ("http://[2606:4700:4700::1111]/feed", False, False),
    ("http://[::ffff:8.8.8.8]/feed", False, False),
    ("http://[64:ff9b::808:808]/feed", False, False),
    ("http://[2002:0808:0808::1]/feed", False, False),
]


@pytest.mark.parametrize(("url", "blocked", "blocked_even_if_allowed"), CASES)
async def test_address_forms(url: str, blocked: bool, blocked_even_if_allowed: bool) -> None:
    for allow, expect in ((False, blocked), (True, blocked_even_if_allowed)):
        if expect:
            # UnsafeURLError: httpx itself rejects some forms (octal "0177.0.0.1") as invalid.
            with pytest.raises(UnsafeURLError):
                await check_url(url, allow_private_networks=allow, resolver=stub_resolver)
        else:
            await check_url(url, allow_private_networks=allow, resolver=stub_resolver)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/feed",
        "gopher://x/",
        "javascript:alert(1)",
        "http:///x",
    ],
)
async def test_only_http_and_https(url: str) -> None:
    with pytest.raises(UnsupportedURLError):
        await check_url(url, allow_private_networks=True, resolver=stub_resolver)


async def test_error_names_the_address_class_and_the_name() -> None:
    with pytest.raises(
        BlockedAddressError, match=r"link-local address 169\.254\.169\.254.*metadata"
    ):
        await check_url(
            "http://metadata.test/", allow_private_networks=True, resolver=stub_resolver
        )


async def test_unresolvable_host_is_a_network_error_not_a_refusal() -> None:
    with pytest.raises(Exception) as info:
        await check_url("http://nope.test/", allow_private_networks=False, resolver=stub_resolver)
    assert not isinstance(info.value, UnsafeURLError)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("example.com", None),
        ("1.2.3.4.example", None),
    ],
)
def test_host_literal(host: str, expected: str | None) -> None:
    got = host_literal(host)
    assert (str(got) if got is not None else None) == expected


def test_check_ip_switch() -> None:
    check_ip("10.0.0.1", allow_private_networks=True)
    with pytest.raises(BlockedAddressError, match="private"):
        check_ip("10.0.0.1")
    with pytest.raises(BlockedAddressError, match="carrier-grade NAT"):
        check_ip("100.100.1.1")
    assert classify_ip("8.8.8.8") is None
    assert classify_ip("169.254.169.254") == ("link-local", False)
    # A metadata address is named as one, not as the range the setting would let through.
    with pytest.raises(BlockedAddressError, match=r"cloud metadata address fd00:ec2::254$"):
        check_ip("fd00:ec2::254", allow_private_networks=True)
    with pytest.raises(BlockedAddressError, match=r"cloud metadata address fd20:ce::254$"):
        check_ip("fd20:ce::254", allow_private_networks=True)
    assert classify_ip("100.100.100.200") == ("cloud metadata", False)
    assert classify_ip("168.63.129.16") == ("cloud metadata", False)
