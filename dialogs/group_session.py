"""👥 Sesiones grupales (being written)."""
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Cancel

from dialogs.states import GroupSessions
from dialogs.widgets import T, buttons_only


def group_session_dialog() -> Dialog:
    return Dialog(Window(T("👥 Sesiones grupales"), Cancel(T("⬅️ Menú")), buttons_only(), state=GroupSessions.list))
