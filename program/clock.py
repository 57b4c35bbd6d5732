"""Time zones of the units and how dates are shown (dd-mm-yyyy, local time)."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# Magallanes and Aysén keep no DST since 2016/2025; Rapa Nui follows the mainland's rule.
UNIT_TIMEZONES = ("America/Santiago", "America/Punta_Arenas", "America/Coyhaique", "Pacific/Easter")


def to_local(moment: datetime, tz_name: str) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(tz_name))


def format_date(value: date | datetime, tz_name: str | None = None) -> str:
    if isinstance(value, datetime) and tz_name:
        value = to_local(value, tz_name)
    return value.strftime("%d-%m-%Y")


def format_datetime(value: datetime, tz_name: str) -> str:
    return to_local(value, tz_name).strftime("%d-%m-%Y %H:%M")


def parse_date(text: str) -> date:
    """Accept what people type: 05-03-2026, 5/3/2026, 05.03.2026, or ISO 2026-03-05."""
    cleaned = text.strip().replace("/", "-").replace(".", "-")
    parts = cleaned.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError("not a date")
    if len(parts[0]) == 4:
        year, month, day = (int(p) for p in parts)
    else:
        day, month, year = (int(p) for p in parts)
    return date(year, month, day)
