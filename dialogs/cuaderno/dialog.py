"""📓 Mi cuaderno: the family's notebook, by Matriz dimension plus free notes; entries newest first, in pages;
an entry shown again as it was kept (a voice note or photo is re-sent by its Telegram file id), deleted
after a second tap. Adding an entry lives in dialogs/cuaderno/add.py.

The family is always the viewer's own (never an id from callback data); an entry id from a button is
looked up by the service together with the family, so another family's id is refused and audited.
"""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.common.states import Cuaderno
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.cuaderno.add import (
    KIND_EMOJI,
    NOTES,
    add_windows,
    dimension_of,
    resource_kind_label,
    resource_level_label,
    say,
    section_label,
    start_adding,
)
from program.clock import format_date
from program.matriz import DIMENSIONS
from program.text_split import short
from services import cuaderno
from services.errors import InvalidInput, NotAllowed, NotFound

PAGE = 5  # entries per page: five buttons and the page's arrows fit a small phone's screen
SECTIONS = tuple(d.id for d in DIMENSIONS) + (NOTES,)


def _kind_title(kind: str) -> str:
    return {"interest": _("💭 Nuestros intereses y preocupaciones"), "resource": _("🤝 Recursos que encontramos"),
            "note": _("📝 Nota")}.get(kind, kind)


def _content(entry) -> str:
    if entry.content_type == "voice":
        return _("🎤 Audio de {voice} s").format(voice=entry.duration or 0)
    if entry.content_type == "photo":
        return _("📷 Foto")
    return short(entry.text, 40)


def entry_line(entry, tz: str) -> str:
    return f"{KIND_EMOJI.get(entry.kind, '')} {format_date(entry.created_at, tz)} · {_content(entry)}"


async def dimensions_getter(session, viewer, **_kwargs) -> dict:
    try:
        counts = await cuaderno.dimension_counts(session, actor=viewer.actor, family_id=viewer.family.id)
    except NotAllowed:
        counts = {}
    sections = []
    for key in SECTIONS:
        count = counts.get(None if key == NOTES else key, 0)
        sections.append((key, f"{section_label(key)} ({count})" if count else section_label(key)))
    return {"sections": sections}


