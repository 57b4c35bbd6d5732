"""✉️ Invitar: the representative's one-time link and code, as text and as a QR image the AFI shows on
their phone (the family scans it with the camera and Telegram opens the bot with the code)."""
import io
from datetime import timedelta

import qrcode
from aiogram.types import BufferedInputFile, CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button

from program.clock import format_datetime
from program.codes import deep_link
from services import onboarding
from services.errors import NotAllowed, NotFound


def qr_png(text: str) -> bytes:
    """A PNG of `text` as a QR code, made in memory (nothing touches the disk)."""
    image = qrcode.make(text, box_size=8, border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def send_invitation(manager: DialogManager, family_id: int, *, unless_linked: bool = False) -> bool:
    """Issue the representative's code and send it to this chat as text and as a QR; False when it may
    not be issued (not this professional's family, no representative) or is not needed (`unless_linked`)."""
    data = manager.middleware_data
    viewer, session, now, bot = data["viewer"], data["session"], data["clock"](), data["bot"]
    settings = data.get("settings")
    ttl = timedelta(days=settings.invite_ttl_days) if settings is not None else onboarding.DEFAULT_TTL
    try:
        code = await onboarding.issue_family_code(session, actor=viewer.actor, family_id=family_id, now=now,
                                                  ttl=ttl, unless_linked=unless_linked)
    except (NotAllowed, NotFound):
        return False
    if code is None:
        return False
    me = await bot.me()
    link = deep_link(me.username, code)
    until = format_datetime(now + ttl, viewer.timezone)
    chat_id = data["event_chat"].id
    # Sent apart from the menu message, so the code stays on screen while the family types or scans it.
    await bot.send_message(chat_id, _(
        "Invitación para la persona representante de la familia.\n\nEnlace: {link}\nCódigo: {code}\n"
        "Vale una sola vez, hasta el {until}.").format(link=link, code=code, until=until))
    await bot.send_photo(
        chat_id, BufferedInputFile(qr_png(link), filename="invitacion.png"),
        caption=_("📷 Muestra este código QR a la persona representante: lo escanea con la cámara y se abre "
                  "Acompaña.\nCódigo: {code}\nVale una sola vez, hasta el {until}.").format(code=code, until=until),
    )
    manager.show_mode = ShowMode.SEND
    return True


async def on_invite(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    if not await send_invitation(manager, manager.dialog_data.get("family_id", 0)):
        await callback.answer(_("No puedes invitar a esta familia."), show_alert=True)
