"""What the handlers and getters of every feature take from the update: the person's "today" (the bot's
clock in the unit's time zone, never the machine's) and a short explanation shown above the same step."""
from datetime import date

from aiogram_dialog import DialogManager, ShowMode

from program.clock import to_local


def today(manager: DialogManager) -> date:
    data = manager.middleware_data
    return to_local(data["clock"](), data["viewer"].timezone).date()


async def explain(manager: DialogManager, text: str) -> None:
    """A short message, then the same step again below it, where the thumb is."""
    data = manager.middleware_data
    await data["bot"].send_message(data["event_chat"].id, text)
    manager.show_mode = ShowMode.SEND
