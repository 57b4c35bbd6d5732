"""A fake Telegram Bot API HTTP server for tests and benchmarks.

Point a real aiogram Bot at it::

    async with FakeBotAPI() as api:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url))
        bot = Bot("42:TEST", session=session)

Every request is recorded as a :class:`Call`; answers are realistic enough for
aiogram to parse them into its types. Faults (429/5xx/timeouts/403/400), blocked
chats and Telegram's flood limits can be injected. Binds to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import html
import json
import math
import random
import re
import time
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

FAULT_KINDS = ("429", "500", "502", "timeout", "403", "400")
_ERRORS = {  # kind -> (HTTP status, description)
    "500": (500, "Internal Server Error"),
    "502": (502, "Bad Gateway"),
    "403": (403, "Forbidden: bot was blocked by the user"),
    "400": (400, "Bad Request: chat not found"),
}
_KNOWN = ["getMe", "getUpdates", "sendMessage", "sendPhoto", "sendVoice", "sendDocument", "sendLocation", "sendSticker", "sendVideo", "sendAudio", "sendAnimation", "editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia", "answerCallbackQuery", "setMyCommands", "deleteMyCommands", "getMyCommands", "setWebhook", "deleteWebhook", "getWebhookInfo", "setChatMenuButton", "getChatMenuButton", "sendChatAction", "deleteMessage", "getFile", "close", "logOut", "setMyDescription", "setMyShortDescription", "setMyName", "leaveChat"]
_CANONICAL = {m.lower(): m for m in _KNOWN}
_SENDS = {m.lower() for m in _KNOWN if m.startswith("send") and m != "sendChatAction"}
_TEXT_METHODS = _SENDS | {"editmessagetext", "editmessagecaption", "editmessagemedia"}
# Form values are all strings; these must never be re-typed (a text "123" or "[1/3] …" stays text).
_STRING_FIELDS = frozenset(
    ["text", "caption", "callback_query_id", "inline_message_id", "url", "secret_token", "parse_mode", "file_id", "query", "title", "description", "short_description", "name", "emoji", "sticker", "photo", "voice", "document", "audio", "video", "animation", "action", "ip_address", "language_code", "business_connection_id", "message_effect_id", "phone_number", "first_name", "last_name", "address"]
)
CALLBACK_DATA_LIMIT = 64  # bytes of UTF-8, Telegram's limit for an inline button's callback_data
_INT = re.compile(r"-?\d+\Z")
_FLOAT = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?\Z")
_TAG = re.compile(r"<[^>]*>")


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str
    at: float  # time.monotonic() on arrival
    fault: str | None = None  # "429", "500", ..., None when answered normally
    result: Any = None  # the "result" we answered with (None for faults)


@dataclass
class Upload:
    """A multipart file part, substituted where the request referenced ``attach://<key>``."""

    filename: str | None
    content_type: str | None
    data: bytes


class ApiError(Exception):
    def __init__(self, status: int, description: str, kind: str, retry_after: int | None = None):
        super().__init__(description)
        self.status, self.description, self.kind, self.retry_after = status, description, kind, retry_after


@dataclass
class _Rule:
    method: str  # lower-case, or "*"
    kind: str
    remaining: int
    retry_after: int
    chat_id: int | None


def _decode(key: str, value: Any) -> Any:
    """aiogram JSON-encodes every non-str value into a form field; undo that."""
    if not isinstance(value, str) or key in _STRING_FIELDS:
        return value
    if value.startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if value in ("true", "false"):
        return value == "true"
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _attach(obj: Any, files: dict[str, Upload]) -> Any:
    if isinstance(obj, str) and obj.startswith("attach://"):
        return files.get(obj[len("attach://"):], obj)
    if isinstance(obj, dict):
        return {k: _attach(v, files) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_attach(v, files) for v in obj]
    return obj


