"""📓 Mi cuaderno, adding an entry: what it is (interest, resource, note), for a resource who and where
(Mi Territorio), then the content — typed, a voice note or a photo.

Every choice is kept in dialog_data as it is made, so a half-done entry survives a restart (the dialog
state lives in the database). Anything the notebook cannot keep gets a short hint and the same step again.
"""
from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Column, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.common.inputs import InputProblem
from dialogs.common.record_labels import dimension_label
from dialogs.common.states import Cuaderno
from dialogs.common.widgets import T, buttons_only, choices
from services import cuaderno
from services.cuaderno import KINDS, RESOURCE_KINDS, RESOURCE_LEVELS
from services.errors import InvalidInput, NotAllowed

NOTES = "notes"  # dialog_data["dimension"] for the free notes outside every dimension
DRAFT_KEYS = ("kind", "resource_kind", "resource_level")
KIND_EMOJI = {"interest": "💭", "resource": "🤝", "note": "📝"}


def section_label(key: str | None) -> str:
    return _("📝 Notas") if key in (None, NOTES) else dimension_label(key)


def kind_label(kind: str) -> str:
    return {"interest": _("💭 Un interés o preocupación"), "resource": _("🤝 Un recurso que encontramos"),
            "note": _("📝 Una nota")}.get(kind, kind)


def resource_kind_label(value: str) -> str:
    return {"person": _("👤 Una persona"), "organization": _("👥 Una organización"),
            "institution": _("🏛 Una institución")}.get(value, value)


def resource_level_label(value: str) -> str:
    return {"family": _("👨‍👩‍👧 En la familia"), "community": _("🏘 En la comunidad"),
            "comuna": _("🏙 En la comuna"), "region": _("🗺 En la región")}.get(value, value)


def dimension_of(manager: DialogManager) -> str | None:
    key = manager.dialog_data.get("dimension")
    return None if key in (None, NOTES) else key


async def say(manager: DialogManager, text: str) -> None:
    """A short message, then the current step again below it, where the thumb is."""
    data = manager.middleware_data
    await data["bot"].send_message(data["event_chat"].id, text)
    manager.show_mode = ShowMode.SEND


