"""Polite, guarded HTTP fetching for feeds and pages.

Per-request timeout, a body size limit, concurrency limits overall and per host, a clear
User-Agent, conditional GET, retries with backoff on 5xx/429/timeouts, capped redirects, and
no fetching from private addresses unless allowed (checked on every hop).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from index.errors import TransferDeskError
from index.netguard import AddressPolicy, RefusedAddressError, build_guarded_resolver, literal_ip
from index.urls import is_web_url

log = logging.getLogger(__name__)

USER_AGENT = "TransferDesk/0.1 (football transfer news bot; polite feed reader)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(TransferDeskError):
    """A URL could not be fetched; the message says why, for the person who added it."""


class _Retryable(Exception):
    pass


@dataclass(frozen=True, slots=True)
class FetchSettings:
    timeout_seconds: float = 10.0
    max_bytes: int = 5_000_000
    max_concurrency: int = 8
    per_host_concurrency: int = 2
    retries: int = 2
    backoff_seconds: float = 0.5
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """One HTTP session with its limits; use as `async with Fetcher(settings) as fetcher`."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.policy = AddressPolicy.from_strings(settings.allow_private, settings.allowed_networks)
        self._session = None

    async def __aenter__(self) -> Fetcher:
        import aiohttp

        connector = aiohttp.TCPConnector(
            limit=self.settings.max_concurrency,
            limit_per_host=self.settings.per_host_concurrency,
            resolver=build_guarded_resolver(self.policy),
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.settings.user_agent},
            timeout=aiohttp.ClientTimeout(total=self.settings.timeout_seconds),
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._session.close()

    async def fetch(
        self,
        url: str,
        *,
        accept: str = HTML_ACCEPT,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        if not is_web_url(url):
            raise FetchError(f"only http:// and https:// URLs can be fetched, not {url!r}")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                return await self._follow_redirects(url, headers)
            except _Retryable as error:
                if attempt + 1 == attempts:
                    tries = f" (tried {attempts} times)" if attempts > 1 else ""
                    raise FetchError(f"{url}: {error}{tries}") from None
                delay = self.settings.backoff_seconds * 2**attempt
                log.info("%s: %s; retrying in %.1f s", url, error, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _follow_redirects(self, url: str, headers: dict[str, str]) -> FetchResult:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            self._check_literal_address(current)
            result = await self._get(current, headers)
            if isinstance(result, FetchResult):
                return result
            current = result
        raise FetchError(f"{url}: too many redirects (more than {self.settings.max_redirects})")

    def _check_literal_address(self, url: str) -> None:
        # Host names are checked by the resolver after DNS; literal IPs never reach it.
        host = urlsplit(url).hostname or ""
        address = literal_ip(host)
        if address:
            self.policy.check(host, address)

    async def _get(self, url: str, headers: dict[str, str]) -> FetchResult | str:
        """One request: a result, or the URL a redirect points to."""
        import aiohttp

        try:
            async with self._session.get(url, headers=headers, allow_redirects=False) as response:
                if response.status in _REDIRECTS:
                    return _redirect_target(url, response.headers.get("Location"))
                if response.status in _RETRY_STATUSES:
                    raise _Retryable(f"the server answered {response.status}")
                if response.status == 304:
                    return FetchResult(url, 304, "", b"")
                if response.status >= 400:
                    reason = f"{response.status} {response.reason or ''}".strip()
                    raise FetchError(f"{url}: the server answered {reason}")
                body = await self._read_limited(url, response)
                return FetchResult(
                    url=url,
                    status=response.status,
                    content_type=response.headers.get("Content-Type", "")
                    .split(";")[0]
                    .strip()
                    .lower(),
                    body=body,
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
        except RefusedAddressError:
            raise
        except aiohttp.ClientConnectorError as error:
            refused = _refusal_inside(error)
            if refused:
                raise refused from None
            raise _Retryable(f"could not connect ({error.os_error.strerror or error})") from None
        except TimeoutError:
            raise _Retryable(f"timed out after {self.settings.timeout_seconds:g} s") from None
        except aiohttp.ClientError as error:
            raise _Retryable(f"connection failed ({type(error).__name__})") from None

    async def _read_limited(self, url: str, response) -> bytes:
        limit = self.settings.max_bytes
        declared = response.content_length
        if declared is not None and declared > limit:
            raise FetchError(f"{url}: the response is {_mb(declared)}, over the {_mb(limit)} limit")
        body = bytearray()
        async for piece in response.content.iter_chunked(65536):
            body += piece
            if len(body) > limit:
                raise FetchError(f"{url}: the response is over the {_mb(limit)} limit")
        return bytes(body)


def _redirect_target(url: str, location: str | None) -> str:
    if not location:
        raise FetchError(f"{url}: a redirect without a Location header")
    target = urljoin(url, location)
    if not is_web_url(target):
        raise FetchError(f"{url}: redirects to {target!r}, which is not an http(s) URL")
    return target


def _refusal_inside(error: BaseException) -> RefusedAddressError | None:
    seen = error
    while seen is not None:
        if isinstance(seen, RefusedAddressError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
