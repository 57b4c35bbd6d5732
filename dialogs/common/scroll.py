"""The page of a ScrollingGroup, read or reset from a getter or a handler (a search starts on page one)."""
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import ManagedScroll


def scroll(manager: DialogManager, widget_id: str) -> ManagedScroll:
    found = manager.find(widget_id)
    if found is None:  # a wrong id in the code, never something a person can cause
        raise LookupError(f"no widget {widget_id!r} in this dialog")
    return found
