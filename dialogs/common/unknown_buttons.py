"""A button the open window does not have: forged callback data, or a button left over from an earlier
look of the window. aiogram-dialog would redraw the window and end the spinner without a word; the person
gets the sentence a button of an older conversation gets (handlers/errors.py), and the window stays as it
is, so the dialog goes on."""
import logging

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.utils import remove_intent_id

log = logging.getLogger(__name__)


def answer_unknown_buttons(router: Router) -> None:
    """Give every dialog included under `router` the check (call after including them)."""
    for dialog in _dialogs(router):
        dialog.callback_query.middleware(_UnknownButtons(dialog))


def _dialogs(router: Router):
    for child in router.sub_routers:
        if isinstance(child, Dialog):
            yield child
        yield from _dialogs(child)


class _UnknownButtons:
    """Runs after the dialog's filters, so the context is this dialog's and its window is the one shown."""

    def __init__(self, dialog: Dialog):
        self.dialog = dialog

    async def __call__(self, handler, callback: CallbackQuery, data: dict):
        manager: DialogManager | None = data.get("dialog_manager")
        if manager is None or self._window_has(manager, callback.data or ""):
            return await handler(callback, data)
        log.info("a button unknown to window %s", manager.current_context().state)
        await callback.answer(_("Ese botón es de una conversación anterior."))
        return None

    def _window_has(self, manager: DialogManager, callback_data: str) -> bool:
        window = self.dialog.windows.get(manager.current_context().state)
        if window is None:  # aiogram-dialog reports that one itself
            return True
        # aiogram-dialog writes "<intent id>\x1d<widget id>" or "<intent id>\x1d<widget id>:<item>".
        _intent, widget_data = remove_intent_id(callback_data)
        return window.find(widget_data.split(":", 1)[0]) is not None
