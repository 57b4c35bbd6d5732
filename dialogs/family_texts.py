"""Short words for families: what a voice note is called, and what to say when a text does not fit."""
from aiogram.utils.i18n import gettext as _


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