async def start_adding(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    for key in DRAFT_KEYS:
        manager.dialog_data.pop(key, None)
    if dimension_of(manager) is None:  # the notes section holds notes only: one tap less
        manager.dialog_data["kind"] = "note"
        await manager.switch_to(Cuaderno.add_content)
    else:
        await manager.switch_to(Cuaderno.add_kind)


def _choice(key: str, allowed: tuple[str, ...], next_state):
    """`next_state(item_id)` is the step after choosing `item_id` for dialog_data[key]."""

    async def on_click(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
        if item_id not in allowed:  # a forged or stale button: stay on this step
            return
        manager.dialog_data[key] = item_id
        await manager.switch_to(next_state(item_id))

    return on_click


def _after_kind(kind: str):
    return Cuaderno.resource_kind if kind == "resource" else Cuaderno.add_content


async def add_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    draft = dialog_manager.dialog_data
    kind = draft.get("kind")
    where = []
    if kind == "resource" and draft.get("resource_kind"):
        where.append(resource_kind_label(draft["resource_kind"]))
    if kind == "resource" and draft.get("resource_level"):
        where.append(resource_level_label(draft["resource_level"]))
    return {"section": section_label(draft.get("dimension")), "kind": kind_label(kind) if kind else "",
            "where": " · ".join(where), "has_where": bool(where),
            "kinds": [(k, kind_label(k)) for k in KINDS],
            "resource_kinds": [(k, resource_kind_label(k)) for k in RESOURCE_KINDS],
            "resource_levels": [(k, resource_level_label(k)) for k in RESOURCE_LEVELS]}


async def on_content_back(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    if manager.dialog_data.get("kind") == "resource":
        await manager.switch_to(Cuaderno.resource_level)
    elif dimension_of(manager) is None:
        await manager.switch_to(Cuaderno.entries)
    else:
        await manager.switch_to(Cuaderno.add_kind)


def _problem(reason: str, count: int = 0) -> str:
    if reason == "too_long":
        return _("Es muy largo: el máximo es {limit} caracteres y escribiste {count}. "
                 "Acórtalo o mándalo como audio 🎤.").format(limit=cuaderno.TEXT_MAX, count=count)
    if reason == "command":
        return _("Eso parece un comando. Si quieres salir, escribe /cancelar; si no, escribe el texto sin la barra.")
    if reason == "empty":
        return _("Está vacío. Escribe unas palabras, manda un audio 🎤 o una foto 📷.")
    return _("No pude guardar eso. Prueba otra vez, por favor.")


def _entry_text(text: str) -> str:
    """Emojis alone are fine here (unlike a professional's form): for a family "😟" is an entry."""
    value = (text or "").strip()
    if value.startswith("/"):
        raise InputProblem("command")
    if not value:
        raise InputProblem("empty")
    if len(value) > cuaderno.TEXT_MAX:
        raise InputProblem("too_long")
    return value


async def _save(manager: DialogManager, **content) -> None:
    data, draft = manager.middleware_data, manager.dialog_data
    viewer = data["viewer"]
    resource = draft.get("kind") == "resource"
    new = cuaderno.NewEntry(dimension=dimension_of(manager), kind=draft.get("kind", ""),
                            resource_kind=draft.get("resource_kind") if resource else None,
                            resource_level=draft.get("resource_level") if resource else None, **content)
    try:
        await cuaderno.add_entry(data["session"], actor=viewer.actor, family_id=viewer.family.id, new=new,
                                 now=data["clock"]())
    except InvalidInput as error:
        await say(manager, _problem(error.reason, len(content.get("text") or "")))
        return
    except NotAllowed:
        await say(manager, _("Solo la persona representante de la familia puede escribir en el cuaderno."))
        return
    for key in DRAFT_KEYS:
        draft.pop(key, None)
    draft["page"] = 0  # the new entry is the newest: first page
    await say(manager, _("✅ Guardado en tu cuaderno."))
    await manager.switch_to(Cuaderno.entries)


async def on_text(_message: Message, _widget, manager: DialogManager, value: str) -> None:
    await _save(manager, content_type="text", text=value)


async def on_bad_text(message: Message, _widget, manager: DialogManager, error: ValueError) -> None:
    reason = error.kind if isinstance(error, InputProblem) else "empty"
    await say(manager, _problem(reason, len((message.text or "").strip())))


async def on_voice(message: Message, _widget, manager: DialogManager) -> None:
    voice = message.voice
    assert voice is not None  # MessageInput(content_types=VOICE)
    await _save(manager, content_type="voice", file_id=voice.file_id, file_unique_id=voice.file_unique_id,
                duration=voice.duration)


async def on_photo(message: Message, _widget, manager: DialogManager) -> None:
    assert message.photo is not None  # MessageInput(content_types=PHOTO)
    largest = message.photo[-1]  # Telegram lists the sizes smallest first
    await _save(manager, content_type="photo", file_id=largest.file_id, file_unique_id=largest.file_unique_id,
                text=message.caption)


async def on_other(message: Message, _widget, manager: DialogManager) -> None:
    if message.sticker:
        text = _("Los stickers no se guardan en el cuaderno. Escribe, manda un audio 🎤 o una foto 📷.")
    elif message.document:
        text = _("No puedo guardar archivos. Si es una foto, mándala como foto 📷; si no, cuéntalo en un audio 🎤.")
    elif message.location or message.venue:
        text = _("No puedo guardar ubicaciones. Escribe el lugar o cuéntalo en un audio 🎤.")
    else:
        text = _("Eso no lo puedo guardar. Escribe, manda un audio 🎤 o una foto 📷.")
    await say(manager, text)


def _select(id: str, items: str, on_click) -> Column:
    return Column(choices(id, items, on_click))


def add_windows() -> list[Window]:
    return [
        Window(
            T("➕ {section}\n¿Qué quieres guardar?"),
            _select("kind", "kinds", _choice("kind", KINDS, _after_kind)),
            SwitchTo(T("⬅️ Atrás"), id="back_kind", state=Cuaderno.entries),
            buttons_only(), state=Cuaderno.add_kind, getter=add_getter,
        ),
        Window(
            T("🤝 {section}\n¿Quién es este recurso?"),
            _select("rkind", "resource_kinds",
                    _choice("resource_kind", RESOURCE_KINDS, lambda _kind: Cuaderno.resource_level)),
            SwitchTo(T("⬅️ Atrás"), id="back_rkind", state=Cuaderno.add_kind),
            buttons_only(), state=Cuaderno.resource_kind, getter=add_getter,
        ),
        Window(
            T("📍 {section}\n¿Dónde está este recurso?"),
            _select("rlevel", "resource_levels",
                    _choice("resource_level", RESOURCE_LEVELS, lambda _level: Cuaderno.add_content)),
            SwitchTo(T("⬅️ Atrás"), id="back_rlevel", state=Cuaderno.resource_kind),
            buttons_only(), state=Cuaderno.resource_level, getter=add_getter,
        ),
        Window(
            Format("{section} · {kind}"), Format("{where}", when="has_where"),
            T("Escribe, manda un audio 🎤 o una foto 📷"),
            Button(T("⬅️ Atrás"), id="back_content", on_click=on_content_back),
            SwitchTo(T("✖️ No guardar"), id="drop_content", state=Cuaderno.entries),
            TextInput(id="content_text", type_factory=_entry_text, on_success=on_text, on_error=on_bad_text),
            MessageInput(on_voice, content_types=ContentType.VOICE),
            MessageInput(on_photo, content_types=ContentType.PHOTO),
            MessageInput(on_other, content_types=ContentType.ANY),
            state=Cuaderno.add_content, getter=add_getter,
        ),
    ]
