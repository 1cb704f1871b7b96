"""The HTTP side of answering interactions, captured: every request the bot makes to answer,
recorded per interaction token, with the replies Discord would give."""

from __future__ import annotations

import itertools
import json
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
from discord.webhook.async_ import AsyncWebhookAdapter

from bot.fakes import DEFAULT_CHANNEL_ID, FakeUser

EPHEMERAL = 1 << 6


@dataclass
class CapturedRequest:
    """One HTTP request the bot made to answer an interaction."""

    method: str
    path: str
    payload: dict[str, Any] | None
    files: list[tuple[str, bytes]] = field(default_factory=list)
    message_id: str | None = None
    at: float = field(default_factory=time.monotonic)  # when it reached "Discord"

    @property
    def data(self) -> dict[str, Any]:
        """The message body: the callback's `data`, or the webhook payload itself."""
        if self.payload is None:
            return {}
        if self.path.endswith("/callback"):
            return self.payload.get("data") or {}
        return self.payload

    @property
    def callback_type(self) -> int | None:
        if self.path.endswith("/callback") and self.payload:
            return int(self.payload["type"])
        return None

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & EPHEMERAL)

    @property
    def content(self) -> str:
        return self.data.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.data.get("embeds") or [])

    @property
    def choices(self) -> list[dict[str, Any]]:
        return list(self.data.get("choices") or [])

    @property
    def components(self) -> list[dict[str, Any]]:
        return list(self.data.get("components") or [])

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.data.get("allowed_mentions")

    def text(self) -> str:
        """Everything a person would read in this message, as plain text."""
        parts = [self.content] if self.content else []
        for embed in self.embeds:
            parts.append(render_embed(embed))
        return "\n".join(parts)


def render_embed(embed: Mapping[str, Any]) -> str:
    """An embed as lines of text (the console shows replies like this)."""
    lines: list[str] = []
    if embed.get("title"):
        lines.append(f"== {embed['title']} ==")
    if embed.get("description"):
        lines.append(str(embed["description"]))
    for item in embed.get("fields") or []:
        lines.append(f"{item['name']}: {item['value']}")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(f"-- {footer}")
    return "\n".join(lines)


class CapturingAdapter(AsyncWebhookAdapter):
    """Records every interaction HTTP request and answers as Discord would."""

    def __init__(self, bot_user: FakeUser) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.requests: list[CapturedRequest] = []
        self.by_token: dict[str, list[CapturedRequest]] = defaultdict(list)
        self._bot_user = bot_user
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self._messages: dict[str, dict[str, Any]] = {}
        self.component_messages: dict[str, str] = {}

    async def request(
        self,
        route: Any,
        session: Any,
        *,
        payload: dict[str, Any] | None = None,
        multipart: list[dict[str, Any]] | None = None,
        files: Any = None,
        **_: Any,
    ) -> Any:
        body = payload
        if multipart:
            body = json.loads(multipart[0]["value"])
        captured_files = [(f.filename or "file", read_file(f)) for f in files or []]
        captured = CapturedRequest(route.method, route.path, body, captured_files)
        self.requests.append(captured)
        self.by_token[str(route.webhook_token)].append(captured)
        answer = self._answer(route, captured)
        if isinstance(answer, dict):
            message = (
                answer.get("resource", {}).get("message") if "interaction" in answer else answer
            )
            if message:
                captured.message_id = message["id"]
        return answer

    def take(self, token: str) -> list[CapturedRequest]:
        """An interaction's requests, after which the messages held for it are forgotten."""
        captured = self.by_token.pop(token, [])
        self._messages.pop(f"original:{token}", None)
        for request in captured:
            if request.message_id is not None:
                self._messages.pop(request.message_id, None)
        return captured

    def message(self, message_id: int | str) -> dict[str, Any]:
        """The message payload Discord holds for an id this adapter handed out."""
        return self._messages[str(message_id)]

    def remember(self, message: Mapping[str, Any]) -> None:
        """Hold a message another adapter handed out (a bot restarted on the same database
        sees the messages its predecessor sent); new ids stay unique."""
        self._messages[str(message["id"])] = dict(message)
        if str(message["id"]).isdigit():
            self._ids = itertools.count(max(next(self._ids), int(message["id"]) + 1))

    def _answer(self, route: Any, captured: CapturedRequest) -> Any:
        token = str(route.webhook_token)
        if route.path.endswith("/callback"):
            return self._callback_response(route, captured, token)
        if route.method == "DELETE":
            return None
        if route.method == "GET":
            return self._messages.get(f"original:{token}") or self._message_payload({}, None)
        if route.method == "PATCH":
            key = route.path.rsplit("/", 1)[-1]
            original = (
                self._messages.get(f"original:{token}")
                if key == "@original"
                else self._messages.get(str(getattr(route, "message_id", "")))
            )
            return self._edit(original, captured.data)
        return self._message_payload(captured.data, None)

    def _callback_response(self, route: Any, captured: CapturedRequest, token: str) -> Any:
        callback_type = captured.callback_type or 0
        interaction: dict[str, Any] = {"id": str(route.webhook_id), "type": 2}
        if callback_type == 8:  # autocomplete result: no message
            return {"interaction": interaction}
        if callback_type in (6, 7):  # deferred update / update message
            edited = self._messages.get(self.component_messages.get(token, ""))
            if callback_type == 7 and edited is not None:
                self._edit(edited, captured.data)
            resource: dict[str, Any] = {"type": callback_type}
            if edited is not None:
                resource["message"] = edited
                self._messages[f"original:{token}"] = edited
            return {"interaction": interaction, "resource": resource}
        message = self._message_payload(captured.data, None)
        self._messages[f"original:{token}"] = message
        interaction.update(
            response_message_id=message["id"],
            response_message_loading=callback_type == 5,
            response_message_ephemeral=captured.ephemeral,
        )
        return {"interaction": interaction, "resource": {"type": callback_type, "message": message}}

    def _edit(self, original: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, Any]:
        if original is None:
            return self._message_payload(data, None)
        original.update({k: v for k, v in data.items() if k in {"content", "embeds", "components"}})
        return original

    def _message_payload(self, data: Mapping[str, Any], channel_id: int | None) -> dict[str, Any]:
        message = message_payload(next(self._ids), data, channel_id, self._bot_user)
        self._messages[message["id"]] = message
        return message


def message_payload(
    message_id: int, data: Mapping[str, Any], channel_id: int | None, author: FakeUser
) -> dict[str, Any]:
    """A message as Discord returns one the bot just sent: `data` is what it sent."""
    return {
        "id": str(message_id),
        "channel_id": str(channel_id or DEFAULT_CHANNEL_ID),
        "author": author.user_payload(),
        "content": data.get("content") or "",
        "timestamp": datetime.now(UTC).isoformat(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": list(data.get("embeds") or []),
        "pinned": False,
        "type": 20,
        "flags": int(data.get("flags") or 0),
        "components": list(data.get("components") or []),
    }


def read_file(file: discord.File) -> bytes:
    file.reset()
    content = file.fp.read()
    file.reset()
    return content if isinstance(content, bytes) else str(content).encode()
