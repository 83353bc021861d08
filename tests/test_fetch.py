"""Fetching is polite and guarded; every failure becomes a message that says what happened."""

import asyncio
import re
from dataclasses import replace

import pytest

from index.fetch import USER_AGENT, Fetcher, FetchError, FetchSettings
from index.netguard import AddressPolicy, RefusedAddressError, is_private_address

LOCAL = FetchSettings(
    timeout_seconds=0.5,
    retries=1,
    backoff_seconds=0.01,
    max_bytes=1_000_000,
    allowed_networks=("127.0.0.1/32",),
)


def fetch(url: str, settings: FetchSettings = LOCAL, **options):
    async def run():
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **options)

    return asyncio.run(run())


def test_a_page_is_fetched_with_a_clear_user_agent(web):
    result = fetch(web.url("/articles/bayern-forward"))
    assert result.status == 200 and result.content_type == "text/html"
    assert b"Bayern Munich have agreed a deal" in result.body
    assert web.user_agents == [USER_AGENT]


def test_a_server_error_is_retried_and_the_second_answer_used(web):
    web.flaky_failures_left = 1
    result = fetch(web.url("/flaky"))
    assert result.status == 200
    assert web.hits["/flaky"] == 2


def test_a_server_that_keeps_failing_is_given_up_on_with_the_reason(web):
    web.flaky_failures_left = 10
    with pytest.raises(FetchError, match=r"the server answered 500 \(tried 3 times\)"):
        fetch(web.url("/flaky"), replace(LOCAL, retries=2))
    assert web.hits["/flaky"] == 3


def test_a_page_that_never_answers_times_out(web):
    with pytest.raises(FetchError, match=r"timed out after 0.5 s \(tried 2 times\)"):
        fetch(web.url("/slow"))
    assert web.hits["/slow"] == 2


def test_a_not_found_page_is_not_retried(web):
    with pytest.raises(FetchError, match="answered 404 Not Found"):
        fetch(web.url("/articles/nothing-here"))
    assert web.hits["/articles/nothing-here"] == 1


@pytest.mark.parametrize("path", ["/huge", "/huge-undeclared"])
def test_a_30_mb_body_is_refused_at_the_size_limit(web, path):
    with pytest.raises(FetchError, match=r"over the 1.0 MB limit"):
        fetch(web.url(path))


def test_a_redirect_loop_is_cut_off(web):
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        fetch(web.url("/loop"))
    assert web.hits["/loop"] == 6


def test_redirects_are_followed(web):
    result = fetch(web.url("/hop"))
    assert result.url == web.url("/articles/bayern-forward?utm_source=hop")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/to-metadata", "169.254.169.254: it is a link-local (cloud metadata) address"),
        ("/to-private", "10.11.12.13: it is a private address"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused_before_connecting(web, path, message):
    with pytest.raises(RefusedAddressError, match=re.escape(message)):
        fetch(web.url(path))


def test_loopback_is_refused_by_default_and_names_the_switch(web):
    with pytest.raises(RefusedAddressError) as refused:
        fetch(web.url("/articles/bayern-forward"), FetchSettings())
    assert "loopback" in str(refused.value) and "allow_private = true" in str(refused.value)
    assert web.hits["/articles/bayern-forward"] == 0


def test_host_names_are_checked_after_dns_resolution(web):
    with pytest.raises(RefusedAddressError, match=r"localhost \((127.0.0.1|::1)\)"):
        fetch(f"http://localhost:{web.port}/articles/bayern-forward", FetchSettings())


def test_only_http_and_https_are_fetched():
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch("file:///etc/passwd")


def test_conditional_get_gets_not_modified(web):
    first = fetch(web.url("/feeds/rss2.xml"))
    again = fetch(web.url("/feeds/rss2.xml"), etag=first.etag)
    assert first.etag == '"feed-v1"'
    assert again.not_modified and again.body == b""


def test_requests_to_one_host_are_limited(web):
    settings = FetchSettings(per_host_concurrency=2, allowed_networks=("127.0.0.1/32",))

    async def run():
        async with Fetcher(settings) as fetcher:
            await asyncio.gather(*(fetcher.fetch(web.url(f"/pause/{n}")) for n in range(6)))

    asyncio.run(run())
    assert web.most_in_flight == 2


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.0.0.8", True),
        ("172.16.5.4", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fd12::1", True),
        ("::ffff:192.168.0.1", True),
        ("0.0.0.0", True),
        ("8.8.8.8", False),
        ("2a00:1450:4009::1", False),
    ],
)
def test_private_addresses_are_recognised(address, private):
    assert is_private_address(address) is private


def test_allowed_networks_open_only_themselves():
    policy = AddressPolicy.from_strings(False, ["127.0.0.1/32"])
    policy.check("127.0.0.1", "127.0.0.1")
    with pytest.raises(RefusedAddressError):
        policy.check("127.0.0.2", "127.0.0.2")
