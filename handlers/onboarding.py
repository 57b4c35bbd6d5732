"""/start with a one-time code (deep link or typed): link the account, then consent or menu."""
from datetime import datetime

from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from sqlmodel.ext.asyncio.session import AsyncSession

from dialogs.common.labels import role_label
from dialogs.common.navigation import show_menu
from handlers.command_menus import CommandMenus
from program.clock import to_local
from services import onboarding
from services.onboarding import Redeemed
from services.viewer import Viewer, load_viewer


async def link_with_code(message: Message, code: str, data: dict) -> None:
    """`data` is the handler's middleware data: session, viewer, clock, dialog_manager, command_menus, i18n, bot."""
    session: AsyncSession = data["session"]
    viewer: Viewer = data["viewer"]
    i18n: I18n = data["i18n"]
    now: datetime = data["clock"]()
    language = viewer.account.language if viewer.account else i18n.current_locale
    result = await onboarding.redeem(session, telegram_user_id=message.from_user.id, chat_id=message.chat.id,
                                     code=code, now=now, language=language)
    if result.outcome is Redeemed.LOCKED:
        until = to_local(result.locked_until, viewer.timezone).strftime("%H:%M")
        await message.answer(_("Por seguridad, después de varios códigos equivocados debes esperar. "
                               "Podrás intentar de nuevo a las {time}.").format(time=until))
        return
    if result.outcome is not Redeemed.LINKED:
        await message.answer({
            Redeemed.WRONG: _("Ese código no es válido. Revisa que esté completo, o pide uno nuevo a tu unidad."),
            Redeemed.EXPIRED: _("Ese código ya venció. Pide uno nuevo a tu unidad."),
            Redeemed.USED: _("Ese código ya fue usado. Si no fuiste tú, avisa a tu unidad y pide uno nuevo."),
        }[result.outcome])
        return

    linked = await load_viewer(session, telegram_user_id=message.from_user.id)
    viewer.__dict__.update(linked.__dict__)  # later middlewares and getters of this update see the new role
    command_menus: CommandMenus = data["command_menus"]
    await command_menus.apply_for(data["bot"], viewer=viewer, chat_id=message.chat.id)
    if not viewer.needs_consent:
        await message.answer(_("¡Listo! Quedaste registrado/a como {role} en {unit}.").format(
            role=role_label(viewer.role), unit=viewer.unit.name if viewer.unit else ""))
    dialog_manager: DialogManager = data["dialog_manager"]
    await show_menu(dialog_manager, viewer)
