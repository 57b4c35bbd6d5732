"""The one narrow way out: `Sender.send(chat_id, text, buttons)`. Telegram's implementation lives in
bot/telegram_sender.py; another channel (WhatsApp, SMS) implements the same three outcomes."""
from typing import Protocol

Buttons = list[list[tuple[str, str]]]  # rows of (label, callback data)


class SendBlocked(Exception):
    """The person blocked the bot (or deleted their account): stop writing to them."""


class SendRetry(Exception):
    """Try again later: flood control (`retry_after` seconds, when the channel said so), a server error or
    a time-out. A time-out may still have been delivered: that is the one window for a duplicate."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


class SendRejected(Exception):
    """The channel refused this message for good (chat not found, malformed): retrying cannot help."""


class Sender(Protocol):
    async def send(self, chat_id: int, text: str, buttons: Buttons | None = None) -> None: ...
