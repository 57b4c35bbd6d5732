"""Factories for Telegram ``Update`` JSON dicts.

The dicts have the exact shape the Bot API sends, so the same value can be fed
to :class:`tests.support.fake_bot_api.FakeBotAPI` (getUpdates), POSTed to a
webhook, or validated with ``aiogram.types.Update.model_validate(d, context={"bot": bot})``.

Ids come from module-level counters so that every update / message / callback
is unique across a test session without the caller having to care.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

BOT_ID = 42
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Acompaña",
    "username": "acompana_test_bot",
}

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
_callback_ids = itertools.count(1)
_file_ids = itertools.count(1)


def _file(kind: str, file_id: str | None) -> dict[str, Any]:
    n = next(_file_ids)
    return {"file_id": file_id or f"{kind}-in-{n}", "file_unique_id": f"u{kind}{n}"}


def _utf16_len(text: str) -> int:
    # Telegram entity offsets/lengths are measured in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def user(user_id: int, *, first_name: str = "Ana", language_code: str | None = "es",
         last_name: str | None = None, username: str | None = None) -> dict[str, Any]:
    u: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if last_name:
        u["last_name"] = last_name
    if username:
        u["username"] = username
    if language_code:
        u["language_code"] = language_code
    return u


def chat(chat_id: int, *, first_name: str = "Ana") -> dict[str, Any]:
    """Private chat for positive ids, (super)group for negative ones."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": first_name}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": "Grupo de prueba"}


def _message_update(
    user_id: int,
    content: dict[str, Any],
    *,
    chat_id: int | None = None,
    first_name: str = "Ana",
    language_code: str | None = "es",
    last_name: str | None = None,
    username: str | None = None,
    message_id: int | None = None,
    update_id: int | None = None,
    date: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    sender = user(user_id, first_name=first_name, language_code=language_code,
                  last_name=last_name, username=username)
    msg: dict[str, Any] = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "date": date if date is not None else int(time.time()),
        "chat": chat(chat_id if chat_id is not None else user_id, first_name=first_name),
        "from": sender,
        **content,
        **extra,  # e.g. reply_to_message, forward_origin, message_thread_id
    }
    return {"update_id": update_id if update_id is not None else next(_update_ids), "message": msg}


def message(user_id: int, text: str | None = None, *, entities: list[dict] | None = None,
            **kw: Any) -> dict[str, Any]:
    """A text message. A leading ``/command`` gets its bot_command entity, as Telegram does."""
    content: dict[str, Any] = {}
    if text is not None:
        content["text"] = text
        if entities is None and text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": _utf16_len(text.split()[0])}]
    if entities:
        content["entities"] = entities
    return _message_update(user_id, content, **kw)


def command(user_id: int, name: str, args: str | None = None, **kw: Any) -> dict[str, Any]:
    """``command(1, "start", "abc")`` -> message "/start abc"."""
    text = "/" + name.lstrip("/") + (f" {args}" if args else "")
    return message(user_id, text, **kw)


def callback(
    user_id: int,
    data: str,
    *,
    message_id: int,
    chat_id: int | None = None,
    message_text: str = "…",
    callback_id: str | None = None,
    reply_markup: dict[str, Any] | None = None,
    first_name: str = "Ana",
    language_code: str | None = "es",
    update_id: int | None = None,
) -> dict[str, Any]:
    """A callback_query from pressing an inline button on a bot message."""
    cid = chat_id if chat_id is not None else user_id
    origin: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat(cid, first_name=first_name),
        "from": dict(BOT_USER),
        "text": message_text,
    }
    if reply_markup:
        origin["reply_markup"] = reply_markup
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "callback_query": {
            "id": callback_id or f"cb-{next(_callback_ids)}",
            "from": user(user_id, first_name=first_name, language_code=language_code),
            "chat_instance": f"ci{cid}",
            "message": origin,
            "data": data,
        },
    }


def voice(user_id: int, *, duration: int = 5, file_id: str | None = None, **kw: Any) -> dict[str, Any]:
    v = {**_file("voice", file_id), "duration": duration, "mime_type": "audio/ogg", "file_size": 4096}
    return _message_update(user_id, {"voice": v}, **kw)


def photo(user_id: int, *, caption: str | None = None, file_id: str | None = None,
          **kw: Any) -> dict[str, Any]:
    base = _file("photo", file_id)
    # Telegram sends several sizes, smallest first; the largest is usually what bots want.
    sizes = [
        {"file_id": f"{base['file_id']}-s", "file_unique_id": base["file_unique_id"] + "s",
         "width": 90, "height": 67, "file_size": 1200},
        {**base, "width": 1280, "height": 960, "file_size": 98000},
    ]
    content: dict[str, Any] = {"photo": sizes}
    if caption is not None:
        content["caption"] = caption
    return _message_update(user_id, content, **kw)


def sticker(user_id: int, *, emoji: str = "👍", file_id: str | None = None, **kw: Any) -> dict[str, Any]:
    s = {**_file("sticker", file_id), "type": "regular", "width": 512, "height": 512,
         "is_animated": False, "is_video": False, "emoji": emoji}
    return _message_update(user_id, {"sticker": s}, **kw)


def document(user_id: int, file_name: str = "x.pdf", mime_type: str = "application/pdf", *,
             caption: str | None = None, file_id: str | None = None, **kw: Any) -> dict[str, Any]:
    d = {**_file("document", file_id), "file_name": file_name, "mime_type": mime_type,
         "file_size": 2048}
    content: dict[str, Any] = {"document": d}
    if caption is not None:
        content["caption"] = caption
    return _message_update(user_id, content, **kw)


def location(user_id: int, lat: float, lon: float, **kw: Any) -> dict[str, Any]:
    return _message_update(user_id, {"location": {"latitude": lat, "longitude": lon}}, **kw)


def my_chat_member(user_id: int, status: str = "kicked", *, old_status: str = "member",
                   update_id: int | None = None) -> dict[str, Any]:
    """The bot's membership changed in a private chat; "kicked" = the user blocked the bot."""

    def member(st: str) -> dict[str, Any]:
        m: dict[str, Any] = {"status": st, "user": dict(BOT_USER)}
        if st == "kicked":
            m["until_date"] = 0  # ChatMemberBanned requires it; 0 = forever
        return m

    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "my_chat_member": {
            "chat": chat(user_id),
            "from": user(user_id),
            "date": int(time.time()),
            "old_chat_member": member(old_status),
            "new_chat_member": member(status),
        },
    }
