"""📋 After a group session: who came (the invited families, plus one that came uninvited), the session's
products (Ficha de Registro Sesión Grupal-Comunitaria), agreements and notes (text or voice) → save."""
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, ScrollingGroup, SwitchTo

from dialogs.common.context import explain, today
from dialogs.common.pickers import DraftMultiselect
from dialogs.common.states import GroupSessions as G
from dialogs.common.text_or_voice import text_or_voice, voice_label
from dialogs.common.widgets import T, buttons_only, choices
from services import group_sessions
from services.errors import InvalidInput, NotAllowed
from storage import people_repo


def _rec(manager: DialogManager) -> dict:
    return manager.dialog_data.setdefault("rec", {"attended": [], "walk_ins": [], "products": []})


async def start_record(_callback, _button, manager: DialogManager) -> None:
    data = manager.middleware_data
    rows = await group_sessions.invitations(data["session"], actor=data["viewer"].actor,
                                            group_session_id=manager.dialog_data.get("group_id", 0))
    manager.dialog_data["rec"] = {"attended": [str(i.family_id) for i, _f in rows if i.rsvp == "yes" or i.attended],
                                  "walk_ins": [], "products": []}
    await manager.switch_to(G.attendance)


def _list(key: str):
    def read(manager: DialogManager) -> list:
        return _rec(manager)[key]

    def write(manager: DialogManager, values: list[str]) -> None:
        _rec(manager)[key] = values

    return read, write


async def record_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    group_id = dialog_manager.dialog_data.get("group_id", 0)
    group = await group_sessions.get(session, actor=viewer.actor, group_session_id=group_id)
    rows = await group_sessions.invitations(session, actor=viewer.actor, group_session_id=group_id)
    marks = {"yes": " 👍", "no": " 👎"}  # what they answered; ✅/⬜ in front is whether they came
    invited = [(str(i.family_id), f"{f.family_name} · {f.code}{marks.get(i.rsvp or '', '')}")
               for i, f in rows if i.invited]
    invited_ids = {item for item, _label in invited}
    walk_ins = _rec(dialog_manager)["walk_ins"]
    others = [(str(f.id), f"{f.family_name} · {f.code}")
              for f in await people_repo.list_families(session, unit_id=viewer.unit.id, limit=2000)
              if str(f.id) not in invited_ids and f.status not in ("declined", "abandoned", "graduated")]
    found = group_sessions.catalog_session(group.track, group.code)
    rec = _rec(dialog_manager)
    return {"invited": invited, "others": [o for o in others if o[0] not in walk_ins],
            "walk_in_names": ", ".join(label for item, label in others if item in walk_ins) or "—",
            "products": [(str(n), p) for n, p in enumerate(found.products)],
            "count": len(rec["attended"]) + len(walk_ins),
            "done": len(rec["products"]), "total": len(found.products), "agreements": rec.get("agreements") or "—",
            "note": rec.get("note") or (voice_label(rec["voice"][1]) if rec.get("voice") else "—"),
            "code": group.code}


async def _valid_invited(manager: DialogManager) -> set[str]:
    data = manager.middleware_data
    rows = await group_sessions.invitations(data["session"], actor=data["viewer"].actor,
                                            group_session_id=manager.dialog_data.get("group_id", 0))
    return {str(i.family_id) for i, _f in rows if i.invited}


async def _valid_products(manager: DialogManager) -> set[str]:
    data = manager.middleware_data
    group = await group_sessions.get(data["session"], actor=data["viewer"].actor,
                                     group_session_id=manager.dialog_data.get("group_id", 0))
    return {str(n) for n in range(len(group_sessions.catalog_session(group.track, group.code).products))}


