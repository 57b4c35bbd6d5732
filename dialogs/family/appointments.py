"""📅 Mis próximas citas: the visits the family's team planned, in the unit's time zone."""
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Cancel

from dialogs.common.states import Appointments
from dialogs.common.widgets import T, buttons_only
from program.clock import format_datetime
from services import appointments


async def list_getter(session, viewer, clock, **_kwargs) -> dict:
    found = await appointments.upcoming(session, actor=viewer.actor, now=clock())
    lines = [_("🏠 {when} · visita de {name}").format(when=format_datetime(a.at, viewer.timezone),
                                                     name=a.with_name or _("tu Apoyo Familiar")) for a in found]
    return {"lines": "\n".join(lines), "some": bool(lines), "none": not lines}


def appointments_dialog() -> Dialog:
    return Dialog(Window(
        T("📅 Tus próximas citas\n\n{lines}\n\nTe aviso la tarde anterior y ese mismo día.", when="some"),
        T("📅 Por ahora no tienes citas anotadas. Tu Apoyo Familiar te avisará la próxima.", when="none"),
        Cancel(T("⬅️ Menú")),
        buttons_only(), state=Appointments.list, getter=list_getter,
    ))
