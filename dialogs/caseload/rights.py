"""The jefe/a's rights actions on a family's card (Ley 21.719): 🔒 Bloquear with a reason, 🔓 Desbloquear with
a reason, 🗑️ Anonimizar after a confirmation. The service checks the role again on every step (a forged
button is refused and audited) and writes the audit."""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, SwitchTo

from dialogs.caseload.card import family_id
from dialogs.common.record_labels import BLOCK_REASON_LABELS, UNBLOCK_REASON_LABELS
from dialogs.common.states import Caseload
from dialogs.common.widgets import T, buttons_only, choices
from services import blocking, erasure
from services.errors import InvalidInput, NotAllowed, NotFound
from storage import people_repo
from texts.markers import N_

NOT_ALLOWED = N_("Solo la jefatura de la unidad puede hacer esto.")


def _context(manager: DialogManager):
    data = manager.middleware_data
    return data["session"], data["viewer"].actor, data["clock"]()


async def _family(manager: DialogManager, action: str):
    session, actor, _now = _context(manager)
    return await blocking.managed_family(session, actor=actor, family_id=family_id(manager), action=action)


async def block_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    try:
        family = await _family(dialog_manager, "family.block")
    except (NotAllowed, NotFound):
        return {"allowed": False, "denied": True}
    return {"allowed": True, "denied": False, "family_name": family.family_name, "code": family.code,
            "block_reasons": [(r, _(BLOCK_REASON_LABELS[r])) for r in blocking.BLOCK_REASONS],
            "unblock_reasons": [(r, _(UNBLOCK_REASON_LABELS[r])) for r in blocking.UNBLOCK_REASONS]}


async def _act(callback: CallbackQuery, manager: DialogManager, action, done_text: str, **kw) -> None:
    session, actor, now = _context(manager)
    try:
        await action(session, actor=actor, family_id=family_id(manager), now=now, **kw)
    except (NotAllowed, NotFound, InvalidInput):
        await callback.answer(_(NOT_ALLOWED), show_alert=True)
    else:
        await callback.answer(done_text, show_alert=True)
    await manager.switch_to(Caseload.family)


async def on_block(callback: CallbackQuery, _widget, manager: DialogManager, reason: str) -> None:
    await _act(callback, manager, blocking.block_family, _("🔒 Familia bloqueada: no recibe mensajes y sus datos "
                                                            "no se pueden cambiar."), reason=reason)


async def on_unblock(callback: CallbackQuery, _widget, manager: DialogManager, reason: str) -> None:
    await _act(callback, manager, blocking.unblock_family, _("🔓 Bloqueo levantado."), reason=reason)


async def erase_who_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    data = await block_getter(dialog_manager)
    if data["allowed"]:
        members = await people_repo.list_members(dialog_manager.middleware_data["session"],
                                                 family_id=family_id(dialog_manager))
        data["members"] = [(str(m.id), f"👤 {m.given_names} {m.surnames}".strip()) for m in members
                           if m.anonymised_at is None]
    return data


async def erase_confirm_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    data = await erase_who_getter(dialog_manager)
    chosen = str(dialog_manager.dialog_data.get("erase_member") or "")
    person = next((label for member_id, label in data.get("members", []) if member_id == chosen), None)
    return data | {"whole": data["allowed"] and not chosen, "person": person or "",
                   "one": data["allowed"] and bool(person)}


async def on_erase_family(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    manager.dialog_data["erase_member"] = None
    await manager.switch_to(Caseload.erase_confirm)


async def on_erase_member(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    manager.dialog_data["erase_member"] = int(item_id) if item_id.isdigit() else None
    await manager.switch_to(Caseload.erase_confirm)


async def on_erase(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    member_id = manager.dialog_data.pop("erase_member", None)
    if member_id is None:
        await _act(callback, manager, erasure.erase_family, _("🗑️ Familia anonimizada."))
        return

    async def erase_one(session, *, actor, family_id: int, now) -> None:
        member = await people_repo.get_member(session, member_id=member_id)
        if member is None or member.family_id != family_id:  # a forged id: only the people of this card
            raise NotAllowed("member")
        await erasure.erase_member(session, actor=actor, member_id=member_id, now=now)

    await _act(callback, manager, erase_one, _("🗑️ Persona anonimizada."))


def _to_card(widget_id: str) -> SwitchTo:
    return SwitchTo(T("⬅️ No, volver a la ficha"), id=widget_id, state=Caseload.family)


def rights_windows() -> list[Window]:
    return [
        Window(
            T("🔒 Bloquear a la familia {family_name} · {code}\n\nMientras esté bloqueada no recibe ningún mensaje "
              "y nadie puede cambiar sus datos, hasta que la jefatura levante el bloqueo. ¿Por qué se bloquea?",
              when="allowed"),
            T(NOT_ALLOWED, when="denied"),
            Column(choices("block_reason", "block_reasons", on_block), when="allowed"),
            _to_card("block_back"),
            buttons_only(),
            state=Caseload.block_reason,
            getter=block_getter,
        ),
        Window(
            T("🔓 Levantar el bloqueo de la familia {family_name} · {code}\n\n¿Por qué se levanta?", when="allowed"),
            T(NOT_ALLOWED, when="denied"),
            Column(choices("unblock_reason", "unblock_reasons", on_unblock), when="allowed"),
            _to_card("unblock_back"),
            buttons_only(),
            state=Caseload.unblock_reason,
            getter=block_getter,
        ),
        Window(
            T("🗑️ Anonimizar · {family_name} · {code}\n\n¿A quién? Puedes anonimizar a toda la familia o a una "
              "persona.", when="allowed"),
            T(NOT_ALLOWED, when="denied"),
            Button(T("👨‍👩‍👧 Toda la familia"), id="erase_family", on_click=on_erase_family, when="allowed"),
            Column(choices("erase_member", "members", on_erase_member), when="allowed"),
            _to_card("erase_who_back"),
            buttons_only(),
            state=Caseload.erase_who,
            getter=erase_who_getter,
        ),
        Window(
            T("🗑️ Anonimizar a la familia {family_name} · {code}\n\nSe borran para siempre los nombres, RUN, fechas "
              "de nacimiento, notas, textos, audios y fotos, y se desvinculan sus chats. Quedan las sesiones, sus "
              "resultados y la Matriz, sin nombres, para las estadísticas del programa. No se puede deshacer.",
              when="whole"),
            T("🗑️ Anonimizar a {person} ({family_name} · {code})\n\nSe borran para siempre su nombre, RUN, fecha de "
              "nacimiento, lo que escribió o grabó, y se desvinculan sus chats. La familia y sus sesiones siguen. No "
              "se puede deshacer.", when="one"),
            T(NOT_ALLOWED, when="denied"),
            Button(T("🗑️ Sí, anonimizar"), id="erase_yes", on_click=on_erase, when="allowed"),
            _to_card("erase_back"),
            buttons_only(),
            state=Caseload.erase_confirm,
            getter=erase_confirm_getter,
        ),
    ]
