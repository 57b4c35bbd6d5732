"""Short words for families: what a voice note is called, and what to say when a text does not fit."""
from aiogram.enums import ContentType
from aiogram.utils.i18n import gettext as _
from aiogram_dialog.widgets.input import MessageInput, TextInput

from dialogs.common.context import explain


def voice_label(seconds: int) -> str:
    return _("🎤 Audio de {seconds} s").format(seconds=seconds)


def family_text_problem(reason: str, *, limit: int = 500, count: int = 0) -> str:
    if reason == "too_long":
        return _("Es muy largo: puedes escribir hasta {limit} letras (escribiste {count}). "
                 "También puedes mandar un audio 🎤.").format(limit=limit, count=count)
    if reason == "command":
        return _("Eso parece un comando. Escribe sin la barra, o toca /menu para volver.")
    return _("Está vacío. Escribe unas palabras o manda un audio 🎤.")


def check_family_text(text: str | None, limit: int = 500) -> tuple[str | None, str | None]:
    """(clean text, None) or (None, the kind message). Emojis alone are words enough for a family."""
    value = (text or "").strip()
    if not value:
        return None, family_text_problem("empty")
    if value.startswith("/"):
        return None, family_text_problem("command")
    if len(value) > limit:
        return None, family_text_problem("too_long", limit=limit, count=len(value))
    return value, None


def text_or_voice(id: str, on_text, on_voice, *, limit: int = 500, hint=None) -> list:
    """Where a family (or a professional in a hurry) may write or speak: `on_text(message, manager, text)` gets
    checked text, `on_voice(message, manager, file_id, seconds)` a voice note; anything else a kind hint
    (`hint()`, called when needed so it is translated in the person's language)."""
    async def text(message, _widget, manager, value: str) -> None:
        cleaned, problem = check_family_text(value, limit)
        if problem:
            await explain(manager, problem)
            return
        await on_text(message, manager, cleaned)

    async def voice(message, _widget, manager) -> None:
        await on_voice(message, manager, message.voice.file_id, message.voice.duration)

    async def other(_message, _widget, manager) -> None:
        await explain(manager, hint() if hint else _("Aquí puedes escribir o mandar un audio 🎤."))

    return [TextInput(id=id, on_success=text), MessageInput(voice, content_types=ContentType.VOICE),
            MessageInput(other, content_types=ContentType.ANY)]