def _visible_len(text: str, parse_mode: Any) -> int:
    # Telegram limits text *after* entity parsing; measure in UTF-16 units (the stricter reading).
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        text = html.unescape(_TAG.sub("", text))
    return len(text.encode("utf-16-le")) // 2


def _check_markup(markup: Any) -> None:
    """Telegram refuses a whole message whose inline keyboard has callback data of more than 64 bytes."""
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        return
    for row in markup["inline_keyboard"]:
        for button in row if isinstance(row, list) else ():
            data = button.get("callback_data") if isinstance(button, dict) else None
            if isinstance(data, str) and not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID", "400")


class FakeBotAPI:
    def __init__(self, *, bot_id: int = 42, first_name: str = "Acompaña",
                 username: str = "acompana_test_bot", poll_cap: float = 0.5,
                 timeout_delay: float = 90.0, file_content: bytes = b"fake file content",
                 strict_edits: bool = True) -> None:
        self.me = {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username,
                   "can_join_groups": True, "can_read_all_group_messages": False,
                   "supports_inline_queries": False}
        self.poll_cap = poll_cap  # cap on getUpdates long-poll wait, keeps tests fast
        # aiogram's default session timeout is 60 s, so the default must exceed it for the
        # client to really give up; tests usually use a short session timeout instead.
        self.timeout_delay = timeout_delay
        self.file_content = file_content
        # Telegram's 400 "message is not modified" / "message to edit (delete) not found"; off only
        # for a test that must edit messages this fake never sent.
        self.strict_edits = strict_edits
        self._overrides: dict[str, Callable[[dict], Any] | Any] = {}
        self.webhook_url = ""
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._closed = asyncio.Event()
        self._changed = asyncio.Event()
        self._fed = asyncio.Event()
        self._updates: deque[dict] = deque()
        self._last_update_id = 0
        self._confirmed_offset: int | None = None
        self._rules: list[_Rule] = []
        self._blocked: set[Any] = set()
        self._fault_rate, self._fault_kinds, self._fault_methods = 0.0, ("429",), frozenset()
        self._rng = random.Random(0)
        self._limits: tuple[float, float, int] | None = None
        self._global_win: deque[float] = deque()
        self._chat_win: dict[Any, deque[float]] = defaultdict(deque)
        self._group_win: dict[Any, deque[float]] = defaultdict(deque)
        self._message_ids: dict[Any, int] = defaultdict(lambda: 10_000)
        self._messages: dict[tuple[Any, int], dict] = {}
        self._commands: dict[str, list] = {}
        self._file_seq = 0
        self.clear()

    # ---- lifecycle ---------------------------------------------------------------------
    async def start(self) -> FakeBotAPI:
        self._closed = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        # Short shutdown_timeout: pending long polls / "timeout" faults are woken by _closed anyway.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closed.set()
        self._fed.set()
        self._changed.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    # ---- recorded calls -----------------------------------------------------------------
    def clear(self) -> None:
        """Forget recorded calls and reset stats (faults, limits and the update queue stay)."""
        self.calls: list[Call] = []
        self.stats: Counter[str] = Counter()  # method name -> calls, fault kind -> n, "delivered", "limited"
        self._by_method: dict[str, list[Call]] = defaultdict(list)
        self._by_chat: dict[Any, list[Call]] = defaultdict(list)
        self._by_method_chat: dict[tuple[str, Any], list[Call]] = defaultdict(list)
        self._changed.set()
        self._changed = asyncio.Event()

    def _select(self, method: str | None, chat_id: Any) -> list[Call]:
        # Indexed lookups keep wait_for/requests O(new calls) even at 20k+ calls.
        if method is None:
            return self.calls if chat_id is None else self._by_chat.get(chat_id, [])
        if chat_id is None:
            return self._by_method.get(method.lower(), [])
        return self._by_method_chat.get((method.lower(), chat_id), [])

    def requests(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        return list(self._select(method, chat_id))

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts/captions successfully sent or edited in, in arrival order."""
        out = []
        for c in self._select(None, chat_id):
            if c.fault is None and c.method.lower() in _TEXT_METHODS:
                p = c.params
                media = p.get("media") if isinstance(p.get("media"), dict) else {}
                value = p.get("text", p.get("caption", media.get("caption")))
                if isinstance(value, str):
                    out.append(value)
        return out

    async def wait_for(self, method: str, *, count: int = 1, chat_id: int | None = None,
                       timeout: float = 5.0, predicate: Callable[[Call], bool] | None = None) -> list[Call]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        source: list[Call] | None = None
        seen, matched = 0, []
        while True:
            current = self._select(method, chat_id)
            if current is not source:  # first pass, a new index list, or clear(): rescan
                source, seen, matched = current, 0, []
            for c in source[seen:]:  # only calls that arrived since the last wake-up
                if predicate is None or predicate(c):
                    matched.append(c)
            seen = len(source)
            if len(matched) >= count:
                return matched
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closed.is_set():
                raise AssertionError(self._summary(method, count, chat_id, timeout, len(matched)))
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass

    def _summary(self, method: str, count: int, chat_id: Any, timeout: float, got: int) -> str:
        lines = [f"wait_for({method!r}, count={count}, chat_id={chat_id}) timed out after "
                 f"{timeout}s with {got} match(es). {len(self.calls)} call(s) received: "
                 f"{dict(Counter(c.method for c in self.calls))}"]
        for c in self.calls[-15:]:
            shown = {k: v for k, v in c.params.items() if k in ("chat_id", "text", "caption", "data")}
            lines.append(f"  {c.method} {shown} fault={c.fault}")
        return "\n".join(lines)

    def _record(self, call: Call) -> None:
        lower = call.method.lower()
        chat_id = call.params.get("chat_id")
        self.calls.append(call)
        self._by_method[lower].append(call)
        if isinstance(chat_id, (int, str)):
            self._by_chat[chat_id].append(call)
            self._by_method_chat[(lower, chat_id)].append(call)
        self.stats[call.method] += 1
        self._changed.set()  # wake every wait_for, then arm a fresh event
        self._changed = asyncio.Event()

    # ---- updates (getUpdates) ------------------------------------------------------------
    def feed(self, update: dict[str, Any]) -> dict[str, Any]:
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._last_update_id + 1
        self._last_update_id = max(self._last_update_id, update["update_id"])
        if self._updates and update["update_id"] < self._updates[-1]["update_id"]:
            self._updates = deque(sorted([*self._updates, update], key=lambda u: u["update_id"]))
        else:
            self._updates.append(update)
        self._fed.set()
        self._fed = asyncio.Event()
        return update

    def feed_many(self, updates: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.feed(u) for u in updates]

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._updates)

    @property
    def confirmed_offset(self) -> int | None:
        return self._confirmed_offset

    async def _get_updates(self, p: dict) -> list[dict]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first", "409")
        offset = p.get("offset")
        if isinstance(offset, int):
            self._confirmed_offset = offset
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        timeout = p.get("timeout") or 0
        if not self._updates and timeout > 0 and not self._closed.is_set():
            try:
                await asyncio.wait_for(self._fed.wait(), min(float(timeout), self.poll_cap))
            except TimeoutError:
                pass
        limit = p.get("limit") or 100
        return [u for _, u in zip(range(limit), self._updates, strict=False)]

    # ---- faults and limits ---------------------------------------------------------------
    def fail_next(self, method: str, kind: str, *, count: int = 1, retry_after: int = 1,
                  chat_id: int | None = None) -> None:
        """The next ``count`` calls of ``method`` ("*" = any) fail with ``kind``."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}")
        self._rules.append(_Rule(method.lower(), kind, count, retry_after, chat_id))

    def set_fault_rate(self, rate: float, kinds: Iterable[str] = ("429", "500", "timeout"),
                       seed: int = 0, methods: Iterable[str] = ("sendMessage",)) -> None:
        self._fault_rate, self._fault_kinds = rate, tuple(kinds)
        self._fault_methods = frozenset(m.lower() for m in methods)
        self._rng = random.Random(seed)

    def block_chat(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def enforce_limits(self, per_chat_per_second: float = 1.0, global_per_second: float = 30.0,
                       group_per_minute: int = 20) -> None:
        self._limits = (per_chat_per_second, global_per_second, group_per_minute)

    def disable_limits(self) -> None:
        self._limits = None

    def on(self, method: str, answer: Callable[[dict], Any] | Any) -> None:
        """Answer ``method`` with ``answer`` (a result value, or fn(params) -> result; raise ApiError
        to fail). Also makes otherwise unknown methods (getChat, ...) available."""
        self._overrides[method.lower()] = answer

    def _injected_fault(self, lower: str, chat_id: Any) -> tuple[str, int] | None:
        for rule in self._rules:
            if rule.method in (lower, "*") and rule.chat_id in (None, chat_id):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
                return rule.kind, rule.retry_after
        if self._fault_rate and lower in self._fault_methods and self._rng.random() < self._fault_rate:
            return self._rng.choice(self._fault_kinds), 1
        if chat_id in self._blocked and lower.startswith(("send", "edit", "copy", "forward")):
            return "403", 0
        return None

    def _check_limits(self, chat_id: Any) -> None:
        """Sliding windows like Telegram's flood control; only successful sends consume a slot."""
        if self._limits is None:
            return
        per_chat, per_global, per_group = self._limits
        chat_cap = max(1, round(per_chat))
        windows = [(self._global_win, max(1, round(per_global)), 1.0),
                   (self._chat_win[chat_id], chat_cap, chat_cap / per_chat)]
        if isinstance(chat_id, int) and chat_id < 0:
            windows.append((self._group_win[chat_id], per_group, 60.0))
        now = time.monotonic()
        for win, cap, span in windows:
            while win and win[0] <= now - span:
                win.popleft()
            if len(win) >= cap:
                retry = max(1, math.ceil(win[0] + span - now))
                self.stats["limited"] += 1
                raise ApiError(429, f"Too Many Requests: retry after {retry}", "429", retry)
        for win, _, _ in windows:
            win.append(now)

    # ---- HTTP handlers -------------------------------------------------------------------
    async def _download(self, request: web.Request) -> web.Response:
        return web.Response(body=self.file_content, content_type="application/octet-stream")

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {k: _decode(k, v) for k, v in request.query.items()}
        files: dict[str, Upload] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                params.update({k: _decode(k, v) for k, v in body.items()})
            else:  # urlencoded (aiogram without files) or multipart (with files)
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        files[key] = Upload(value.filename, value.content_type, value.file.read())
                    else:
                        params[key] = _decode(key, value)
        return _attach(params, files) if files else params

    async def _handle(self, request: web.Request) -> web.Response:
        raw = request.match_info["method"]
        lower = raw.lower()
        params = await self._read_params(request)
        call = Call(_CANONICAL.get(lower, raw), params, request.match_info["token"], time.monotonic())
        fault = self._injected_fault(lower, params.get("chat_id"))
        call.fault = fault[0] if fault else None
        self._record(call)  # no await until the result is set, so waiters see it complete
        if fault and fault[0] == "timeout":
            self.stats["timeout"] += 1
            try:  # the client gives up first; stop() ends the wait early
                await asyncio.wait_for(self._closed.wait(), self.timeout_delay)
            except TimeoutError:
                pass
            if self._closed.is_set():
                return self._error(ApiError(502, "Bad Gateway", "timeout"))
        elif fault:
            kind, retry_after = fault
            self.stats[kind] += 1
            if kind == "429":
                return self._error(ApiError(429, f"Too Many Requests: retry after {retry_after}",
                                            kind, retry_after))
            return self._error(ApiError(*_ERRORS[kind], kind))
        try:
            result = await self._dispatch(lower, params)
        except ApiError as e:
            if fault is None:  # a timeout fault already counted/labelled the call
                call.fault = e.kind
                self.stats[e.kind] += 1
            return self._error(e)
        call.result = result
        if lower in _SENDS:
            self.stats["delivered"] += 1
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(e: ApiError) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": e.status, "description": e.description}
        if e.retry_after is not None:
            body["parameters"] = {"retry_after": e.retry_after}
        return web.json_response(body, status=e.status)

    async def _dispatch(self, lower: str, p: dict) -> Any:
        _check_markup(p.get("reply_markup"))
        if lower in self._overrides:
            answer = self._overrides[lower]
            return answer(p) if callable(answer) else answer
        if lower == "getupdates":
            return await self._get_updates(p)
        if lower == "getme":
            return self.me
        if lower in _SENDS:
            return self._send(lower, p)
        if lower.startswith("editmessage"):
            return self._edit(lower, p)
        return self._simple(lower, p)

    # ---- method implementations ----------------------------------------------------------
    def _chat(self, chat_id: Any) -> dict[str, Any]:
        if isinstance(chat_id, str):  # "@channel"
            return {"id": -1_000_000_000_000 - zlib.crc32(chat_id.encode()), "type": "channel",
                    "title": chat_id.lstrip("@"), "username": chat_id.lstrip("@")}
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Usuario"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Grupo"}

    def _file(self, kind: str, given: Any) -> dict[str, Any]:
        self._file_seq += 1
        file_id = given if isinstance(given, str) else f"{kind}-{self._file_seq}"
        info = {"file_id": file_id, "file_unique_id": f"u-{file_id}"}
        if isinstance(given, Upload):
            info["file_size"] = len(given.data)
        return info

    def _media(self, kind: str, given: Any, p: dict) -> dict[str, Any]:
        """Message content for a file of ``kind`` (photo, voice, document, ...)."""
        f = self._file(kind, given)
        if kind == "photo":  # several sizes, smallest first, like Telegram
            return {"photo": [{**f, "file_id": f["file_id"] + "-s", "width": 90, "height": 90},
                              {**f, "width": 1280, "height": 960}]}
        if kind == "sticker":
            f.update(type="regular", width=512, height=512, is_animated=False, is_video=False)
        elif kind in ("video", "animation"):
            f.update(width=640, height=480, duration=p.get("duration") or 1)
        elif kind in ("voice", "audio"):
            f.update(duration=p.get("duration") or 1)
        if kind in ("document", "audio", "video", "animation"):
            name = given.filename if isinstance(given, Upload) else None
            f["file_name"] = name or f"{kind}.bin"
        return {kind: f}

    def _check_lengths(self, p: dict, caption: Any = None) -> None:
        text = p.get("text")
        caption = p.get("caption") if caption is None else caption
        if isinstance(text, str) and _visible_len(text, p.get("parse_mode")) > 4096:
            raise ApiError(400, "Bad Request: message is too long", "400")
        if isinstance(caption, str) and _visible_len(caption, p.get("parse_mode")) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long", "400")

    def _content(self, lower: str, p: dict) -> dict[str, Any]:
        if lower == "sendmessage":
            if not p.get("text"):  # aiogram drops empty strings, so "" arrives as missing
                raise ApiError(400, "Bad Request: message text is empty", "400")
            body: dict[str, Any] = {"text": p["text"]}
            if isinstance(p.get("entities"), list):
                body["entities"] = p["entities"]
            return body
        if lower == "sendlocation":
            return {"location": {"latitude": p.get("latitude"), "longitude": p.get("longitude")}}
        kind = lower[len("send"):]
        body = self._media(kind, p.get(kind), p)
        if isinstance(p.get("caption"), str):
            body["caption"] = p["caption"]
            if isinstance(p.get("caption_entities"), list):
                body["caption_entities"] = p["caption_entities"]
        return body

    def _message(self, chat_id: Any, message_id: int, body: dict, markup: Any) -> dict[str, Any]:
        msg = {"message_id": message_id, "date": int(time.time()), "chat": self._chat(chat_id),
               "from": self.me, **body}
        # Only inline keyboards come back on a Message (reply keyboards are not echoed by Telegram).
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        return msg

    def _send(self, lower: str, p: dict) -> dict[str, Any]:
        chat_id = p.get("chat_id")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty", "400")
        self._check_lengths(p)
        body = self._content(lower, p)
        self._check_limits(chat_id)
        self._message_ids[chat_id] += 1
        msg = self._message(chat_id, self._message_ids[chat_id], body, p.get("reply_markup"))
        self._messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _edit(self, lower: str, p: dict) -> dict[str, Any] | bool:
        media = p.get("media") if isinstance(p.get("media"), dict) else {}
        self._check_lengths(p, media.get("caption"))
        if p.get("inline_message_id"):
            return True  # Telegram answers bare true for inline messages
        key = (p.get("chat_id"), p.get("message_id"))
        old = self._messages.get(key)
        if old is None and self.strict_edits:
            raise ApiError(400, "Bad Request: message to edit not found", "400")
        base = {k: v for k, v in (old or {}).items()
                if k not in ("message_id", "date", "chat", "from", "reply_markup", "edit_date")}
        if lower == "editmessagetext":
            base = {"text": p.get("text", "")}
            if isinstance(p.get("entities"), list):
                base["entities"] = p["entities"]
        elif lower == "editmessagecaption":
            base["caption"] = p.get("caption", "")
        elif lower == "editmessagemedia" and media:
            base = self._media(media.get("type", "document"), media.get("media"), media)
            if isinstance(media.get("caption"), str):
                base["caption"] = media["caption"]
        # Telegram removes the inline keyboard when an edit does not pass reply_markup.
        msg = self._message(key[0], key[1], base, p.get("reply_markup"))
        if old is not None and self.strict_edits and \
                {k: v for k, v in old.items() if k not in ("date", "edit_date")} == \
                {k: v for k, v in msg.items() if k != "date"}:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content "
                                "and reply markup are exactly the same as a current content and reply "
                                "markup of the message", "400")
        msg["edit_date"] = int(time.time())
        if old is not None:
            msg["date"] = old["date"]
        self._messages[key] = msg
        return msg

    def _simple(self, lower: str, p: dict) -> Any:
        if lower in ("setmycommands", "deletemycommands", "getmycommands"):
            scope_key = json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True)
            key = f"{scope_key}|{p.get('language_code', '')}"
            if lower == "setmycommands":
                self._commands[key] = list(p.get("commands") or [])
            elif lower == "deletemycommands":
                self._commands.pop(key, None)
            return True if lower != "getmycommands" else self._commands.get(key, [])
        if lower == "deletemessage":
            removed = self._messages.pop((p.get("chat_id"), p.get("message_id")), None)
            if removed is None and self.strict_edits:
                raise ApiError(400, "Bad Request: message to delete not found", "400")
            return True
        if lower == "setwebhook":
            self.webhook_url = str(p.get("url", ""))
            return True
        if lower == "deletewebhook":
            self.webhook_url = ""
            if p.get("drop_pending_updates"):
                self._updates.clear()
            return True
        if lower == "getwebhookinfo":
            return {"url": self.webhook_url, "has_custom_certificate": False,
                    "pending_update_count": len(self._updates)}
        if lower == "getfile":
            file_id = str(p.get("file_id", "unknown"))
            return {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                    "file_size": len(self.file_content), "file_path": f"files/{file_id}.bin"}
        if lower == "getchatmenubutton":
            return {"type": "default"}
        if lower in _CANONICAL:  # answerCallbackQuery, sendChatAction, setChatMenuButton, close...
            return True
        raise ApiError(404, "Not Found: method not found", "404")
