"""Pickers every feature uses: a calendar on the bot's clock, a checklist bound to the draft.

aiogram-dialog's Calendar takes "today" from the machine's clock and names months with the C locale
(%B), which is neither the unit's day nor the person's language: ClockCalendar takes "today" from the
window's data (the bot's clock in the unit's time zone) and names months with gettext.
"""
from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Calendar, Multiselect
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScope,
    CalendarUserConfig,
    CalendarYearsView,
)
from aiogram_dialog.widgets.text import Format, Text

from texts.months import month_name


def weekday_name(weekday: int) -> str:
    # i18n: two-letter weekday abbreviations for the calendar header, Monday first.
    return (_("lu"), _("ma"), _("mi"), _("ju"), _("vi"), _("sá"), _("do"))[weekday]


class _Label(Text):
    """Renders one calendar button from the `date` aiogram-dialog passes and the window's data."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    async def _render_text(self, data: dict, manager: DialogManager) -> str:
        when: date = data["date"]
        today = (data.get("data") or {}).get("today")
        if self.kind == "day":
            return f"·{when.day}·" if when == today else str(when.day)
        if self.kind == "weekday":
            return weekday_name(when.weekday())
        if self.kind == "month":
            return month_name(when.month, _)
        if self.kind == "header":
            return f"🗓 {month_name(when.month, _)} {when.year}"
        if self.kind == "prev":
            return f"« {month_name(when.month, _)}"
        return f"{month_name(when.month, _)} »"


class ClockCalendar(Calendar):
    """`ClockCalendar("cal", on_click=..., min_key="cal_min", max_key="cal_max")`; the getter gives `today`."""

    def __init__(self, id: str, on_click, *, min_key: str | None = None, max_key: str | None = None, when=None):
        super().__init__(id=id, on_click=on_click, when=when)
        self.min_key, self.max_key = min_key, max_key

    def _init_views(self):
        return {
            CalendarScope.DAYS: CalendarDaysView(
                self._item_callback_data, date_text=_Label("day"), today_text=_Label("day"),
                weekday_text=_Label("weekday"), header_text=_Label("header"),
                prev_month_text=_Label("prev"), next_month_text=_Label("next"),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data, month_text=_Label("month"), this_month_text=_Label("month"),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }

    async def _get_user_config(self, data: dict, manager: DialogManager) -> CalendarUserConfig:
        return CalendarUserConfig(
            firstweekday=0,
            min_date=data.get(self.min_key) if self.min_key else None,
            max_date=data.get(self.max_key) if self.max_key else None,
        )

    async def _render_keyboard(self, data, manager: DialogManager):
        if self.get_offset(manager) is None and data.get("today"):
            self.set_offset(data.get("start_month") or data["today"], manager)
        return await super()._render_keyboard(data, manager)


class DraftMultiselect(Multiselect):
    """A Multiselect whose ticks live in the draft (dialog_data), not in the widget's own data.

    `read(manager) -> list`, `write(manager, list[str])`; `valid(manager) -> set[str]` (awaited) refuses
    ids that are not on screen (a forged button); `limit` with `on_limit(manager)` explains the cap.
    Items are (id, label) pairs.
    """

    def __init__(self, id: str, items: str, *, read, write, valid, limit: int = 0, on_limit=None, when=None):
        super().__init__(Format("✅ {item[1]}"), Format("⬜ {item[1]}"), id=id,
                         item_id_getter=lambda item: item[0], items=items, when=when)
        self.read, self.write, self.valid = read, write, valid
        self.limit, self.on_limit = limit, on_limit

    def _get_checked(self, manager: DialogManager) -> list[str]:
        return [str(value) for value in self.read(manager)]

    def set_widget_data(self, manager: DialogManager, value) -> None:
        self.write(manager, [str(item) for item in value])

    async def set_checked(self, event, item_id, checked: bool, manager: DialogManager) -> None:
        item_id, current = str(item_id), self._get_checked(manager)
        if checked and item_id not in await self.valid(manager):
            return
        if checked and self.limit and item_id not in current and len(current) >= self.limit:
            if self.on_limit:
                await self.on_limit(manager)
            return
        await super().set_checked(event, item_id, checked, manager)
