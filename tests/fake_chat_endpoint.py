"""A real OpenAI-compatible chat endpoint on 127.0.0.1: scripted replies, every request recorded."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from threaded_server import ThreadedServer


@dataclass(frozen=True)
class ScriptedReply:
    """What the endpoint answers to the next request.

    By default a chat completion whose message content is `content`; `body` replaces the whole
    body with raw bytes (malformed JSON, huge replies). The reply waits `delay_seconds` before
    answering, then sends the body in `pieces`, `trickle_seconds` apart.
    """

    content: str = ""
    status: int = 200
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0
    pieces: int = 1
    trickle_seconds: float = 0.0

    def encoded(self, model: str) -> bytes:
        if self.body is not None:
            return self.body
        return json.dumps(chat_completion(self.content, model)).encode()


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    json: Any  # None when the body is not JSON


def chat_completion(content: str, model: str) -> dict[str, Any]:
    """A reply shaped like OpenAI's /chat/completions."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


class FakeChatEndpoint(ThreadedServer):
    """Serves POST /v1/chat/completions; every request to any path is recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: deque[ScriptedReply] = deque()
        self.requests: list[RecordedRequest] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: ScriptedReply) -> None:
        """Answer the next requests with these replies, in order."""
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.requests.clear()

    def build_app(self) -> web.Application:
        app = web.Application()
        app.middlewares.append(self._record)
        app.router.add_post("/v1/chat/completions", self.chat_completions)
        return app

    @web.middleware
    async def _record(self, request: web.Request, handler):
        raw = await request.read()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        self.requests.append(
            RecordedRequest(request.method, request.path, dict(request.headers), body)
        )
        return await handler(request)

    async def chat_completions(self, request: web.Request) -> web.StreamResponse:
        if not self.replies:
            return web.Response(status=500, text="the test scripted no reply for this request")
        reply = self.replies.popleft()
        await asyncio.sleep(reply.delay_seconds)
        model = self.requests[-1].json.get("model", "") if self.requests[-1].json else ""
        body = reply.encoded(model)
        response = web.StreamResponse(
            status=reply.status, headers={"Content-Type": "application/json", **reply.headers}
        )
        # The client may hang up first (a timeout), as it should.
        with contextlib.suppress(ConnectionResetError, RuntimeError):
            await response.prepare(request)
            size = max(1, -(-len(body) // reply.pieces))
            for start in range(0, len(body), size):
                if start:
                    await asyncio.sleep(reply.trickle_seconds)
                await response.write(body[start : start + size])
            await response.write_eof()
        return response