async def on_section(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in SECTIONS:
        manager.dialog_data.update(dimension=item_id, page=0)
        await manager.switch_to(Cuaderno.entries)


async def _page(manager: DialogManager, page: int):
    data, viewer = manager.middleware_data, manager.middleware_data["viewer"]
    return await cuaderno.entries_for_family(data["session"], actor=viewer.actor, family_id=viewer.family.id,
                                             dimension=dimension_of(manager), offset=page * PAGE, limit=PAGE)


async def entries_getter(dialog_manager: DialogManager, viewer, **_kwargs) -> dict:
    page = dialog_manager.dialog_data.get("page", 0)
    try:
        found = await _page(dialog_manager, page)
        if not found.entries and page:  # the last entry of a page was deleted: show the page before
            page = max(0, (found.total - 1) // PAGE)
            dialog_manager.dialog_data["page"] = page
            found = await _page(dialog_manager, page)
    except (NotAllowed, InvalidInput):
        found = cuaderno.EntryPage([], 0, 0, PAGE)
    pages = max(1, -(-found.total // PAGE))
    return {
        "section": section_label(dialog_manager.dialog_data.get("dimension")),
        "entries": [(str(e.id), entry_line(e, viewer.timezone)) for e in found.entries],
        "has_entries": bool(found.entries), "empty": not found.entries,
        "page": page + 1, "pages": pages, "paged": pages > 1, "newer": page > 0, "older": found.has_more,
    }


def _turn(step: int):
    async def on_click(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
        manager.dialog_data["page"] = max(0, manager.dialog_data.get("page", 0) + step)

    return on_click


async def _resend(manager: DialogManager, entry) -> None:
    """The voice note or photo itself, above the entry's buttons (Telegram keeps the files; we keep ids)."""
    data = manager.middleware_data
    bot, chat_id = data["bot"], data["event_chat"].id
    if entry.content_type == "voice":
        await bot.send_voice(chat_id, entry.file_id)
    elif entry.content_type == "photo":
        await bot.send_photo(chat_id, entry.file_id)
    else:
        return
    manager.show_mode = ShowMode.SEND


async def on_entry(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    data, viewer = manager.middleware_data, manager.middleware_data["viewer"]
    try:
        found = await cuaderno.entry(data["session"], actor=viewer.actor, family_id=viewer.family.id,
                                     entry_id=int(item_id) if item_id.isdigit() else 0)
    except (NotAllowed, NotFound):
        await callback.answer(_("Eso no está en tu cuaderno."), show_alert=True)
        return
    manager.dialog_data.update(entry_id=found.id, confirm_delete=False)
    await _resend(manager, found)
    await manager.switch_to(Cuaderno.entry)


async def entry_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    draft = dialog_manager.dialog_data
    try:
        found = await cuaderno.entry(session, actor=viewer.actor, family_id=viewer.family.id,
                                     entry_id=draft.get("entry_id", 0))
    except (NotAllowed, NotFound):
        return {"found": False, "missing": True, "ask": False, "offer": False}
    lines = [f"{_kind_title(found.kind)} · {format_date(found.created_at, viewer.timezone)}",
             section_label(found.dimension)]
    if found.kind == "resource":
        kind, level = resource_kind_label(found.resource_kind or ""), resource_level_label(found.resource_level or "")
        lines.append(f"{kind} · {level}")
    if found.content_type == "voice":
        lines.append(_("🎤 Audio de {voice} s (arriba ☝️)").format(voice=found.duration or 0))
    elif found.content_type == "photo":
        lines.append(_("📷 Foto (arriba ☝️)"))
    if found.text:
        lines += ["", found.text]
    ask = bool(draft.get("confirm_delete"))
    return {"found": True, "missing": False, "details": "\n".join(lines), "ask": ask, "offer": not ask}


async def on_delete(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data["confirm_delete"] = True


async def on_keep(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data["confirm_delete"] = False


async def on_delete_confirmed(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data, viewer = manager.middleware_data, manager.middleware_data["viewer"]
    try:
        await cuaderno.delete_entry(data["session"], actor=viewer.actor, family_id=viewer.family.id,
                                    entry_id=manager.dialog_data.get("entry_id", 0), now=data["clock"]())
    except (NotAllowed, NotFound):
        await callback.answer(_("No se pudo borrar."), show_alert=True)
        return
    manager.dialog_data.pop("entry_id", None)
    await say(manager, _("🗑 Listo, se borró de tu cuaderno."))
    await manager.switch_to(Cuaderno.entries)


def cuaderno_dialog() -> Dialog:
    return Dialog(
        Window(
            T("📓 Mi cuaderno\nAquí guardan lo que les importa, los recursos que encuentran y sus notas.\n"
              "Elige un tema 👇"),
            Column(choices("section", "sections", on_section)),
            Cancel(T("⬅️ Menú")),
            buttons_only(), state=Cuaderno.dimensions, getter=dimensions_getter,
        ),
        Window(
            Format("📓 {section}"),
            T("Toca una para verla o escucharla.", when="has_entries"),
            T("Página {page} de {pages}", when="paged"),
            T("Aún no hay nada aquí. Toca ➕ Agregar.", when="empty"),
            Column(choices("entry", "entries", on_entry)),
            Row(Button(T("⬅️ Más nuevas"), id="newer", on_click=_turn(-1), when="newer"),
                Button(T("Más antiguas ➡️"), id="older", on_click=_turn(1), when="older")),
            Button(T("➕ Agregar"), id="add", on_click=start_adding),
            SwitchTo(T("⬅️ Temas"), id="back_entries", state=Cuaderno.dimensions),
            buttons_only(), state=Cuaderno.entries, getter=entries_getter,
        ),
        Window(
            T("🗑 ¿Borrar esto de tu cuaderno?", when="ask"),  # on top: the entry's own text may be long
            Format("{details}", when="found"),
            T("Eso ya no está en tu cuaderno.", when="missing"),
            Row(Button(T("✅ Sí, borrar"), id="delete_yes", on_click=on_delete_confirmed),
                Button(T("↩️ No, dejarla"), id="delete_no", on_click=on_keep), when="ask"),
            Button(T("🗑 Borrar"), id="delete", on_click=on_delete, when="offer"),
            SwitchTo(T("⬅️ Volver"), id="back_entry", state=Cuaderno.entries),
            buttons_only(), state=Cuaderno.entry, getter=entry_getter,
        ),
        *add_windows(),
    )
