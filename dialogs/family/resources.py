"""🔎 ¿Dónde encuentro ayuda?: a family finds a local service in three taps: the menu button, what they need
(an área, or a theme of their plan), the need itself; the answer lists the unit's active Catastro entries
serving it in short lines (what it offers, what it asks for, how to reach it), and one tap more shows an
entry whole. Buttons only; the dialog runs alone on its stack (back is a fresh family menu).
"""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.catastro.entries import entry_fields, on_entry_tapped, tapped_entry
from dialogs.catastro.labels import area_label, need_label
from dialogs.common.record_labels import dimension_label
from dialogs.common.states import FamilyMenu
from dialogs.common.states import Resources as R
from dialogs.common.widgets import T, buttons_only, choices
from program.matriz import DIMENSIONS
from program.needs import needs
from services import resources
from services.errors import InvalidInput, NotAllowed
from texts.catastro import entry_lines
from texts.markers import N_

PAGE = 4  # entries per message: their short lines fit a phone's screen
# The family's own unit, active entries only: another id is refused (and audited) with this.
NOT_AVAILABLE = N_("Ese lugar no está disponible. Elige otro de la lista.")


def _counted(label: str, count: int) -> str:
    return f"{label} ({count})" if count else label


async def start_resources(_callback: CallbackQuery, _button, manager: DialogManager) -> None:
    await manager.start(R.start, mode=StartMode.RESET_STACK)


async def on_menu(_callback: CallbackQuery, _button, manager: DialogManager) -> None:
    await manager.start(FamilyMenu.main, mode=StartMode.RESET_STACK)


async def start_getter(session, viewer, **_kwargs) -> dict:
    try:
        counts = await resources.counts(session, actor=viewer.actor)
    except NotAllowed:
        counts = resources.Counts({}, {}, {})
    areas = [(a.id, _counted(area_label(a.id), counts.by_area.get(a.id, 0))) for a in needs().areas]
    dims = [(d.id, _counted(dimension_label(d.id), counts.by_dimension.get(d.id, 0))) for d in DIMENSIONS]
    empty = not any(counts.by_area.values()) and not any(counts.by_dimension.values())
    return {"areas": areas, "dims": dims, "empty": empty, "some": not empty}


async def on_area(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in {a.id for a in needs().areas}:
        manager.dialog_data["area"] = item_id
        await manager.switch_to(R.needs)


async def on_dimension(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in {d.id for d in DIMENSIONS}:
        manager.dialog_data.update(dimension=item_id, need=None, page=0, back=R.start.state)
        await manager.switch_to(R.entries)


async def needs_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    area = dialog_manager.dialog_data.get("area", "laboral")
    try:
        counts = (await resources.counts(session, actor=viewer.actor)).by_need
    except NotAllowed:
        counts = {}
    return {"area": area_label(area),
            "needs": [(n.id, _counted(need_label(n.id), counts.get(n.id, 0))) for n in needs().area(area).needs]}


async def on_need(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in needs().ids:
        manager.dialog_data.update(need=item_id, dimension=None, page=0, back=R.needs.state)
        await manager.switch_to(R.entries)


async def entries_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    chosen = dialog_manager.dialog_data
    try:
        found = await resources.find(session, actor=viewer.actor, need=chosen.get("need"),
                                     dimension=chosen.get("dimension"))
    except (NotAllowed, InvalidInput):
        found = []
    pages = max(1, -(-len(found) // PAGE))
    page = min(chosen.get("page", 0), pages - 1)
    shown = found[page * PAGE:(page + 1) * PAGE]
    title = need_label(chosen["need"]) if chosen.get("need") else dimension_label(chosen.get("dimension") or "")
    return {
        "title": title, "count": len(found), "has_entries": bool(found), "empty": not found,
        "entries": "\n\n".join("\n".join(entry_lines(entry_fields(e), _, limit=120)) for e in shown),
        "buttons": [(str(e.id), f"🏛 {e.name[:50]}") for e in shown],
        "page": page + 1, "pages": pages, "paged": pages > 1, "newer": page > 0, "older": page + 1 < pages,
    }


def _turn(step: int):
    async def on_click(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
        manager.dialog_data["page"] = max(0, manager.dialog_data.get("page", 0) + step)

    return on_click


async def on_back_from_entries(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await manager.switch_to(R.needs if manager.dialog_data.get("back") == R.needs.state else R.start)


async def entry_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    found = await tapped_entry(dialog_manager, session, viewer)
    if found is None:
        return {"found": False, "missing": True}
    lines = entry_lines(entry_fields(found), _)
    if found.target_population:
        lines.append(_("Atiende a: {value}").format(value=found.target_population))
    return {"found": True, "missing": False, "details": "\n".join(lines)}


def resources_dialog() -> Dialog:
    return Dialog(
        Window(
            T("🔎 ¿Dónde encuentro ayuda?\n¿Qué necesitas? Elige 👇\nMás abajo, también por tema de tu plan.",
              when="some"),
            T("🔎 ¿Dónde encuentro ayuda?\nTu unidad aún no ha cargado lugares de ayuda. Pregunta a tu Apoyo "
              "Familiar 📞", when="empty"),
            Column(choices("area", "areas", on_area), when="some"),
            Column(choices("dim", "dims", on_dimension), when="some"),
            Button(T("⬅️ Menú"), id="back_menu", on_click=on_menu),
            buttons_only(), state=R.start, getter=start_getter,
        ),
        Window(
            Format("{area}"),
            T("¿Qué necesitas?"),
            Column(choices("need", "needs", on_need)),
            SwitchTo(T("⬅️ Volver"), id="back_start", state=R.start),
            buttons_only(), state=R.needs, getter=needs_getter,
        ),
        Window(
            Format("🔎 {title}"),
            T("Lugares que pueden ayudarte: {count}\n\n{entries}", when="has_entries"),
            T("Página {page} de {pages}", when="paged"),
            T("Aún no tenemos un lugar registrado para esto. Pregunta a tu Apoyo Familiar: puede ayudarte a "
              "buscar 📞", when="empty"),
            Column(choices("entry", "buttons", on_entry_tapped(R.entry, NOT_AVAILABLE))),
            Row(Button(T("⬅️ Anteriores"), id="newer", on_click=_turn(-1), when="newer"),
                Button(T("Siguientes ➡️"), id="older", on_click=_turn(1), when="older")),
            Button(T("⬅️ Volver"), id="back_entries", on_click=on_back_from_entries),
            Button(T("⬅️ Menú"), id="menu_entries", on_click=on_menu),
            buttons_only(), state=R.entries, getter=entries_getter,
        ),
        Window(
            Format("{details}", when="found"),
            T("Ese lugar ya no está disponible.", when="missing"),
            SwitchTo(T("⬅️ Volver"), id="back_entry", state=R.entries),
            Button(T("⬅️ Menú"), id="menu_entry", on_click=on_menu),
            buttons_only(), state=R.entry, getter=entry_getter,
        ),
    )
