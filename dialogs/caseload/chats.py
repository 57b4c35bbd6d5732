"""📱 Chats vinculados: who of the family uses Acompaña, and «Desvincular» (a lost or changed phone) for the
family's assigned AFI and the jefe/a. Every step asks services.revocation again, so a forged or stale button
is refused kindly there, and audited; the unlinked chat then hears one sentence and nothing else."""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, SwitchTo

from dialogs.caseload.card import family_id
from dialogs.common.states import Caseload
from dialogs.common.widgets import T, buttons_only, choices
from program.clock import format_date
from services import revocation
from services.errors import NotAllowed

NOT_ALLOWED = {"denied": True, "allowed": False}
REFUSED = "Solo el Apoyo Familiar de la familia o la jefatura pueden desvincular sus chats."


def _name(member) -> str:
    return " ".join(part for part in (member.given_names, member.surnames) if part)


async def _chats(manager: DialogManager):
    data = manager.middleware_data
    return await revocation.family_chats(data["session"], actor=data["viewer"].actor, family_id=family_id(manager))


async def chats_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    try:
        chats = await _chats(dialog_manager)
    except NotAllowed:
        return NOT_ALLOWED
    lines = [_("• {name} · desde el {date}").format(name=_name(c.member), date=format_date(c.linked_at.date()))
             for c in chats]
    unlinkable = [(str(c.account_id), _("🔌 Desvincular: {name}").format(name=_name(c.member)))
                  for c in chats if c.can_unlink]
    chosen = next((_name(c.member) for c in chats if c.account_id == dialog_manager.dialog_data.get("unlink")), "—")
    return {"denied": False, "allowed": True, "chats": "\n".join(lines), "has_chats": bool(chats),
            "no_chats": not chats, "unlinkable": unlinkable, "person": chosen}


async def on_chosen(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    try:
        chats = await _chats(manager)
    except NotAllowed:
        await callback.answer(_(REFUSED), show_alert=True)
        return
    found = next((c for c in chats if str(c.account_id) == item_id and c.can_unlink), None)
    if found is None:
        await callback.answer(_("Ese chat ya no está vinculado."), show_alert=True)
        return
    manager.dialog_data["unlink"] = found.account_id
    await manager.switch_to(Caseload.unlink_confirm)


async def on_confirm(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:
        await revocation.unlink_account(data["session"], actor=data["viewer"].actor,
                                        account_id=manager.dialog_data.pop("unlink", 0), now=data["clock"]())
    except NotAllowed:
        await callback.answer(_(REFUSED), show_alert=True)
    else:
        await callback.answer(_("Listo: ese chat ya no está vinculado. Para un teléfono nuevo, invita de nuevo."),
                              show_alert=True)
    await manager.switch_to(Caseload.chats)


def chats_windows() -> list[Window]:
    return [
        Window(
            T("📱 Chats vinculados a la familia:\n\n{chats}", when="has_chats"),
            T("Nadie de la familia usa Acompaña todavía.", when="no_chats"),
            T(REFUSED, when="denied"),
            Column(choices("unlink_chat", "unlinkable", on_chosen), when="allowed"),
            SwitchTo(T("⬅️ Ficha de la familia"), id="chats_back", state=Caseload.family),
            buttons_only(),
            state=Caseload.chats,
            getter=chats_getter,
        ),
        Window(
            T("🔌 ¿Desvincular el chat de {person}? Dejará de recibir mensajes de Acompaña y sus avisos pendientes "
              "se cancelan. Para volver a usarlo necesitará un código nuevo.", when="allowed"),
            T(REFUSED, when="denied"),
            Button(T("✅ Sí, desvincular"), id="unlink_confirm", on_click=on_confirm, when="allowed"),
            SwitchTo(T("⬅️ No, volver"), id="unlink_back", state=Caseload.chats),
            buttons_only(),
            state=Caseload.unlink_confirm,
            getter=chats_getter,
        ),
    ]
