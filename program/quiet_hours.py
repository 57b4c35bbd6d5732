"""Local wall-clock instants and quiet hours, DST-correct for the units' time zones.

Quiet hours are a local window [start, end) that wraps midnight when start > end (21:00–09:00);
start == end means none. A message due inside it is held until the local clock shows ``end``.
"""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

UTC = UTC


def _exists(local: datetime) -> bool:
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == \
        local.replace(tzinfo=None)


def local_instant(day: date, at: time, tz_name: str) -> datetime:
    """When the local clock of ``tz_name`` shows ``at`` on ``day``, as aware UTC.

    In a spring-forward gap the wall time never shows, so the message goes at the gap's end (the
    transition itself); in a fall-back fold it goes at the first of the two occurrences.
    """
    zone = ZoneInfo(tz_name)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone)   # fold=0: first occurrence
    if _exists(local):
        return local.astimezone(UTC)
    # PEP 495 maps a gap time with the offset before (fold=0) or after (fold=1) the transition;
    # the transition lies between the two readings: find the first instant with the new offset.
    lo, hi = sorted(int(x.timestamp()) for x in (local, local.replace(fold=1)))
    after = datetime.fromtimestamp(hi, zone).utcoffset()
    while hi - lo > 1:   # whole seconds: transitions fall on them
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


def _wall(moment: datetime, tz_name: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(ZoneInfo(tz_name))


def is_quiet(moment: datetime, tz_name: str, start: time, end: time) -> bool:
    t = _wall(moment, tz_name).time()
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end


def release_time(moment: datetime, tz_name: str, start: time, end: time) -> datetime:
    """``moment`` (as UTC) if not quiet, else the next instant the local clock shows ``end``."""
    if not is_quiet(moment, tz_name, start, end):
        return moment.astimezone(UTC)
    local = _wall(moment, tz_name)
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    released = local_instant(day, end, tz_name)
    if released <= moment:
        # ``moment`` is in the second pass of a fold and ``end`` falls in the fold too: the wall
        # clock has already shown ``end`` once, it shows it again at the second occurrence.
        second = datetime.combine(day, end, tzinfo=ZoneInfo(tz_name)).replace(fold=1)
        released = second.astimezone(UTC)
    return released
