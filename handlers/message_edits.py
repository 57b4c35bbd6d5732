"""Editing the message a person tapped. Telegram refuses an edit that changes nothing ("message is not
modified": a second tap that left the phone before the buttons went away, or the choice already shown)
and an edit of a message deleted meanwhile ("message to edit not found"). Neither is a failure — what the
edit meant to show is already there, or nobody can see it any more — so neither may end in an apology.
aiogram-dialog takes both the same way for its own windows."""
from collections.abc import Awaitable

from aiogram.exceptions import TelegramBadRequest

NOTHING_TO_DO = ("message is not modified", "message to edit not found")


async def edit_if_needed(edit: Awaitable) -> None:
    try:
        await edit
    except TelegramBadRequest as error:
        if not any(reason in error.message for reason in NOTHING_TO_DO):
            raise
