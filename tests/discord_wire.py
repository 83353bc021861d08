"""A small fake Discord on 127.0.0.1: gateway websocket and REST, for the real discord.py client.

Modelled: HELLO/heartbeats, IDENTIFY -> READY -> GUILD_CREATE (one guild, one text channel),
injected INTERACTION_CREATE and MESSAGE_CREATE, login, application info, command sync,
interaction callbacks, webhooks (follow-ups), channel messages and typing, one-off 429s, and a
rejected token. Everything the client sends over REST is recorded with its JSON body. Anything
else answers 404 so gaps are visible. Not modelled: resume, sharding, zlib compression (frames
are sent as text, which the client accepts), permissions, rate-limit buckets.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web
from threaded_server import ThreadedServer

BAD_TOKEN = "rejected-token"


@dataclass
class Request:
    method: str
    path: str
    body: dict | list | None
    headers: dict[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when the fake received it


def _json(data: object, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py parses a body only when Content-Type is exactly "application/json".
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


class FakeDiscord(ThreadedServer):
    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self.bot_id = self.new_id()
        self.app_id = self.bot_id
        self.guild_id = self.new_id()
        self.channel_id = self.new_id()
        self.member_id = self.new_id()
        self.requests: list[Request] = []
        self.commands: list[dict] = []
        self.rate_limits: list[tuple[str, re.Pattern[str]]] = []
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = itertools.count(1)

    def new_id(self) -> int:
        return next(self._ids)

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # --- lifecycle (the server runs in a thread of its own) --------------------------------
    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        return app

    # --- what tests do ---------------------------------------------------------------------
    def rate_limit_next(self, method: str, path_pattern: str) -> None:
        self.rate_limits.append((method, re.compile(path_pattern)))

    def requests_to(self, method: str, path_pattern: str) -> list[Request]:
        pattern = re.compile(path_pattern)
        return [r for r in self.requests if r.method == method and pattern.search(r.path)]

    def dispatch(self, event: str, data: dict) -> None:
        """Send a gateway event to every connected client (callable from any thread)."""
        self.run(self._dispatch(event, data))

    def send_slash_command(self, name: str, options: dict[str, object]) -> int:
        command = next(c for c in self.commands if c["name"] == name)
        interaction_id = self.new_id()
        self.dispatch(
            "INTERACTION_CREATE",
            {
                "id": str(interaction_id),
                "application_id": str(self.app_id),
                "type": 2,
                "token": f"token-{interaction_id}",
                "version": 1,
                "guild_id": str(self.guild_id),
                "channel_id": str(self.channel_id),
                "channel": {"id": str(self.channel_id), "type": 0, "guild_id": str(self.guild_id)},
                "member": self._member(),
                "app_permissions": "562949953421311",
                "locale": "en-GB",
                "guild_locale": "en-GB",
                "entitlements": [],
                "attachment_size_limit": 10485760,
                "authorizing_integration_owners": {"0": str(self.guild_id)},
                "context": 0,
                "data": {
                    "id": command["id"],
                    "name": name,
                    "type": 1,
                    "options": [
                        {"name": key, "type": 3 if isinstance(value, str) else 5, "value": value}
                        for key, value in options.items()
                    ],
                },
            },
        )
        return interaction_id

    def send_message(
        self,
        content: str,
        *,
        author_id: int | None = None,
        bot: bool = False,
        webhook: bool = False,
    ) -> int:
        message_id = self.new_id()
        author = {
            "id": str(author_id or self.member_id),
            "username": "fan",
            "discriminator": "0",
            "global_name": "Fan",
            "avatar": None,
            "bot": bot,
        }
        mentions = [self._bot_user()] if f"<@{self.bot_id}>" in content else []
        data = {
            "id": str(message_id),
            "channel_id": str(self.channel_id),
            "guild_id": str(self.guild_id),
            "author": author,
            "member": {
                "roles": [],
                "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
            "content": content,
            "timestamp": "2026-03-01T12:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": mentions,
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
        }
        if webhook:
            data["webhook_id"] = str(self.new_id())
        self.dispatch("MESSAGE_CREATE", data)
        return message_id

    # --- gateway ---------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            if payload["op"] == 1:
                await socket.send_str(json.dumps({"op": 11}))
            elif payload["op"] == 2:
                await self._dispatch("READY", self._ready())
                await self._dispatch("GUILD_CREATE", self._guild())
        self._sockets.remove(socket)
        return socket

    async def _dispatch(self, event: str, data: dict) -> None:
        frame = json.dumps({"op": 0, "t": event, "s": next(self._sequence), "d": data})
        for socket in list(self._sockets):
            await socket.send_str(frame)

    # --- REST ------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body = (
            await request.json()
            if request.can_read_body and request.content_type == "application/json"
            else None
        )
        self.requests.append(Request(request.method, path, body, dict(request.headers)))
        for index, (method, pattern) in enumerate(self.rate_limits):
            if method == request.method and pattern.search(path):
                del self.rate_limits[index]
                return _json(
                    {"message": "You are being rate limited.", "retry_after": 0.2, "global": False},
                    status=429,
                    headers={
                        "Retry-After": "0.2",
                        # discord.py treats a 429 without Via as a Cloudflare ban, not a rate limit
                        "Via": "1.1 google",
                        "X-RateLimit-Limit": "5",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset-After": "0.2",
                        "X-RateLimit-Bucket": "fake",
                        "X-RateLimit-Scope": "user",
                    },
                )
        if request.headers.get("Authorization") == f"Bot {BAD_TOKEN}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        return await self._route(request.method, path, body)

    async def _route(self, method: str, path: str, body) -> web.Response:
        if path in ("/gateway", "/gateway/bot"):
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 1000,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if path == "/users/@me":
            return _json(self._bot_user())
        if path == "/oauth2/applications/@me":
            return _json(self._application())
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path) and method == "PUT":
            self.commands = [
                dict(c, id=str(self.new_id()), application_id=str(self.app_id), version="1")
                for c in body
            ]
            return _json(self.commands)
        if match := re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path):
            return _json(self._callback_response(int(match.group(1)), body))
        if re.fullmatch(r"/webhooks/\d+/[^/]+(/messages/(@original|\d+))?", path):
            return _json(self._message(body or {}, author=self._bot_user()))
        if re.fullmatch(r"/channels/\d+/typing", path):
            return web.Response(status=204)
        if re.fullmatch(r"/channels/\d+/messages(/\d+)?", path) and method in ("POST", "PATCH"):
            return _json(self._message(body or {}, author=self._bot_user()))
        return _json({"message": f"Unknown route {method} {path}", "code": 0}, status=404)

    # --- payloads --------------------------------------------------------------------------
    def _callback_response(self, interaction_id: int, body: dict) -> dict:
        """What Discord returns for a callback sent `?with_response=true` (discord.py 2.7 asks)."""
        response_type = body["type"]
        resource: dict = {"type": response_type}
        if response_type == 4:  # a message right away
            resource["message"] = self._message(body.get("data") or {}, author=self._bot_user())
        flags = (body.get("data") or {}).get("flags") or 0
        return {
            "interaction": {
                "id": str(interaction_id),
                "type": 2,
                "response_message_id": str(self.new_id()),
                "response_message_loading": response_type == 5,
                "response_message_ephemeral": bool(flags & 64),
            },
            "resource": resource,
        }

    def _bot_user(self) -> dict:
        return {
            "id": str(self.bot_id),
            "username": "TransferDesk",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "flags": 0,
        }

    def _member(self) -> dict:
        return {
            "user": {
                "id": str(self.member_id),
                "username": "fan",
                "discriminator": "0",
                "global_name": "Fan",
                "avatar": None,
            },
            "roles": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": "1071698660929",
        }

    def _application(self) -> dict:
        return {
            "id": str(self.app_id),
            "name": "TransferDesk",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": {
                "id": str(self.new_id()),
                "username": "owner",
                "discriminator": "0",
                "avatar": None,
            },
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def _ready(self) -> dict:
        return {
            "v": 10,
            "user": self._bot_user(),
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0},
        }

    def _guild(self) -> dict:
        everyone = {
            "id": str(self.guild_id),
            "name": "@everyone",
            "permissions": "1071698660929",
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        return {
            "id": str(self.guild_id),
            "name": "Fans United",
            "icon": None,
            "owner_id": str(self.member_id),
            "roles": [everyone],
            "emojis": [],
            "stickers": [],
            "features": [],
            "channels": [
                {
                    "id": str(self.channel_id),
                    "type": 0,
                    "name": "transfers",
                    "position": 0,
                    "permission_overwrites": [],
                    "guild_id": str(self.guild_id),
                }
            ],
            "threads": [],
            "members": [
                {
                    "user": self._bot_user(),
                    "roles": [],
                    "joined_at": "2026-01-01T00:00:00+00:00",
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "member_count": 2,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "large": False,
            "unavailable": False,
            "premium_tier": 0,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "system_channel_flags": 0,
            "preferred_locale": "en-GB",
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    def _message(self, body: dict, author: dict) -> dict:
        return {
            "id": str(self.new_id()),
            "channel_id": str(self.channel_id),
            "author": author,
            "content": body.get("content") or "",
            "timestamp": "2026-03-01T12:00:01+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags") or 0,
        }