async def on_walk_in(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id.isdigit() and item_id not in _rec(manager)["walk_ins"]:
        _rec(manager)["walk_ins"].append(item_id)
    await manager.switch_to(G.attendance)


def _text_or_voice(field: str, following):
    async def on_text(_message: Message, manager: DialogManager, value: str) -> None:
        _rec(manager)[field] = value
        await manager.switch_to(following)

    async def on_voice(_message: Message, manager: DialogManager, file_id: str, seconds: int) -> None:
        _rec(manager)["voice"] = [file_id, seconds]
        await manager.switch_to(following)

    return text_or_voice(f"rec_{field}", on_text, on_voice, limit=1000,
                         hint=lambda: _("Aquí puedes escribir o mandar un audio 🎤, o tocar «Omitir»."))


async def on_save(_callback, _button, manager: DialogManager) -> None:
    data, rec = manager.middleware_data, _rec(manager)
    voice = rec.get("voice")
    record = group_sessions.GroupRecord(
        attended=[int(i) for i in rec["attended"]], walk_ins=[int(i) for i in rec["walk_ins"]],
        products_done=[int(i) for i in rec["products"]], agreements=rec.get("agreements"), note_text=rec.get("note"),
        note_voice_file_id=voice[0] if voice else None, note_voice_duration=int(voice[1]) if voice else None)
    try:
        await group_sessions.record(data["session"], actor=data["viewer"].actor,
                                    group_session_id=manager.dialog_data.get("group_id", 0), data=record,
                                    held_on=today(manager), now=data["clock"]())
    except (InvalidInput, NotAllowed):
        await explain(manager, _("No pude guardar el registro: la sesión se suspendió o una familia ya no está."))
        await manager.switch_to(G.detail)
        return
    manager.dialog_data.pop("rec", None)
    await explain(manager, _("✅ Sesión registrada. Cuenta en la trayectoria de cada familia que asistió."))
    await manager.switch_to(G.detail)


def record_windows() -> list[Window]:
    attended_read, attended_write = _list("attended")
    products_read, products_write = _list("products")
    return [
        Window(T("📋 {code} · ¿Quiénes vinieron? Marca las familias que asistieron ({count}).\n"
                 "Sin invitación: {walk_in_names}"),
               ScrollingGroup(DraftMultiselect("attended", "invited", read=attended_read, write=attended_write,
                                               valid=_valid_invited), id="attended_page", width=1, height=25,
                              hide_on_single_page=True),
               SwitchTo(T("➕ Llegó una familia sin invitación"), id="walk_in", state=G.walk_in),
               SwitchTo(T("➡️ Continuar"), id="to_products", state=G.products),
               SwitchTo(T("⬅️ Sesión"), id="back_detail", state=G.detail),
               buttons_only(), state=G.attendance, getter=record_getter),
        Window(T("➕ ¿Qué familia llegó sin invitación?"),
               ScrollingGroup(choices("walk_in_family", "others", on_walk_in), id="walk_in_page", width=1, height=8,
                              hide_on_single_page=True),
               SwitchTo(T("⬅️ Atrás"), id="back_walk_in", state=G.attendance),
               buttons_only(), state=G.walk_in, getter=record_getter),
        Window(T("✅ Productos de la sesión {code} ({done} de {total}). Lo que quede sin marcar queda pendiente."),
               DraftMultiselect("products", "products", read=products_read, write=products_write,
                                valid=_valid_products),
               SwitchTo(T("➡️ Continuar"), id="to_agreements", state=G.agreements),
               SwitchTo(T("⬅️ Atrás"), id="back_products", state=G.attendance),
               buttons_only(), state=G.products, getter=record_getter),
        Window(T("🤝 ¿Qué acuerdos tomaron? Escríbelos o manda un audio (opcional)."),
               SwitchTo(T("⏭ Omitir"), id="skip_agreements", state=G.notes),
               SwitchTo(T("⬅️ Atrás"), id="back_agreements", state=G.products),
               *_text_or_voice("agreements", G.notes), state=G.agreements, getter=record_getter),
        Window(T("📝 ¿Alguna nota de la sesión? Escríbela o manda un audio (opcional)."),
               SwitchTo(T("⏭ Omitir"), id="skip_notes", state=G.record_confirm),
               SwitchTo(T("⬅️ Atrás"), id="back_notes", state=G.agreements),
               *_text_or_voice("note", G.record_confirm), state=G.notes, getter=record_getter),
        Window(T("📋 Revisa antes de guardar\n\n{code} · asistieron {count} familias\n✅ Productos: {done} de {total}\n"
                 "🤝 Acuerdos: {agreements}\n📝 Nota: {note}"),
               Button(T("💾 Guardar"), id="rec_save", on_click=on_save),
               SwitchTo(T("✏️ Asistencia"), id="edit_attendance", state=G.attendance),
               buttons_only(), state=G.record_confirm, getter=record_getter),
    ]
