"""➕ A new group session: which one of the catalog → day → time → place → which families (a territory, those
due for it, or by hand) → confirm; the invitations go out through the outbox."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, ScrollingGroup, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.common.context import explain, today
from dialogs.common.inputs import date_input, parse_day, parse_time, text_input
from dialogs.common.pickers import ClockCalendar, DraftMultiselect
from dialogs.common.states import GroupSessions as G
from dialogs.common.widgets import T, buttons_only, choices
from program.clock import format_date
from services import group_sessions
from services.errors import InvalidInput, NotAllowed

TIMES = ("10:00", "11:00", "15:00", "16:00", "17:00")


def _new(manager: DialogManager) -> dict:
    return manager.dialog_data.setdefault("new", {})


def _local(manager: DialogManager, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(manager.middleware_data["viewer"].timezone))


def parse_when(text: str, manager: DialogManager) -> datetime:
    day_text, _sep, time_text = text.strip().partition(" ")
    return _local(manager, parse_day(day_text), parse_time(time_text))


async def start_new(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data["new"] = {}
    await manager.switch_to(G.new_session)


async def new_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    new = _new(dialog_manager)
    sessions = [(f"{s.track}:{s.code}", f"{'ASL ' if s.track == 'asl' else ''}{s.code} · {s.name}")
                for s in group_sessions.group_sessions()]
    sectors = await group_sessions.territories(session, actor=viewer.actor)
    picked = dialog_manager.dialog_data.get("picked", [])
    low, high = group_sessions.SUGGESTED
    return {"sessions": sessions, "times": [(t, t) for t in TIMES], "today": today(dialog_manager),
            "cal_min": today(dialog_manager), "sectors": [(str(i), s) for i, s in enumerate(sectors)],
            "has_sectors": bool(sectors), "chosen": dict(sessions).get(new.get("key", ""), ""),
            "day": format_date(date.fromisoformat(new["day"])) if new.get("day") else "",
            "time": new.get("time", ""), "place": new.get("place", ""), "count": len(picked),
            "families": dialog_manager.dialog_data.get("candidates", []),
            "outside": bool(picked) and not low <= len(picked) <= high, "low": low, "high": high}


async def on_session(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    track, _sep, code = item_id.partition(":")
    try:
        group_sessions.catalog_session(track, code)
    except InvalidInput:
        return
    _new(manager).update(key=item_id, track=track, code=code)
    await manager.switch_to(G.new_when)


async def set_day(_event, manager: DialogManager, value: date) -> None:
    if value < today(manager):
        await explain(manager, _("Esa fecha ya pasó. Elige hoy o un día que viene, por favor."))
        return
    _new(manager)["day"] = value.isoformat()
    await manager.switch_to(G.new_time)


async def on_calendar(callback, _widget, manager: DialogManager, value: date) -> None:
    await set_day(callback, manager, value)


async def _set_time(manager: DialogManager, value: time) -> None:
    new = _new(manager)
    data = manager.middleware_data
    if _local(manager, date.fromisoformat(new["day"]), value) <= data["clock"]():
        await explain(manager, _("Esa hora ya pasó. Elige otra, por favor."))
        return
    new["time"] = value.strftime("%H:%M")
    await manager.switch_to(G.new_place)


async def on_time(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    await _set_time(manager, time.fromisoformat(item_id))


async def on_time_text(_message: Message, manager: DialogManager, text: str) -> None:
    try:
        await _set_time(manager, parse_time(text))
    except ValueError:
        await explain(manager, _("No entendí la hora. Escríbela como 09:30 o 15:00, o usa los botones."))


async def on_place(_message: Message, manager: DialogManager, text: str) -> None:
    _new(manager)["place"] = text
    await manager.switch_to(G.new_families)


async def on_location(message: Message, _widget, manager: DialogManager) -> None:
    new = _new(manager)
    assert message.location is not None  # MessageInput(content_types=LOCATION)
    new["latitude"], new["longitude"] = message.location.latitude, message.location.longitude
    await explain(manager, _("📍 Ubicación guardada. Ahora escribe el nombre del lugar y su dirección."))


async def _choose(manager: DialogManager, by: str, territory: str | None = None) -> None:
    data, new = manager.middleware_data, _new(manager)
    families = await group_sessions.candidates(data["session"], actor=data["viewer"].actor, track=new["track"],
                                               code=new["code"], by=by, territory=territory, today=today(manager))
    manager.dialog_data["candidates"] = [(str(f.id), f"{f.family_name} · {f.code}") for f in families]
    manager.dialog_data["picked"] = [str(f.id) for f in families] if by != "hand" else []
    new["territory"] = territory
    if by != "hand" and not families:
        await explain(manager, _("No encontré familias así. Elige de otra forma o una por una."))
        return
    await manager.switch_to(G.new_pick)


async def on_due(_callback, _button, manager: DialogManager) -> None:
    await _choose(manager, "due")


async def on_by_hand(_callback, _button, manager: DialogManager) -> None:
    await _choose(manager, "hand")


async def on_sector(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    data = manager.middleware_data
    sectors = await group_sessions.territories(data["session"], actor=data["viewer"].actor)
    if item_id.isdigit() and int(item_id) < len(sectors):
        await _choose(manager, "territory", sectors[int(item_id)])


def _read_picked(manager: DialogManager) -> list:
    return manager.dialog_data.get("picked", [])


def _write_picked(manager: DialogManager, values: list[str]) -> None:
    manager.dialog_data["picked"] = values


async def _valid_picked(manager: DialogManager) -> set[str]:
    return {item_id for item_id, _label in manager.dialog_data.get("candidates", [])}


async def on_pick_done(_callback, _button, manager: DialogManager) -> None:
    if not manager.dialog_data.get("picked"):
        await explain(manager, _("Marca al menos una familia."))
        return
    await manager.switch_to(G.new_confirm)


async def on_create(_callback, _button, manager: DialogManager) -> None:
    data, new = manager.middleware_data, _new(manager)
    try:
        await group_sessions.create(
            data["session"], actor=data["viewer"].actor, track=new["track"], code=new["code"],
            starts_at=_local(manager, date.fromisoformat(new["day"]), time.fromisoformat(new["time"])),
            place=new.get("place", ""), address=None, territory=new.get("territory"),
            family_ids=[int(i) for i in manager.dialog_data.get("picked", [])], now=data["clock"](),
            latitude=new.get("latitude"), longitude=new.get("longitude"))
    except (InvalidInput, NotAllowed):
        await explain(manager, _("No pude crear la sesión con estos datos: revisa la fecha y la hora."))
        await manager.switch_to(G.new_when)
        return
    manager.dialog_data.pop("new", None)
    await explain(manager, _("✅ Sesión creada. Las invitaciones salen ahora, en el idioma de cada familia."))
    await manager.switch_to(G.list)


def new_windows() -> list[Window]:
    return [
        Window(T("➕ Nueva sesión · 1/6\n¿Qué sesión es?"),
               ScrollingGroup(choices("new_session", "sessions", on_session), id="new_sessions", width=1, height=6),
               SwitchTo(T("⬅️ Sesiones"), id="back_new", state=G.list),
               buttons_only(), state=G.new_session, getter=new_getter),
        Window(T("➕ {chosen} · 2/6\n¿Qué día? Toca un día o escribe la fecha (día-mes-año)."),
               ClockCalendar("new_day", on_click=on_calendar, min_key="cal_min"),
               SwitchTo(T("⬅️ Atrás"), id="back_when", state=G.new_session),
               *date_input("new_day_text", set_day), state=G.new_when, getter=new_getter),
        Window(T("➕ {chosen} · {day} · 3/6\n¿A qué hora? Toca una o escríbela."),
               Row(choices("new_time", "times", on_time)),
               SwitchTo(T("⬅️ Atrás"), id="back_time_new", state=G.new_when),
               *text_input("new_time_typed", on_time_text, limit=10), state=G.new_time, getter=new_getter),
        Window(T("➕ {chosen} · {day} {time} · 4/6\n¿Dónde? Escribe el lugar y su dirección "
                 "(puedes mandar también la ubicación 📍)."),
               SwitchTo(T("⬅️ Atrás"), id="back_place_new", state=G.new_time),
               MessageInput(on_location, content_types=ContentType.LOCATION),
               *text_input("new_place_typed", on_place, limit=200), state=G.new_place, getter=new_getter),
        Window(T("➕ {chosen} · 5/6\n¿A qué familias invitamos?"),
               Button(T("⭐ A las que les toca esta sesión"), id="by_due", on_click=on_due),
               Column(Select(Format("🏘 {item[1]}"), id="by_sector", item_id_getter=lambda i: i[0], items="sectors",
                             on_click=on_sector), when="has_sectors"),
               Button(T("✋ Elegir una por una"), id="by_hand", on_click=on_by_hand),
               SwitchTo(T("⬅️ Atrás"), id="back_families", state=G.new_place),
               buttons_only(), state=G.new_families, getter=new_getter),
        Window(T("➕ {chosen} · 6/6\nMarcadas: {count}. Toca una familia para quitarla o agregarla."),
               T("⚠️ Las guías sugieren entre {low} y {high} familias; puedes seguir igual.", when="outside"),
               ScrollingGroup(DraftMultiselect("pick", "families", read=_read_picked, write=_write_picked,
                                               valid=_valid_picked),
                              id="pick_page", width=1, height=25, hide_on_single_page=True),
               Button(T("➡️ Continuar"), id="pick_done", on_click=on_pick_done),
               SwitchTo(T("⬅️ Atrás"), id="back_pick", state=G.new_families),
               buttons_only(), state=G.new_pick, getter=new_getter),
        Window(T("➕ ¿Creamos la sesión?\n\n{chosen}\n📅 {day} a las {time}\n📍 {place}\n👨‍👩‍👧 {count} familias"),
               T("⚠️ Las guías sugieren entre {low} y {high} familias; puedes seguir igual.", when="outside"),
               Button(T("✅ Crear e invitar"), id="create", on_click=on_create),
               SwitchTo(T("⬅️ Atrás"), id="back_confirm", state=G.new_pick),
               buttons_only(), state=G.new_confirm, getter=new_getter),
    ]
