"""A real HTTP server on 127.0.0.1 serving fixture feeds and pages, some of them misbehaving."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from pathlib import Path

from aiohttp import web
from threaded_server import ThreadedServer

WEB_FIXTURES = Path(__file__).parent / "fixtures" / "web"

ARTICLES = {
    "milan-successor": (
        "Milan open talks over Allegri successor",
        "2026-03-09",
        [
            "AC Milan have opened talks with two candidates to succeed Massimiliano Allegri, "
            "whose future at San Siro has been in doubt for weeks.",
            "The Rossoneri hierarchy met representatives of both coaches in Milan on Sunday.",
        ],
    ),
    "liverpool-winger": (
        "Liverpool reject Saudi offer for winger",
        "2026-03-08",
        [
            "Liverpool have rejected an offer worth 100 million pounds from a Saudi Pro League "
            "club for their Egyptian winger.",
            "Anfield officials insist the player is not for sale at any price this summer.",
        ],
    ),
    "bayern-forward": (
        "Bayern agree deal for Stuttgart forward",
        "2026-03-06",
        [
            "Bayern Munich have agreed a deal with VfB Stuttgart for their German forward, "
            "with the fee reported to be 55 million euros.",
            "The forward will undergo a medical in Munich later this week.",
        ],
    ),
}


class LocalWebServer(ThreadedServer):
    """Serves on 127.0.0.1 from a thread of its own; counts every request by path."""

    def __init__(self) -> None:
        super().__init__()
        self.hits: Counter[str] = Counter()
        self.flaky_failures_left = 0
        self.slow_seconds = 3.0
        self.feed_etag = '"feed-v1"'
        self.page_overrides: dict[str, list[str]] = {}
        self.feed_replacements: dict[str, str] = {}
        self.user_agents: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def reset(self) -> None:
        self.hits.clear()
        self.flaky_failures_left = 0
        self.page_overrides.clear()
        self.feed_replacements.clear()
        self.feed_etag = '"feed-v1"'
        self.user_agents.clear()
        self.most_in_flight = 0

    def build_app(self) -> web.Application:
        app = web.Application()
        app.middlewares.append(self._count)
        app.router.add_get("/feeds/{name}", self.feed)
        app.router.add_get("/articles/{slug}", self.article)
        app.router.add_get("/news/newcastle-keeper", self.boilerplate_page)
        app.router.add_get("/slow", self.slow)
        app.router.add_get("/pause/{n}", self.pause)
        app.router.add_get("/flaky", self.flaky)
        app.router.add_get("/huge", self.huge)
        app.router.add_get("/huge-undeclared", self.huge_undeclared)
        app.router.add_get("/loop", self.redirect_loop)
        app.router.add_get("/to-metadata", self.redirect_to_metadata)
        app.router.add_get("/to-private", self.redirect_to_private)
        app.router.add_get("/hop", self.redirect_to_article)
        app.router.add_get("/brochure.pdf", self.pdf)
        return app

    @web.middleware
    async def _count(self, request: web.Request, handler):
        self.hits[request.path] += 1
        self.user_agents.append(request.headers.get("User-Agent", ""))
        return await handler(request)

    def _fixture(self, name: str) -> str:
        text = (WEB_FIXTURES / name).read_text().replace("{base}", self.base)
        for old, new in self.feed_replacements.items():
            text = text.replace(old, new)
        return text

    async def feed(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name == "rss2.xml" and request.headers.get("If-None-Match") == self.feed_etag:
            return web.Response(status=304)
        body = self._fixture(name)
        headers = {"ETag": self.feed_etag} if name == "rss2.xml" else {}
        kind = "application/atom+xml" if "atom" in name else "application/rss+xml"
        return web.Response(text=body, content_type=kind, headers=headers)

    async def article(self, request: web.Request) -> web.Response:
        slug = request.match_info["slug"]
        if slug not in ARTICLES:
            raise web.HTTPNotFound()
        title, published, paragraphs = ARTICLES[slug]
        paragraphs = self.page_overrides.get(slug, paragraphs)
        html = self._fixture("article-template.html").format(
            title=title,
            author="Pat Writer",
            published=published,
            canonical=f"{self.base}/articles/{slug}",
            paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs),
        )
        return web.Response(text=html, content_type="text/html")

    async def boilerplate_page(self, request: web.Request) -> web.Response:
        return web.Response(
            text=self._fixture("boilerplate-article.html"), content_type="text/html"
        )

    async def slow(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.slow_seconds)
        return web.Response(
            text="<html><body><p>too late</p></body></html>", content_type="text/html"
        )

    async def pause(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.2)
        self.in_flight -= 1
        return web.Response(
            text="<html><body><p>paused</p></body></html>", content_type="text/html"
        )

    async def flaky(self, request: web.Request) -> web.Response:
        if self.flaky_failures_left > 0:
            self.flaky_failures_left -= 1
            return web.Response(status=500, text="internal error")
        return await self.boilerplate_page(request)

    async def huge(self, request: web.Request) -> web.Response:
        return web.Response(body=b"<html>" + b"x" * 30_000_000, content_type="text/html")

    async def huge_undeclared(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        block = b"y" * 1_000_000
        # The client hangs up once it has read enough, as it should.
        with contextlib.suppress(ConnectionResetError, RuntimeError):
            for _ in range(30):
                await response.write(block)
        return response

    async def redirect_loop(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    async def redirect_to_metadata(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    async def redirect_to_private(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("http://10.11.12.13/admin")

    async def redirect_to_article(self, request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/articles/bayern-forward?utm_source=hop")

    async def pdf(self, request: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.4 not a page", content_type="application/pdf")
