"""Local instants and quiet hours across the 2026 DST changes of the units' time zones."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from program.clock import UNIT_TIMEZONES, to_local
from program.quiet_hours import is_quiet, local_instant, release_time

UTC = UTC
SCL, MAG, AYS, EAS = "America/Santiago", "America/Punta_Arenas", "America/Coyhaique", "Pacific/Easter"
NIGHT = (time(21), time(9))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def offset_h(moment: datetime, tz: str) -> float:
    return to_local(moment, tz).utcoffset() / timedelta(hours=1)


def test_installed_tzdata_knows_the_2026_changes():
    # Mainland: out of DST at 24:00 on Sat 4 April (back to 23:00), into DST at 24:00 on
    # Sat 5 September (on to 01:00 on Sunday 6). Rapa Nui changes at the same instants.
    assert (offset_h(utc(2026, 4, 5, 2, 59), SCL), offset_h(utc(2026, 4, 5, 3), SCL)) == (-3, -4)
    assert (offset_h(utc(2026, 9, 6, 3, 59), SCL), offset_h(utc(2026, 9, 6, 4), SCL)) == (-4, -3)
    assert (offset_h(utc(2026, 4, 5, 2, 59), EAS), offset_h(utc(2026, 4, 5, 3), EAS)) == (-5, -6)
    assert (offset_h(utc(2026, 9, 6, 3, 59), EAS), offset_h(utc(2026, 9, 6, 4), EAS)) == (-6, -5)
    # Magallanes (since 2016) and Aysén (since 2025) stay on UTC-3 all year.
    for tz in (MAG, AYS):
        assert {offset_h(utc(2026, m, 15, 12), tz) for m in range(1, 13)} == {-3}


@pytest.mark.parametrize("tz, day, expected", [
    (SCL, date(2026, 4, 4), utc(2026, 4, 4, 12)),     # last day on UTC-3
    (SCL, date(2026, 4, 5), utc(2026, 4, 5, 13)),     # first day on UTC-4
    (SCL, date(2026, 9, 5), utc(2026, 9, 5, 13)),
    (SCL, date(2026, 9, 6), utc(2026, 9, 6, 12)),
    (EAS, date(2026, 4, 5), utc(2026, 4, 5, 15)),
    (EAS, date(2026, 9, 6), utc(2026, 9, 6, 14)),
    (MAG, date(2026, 4, 5), utc(2026, 4, 5, 12)),
    (MAG, date(2026, 9, 6), utc(2026, 9, 6, 12)),
    (AYS, date(2026, 4, 5), utc(2026, 4, 5, 12)),
    (AYS, date(2026, 7, 15), utc(2026, 7, 15, 12)),
])
def test_nine_in_the_morning_around_the_changes(tz, day, expected):
    assert local_instant(day, time(9), tz) == expected


@pytest.mark.parametrize("tz, day, at, expected", [
    # Spring-forward gap: 00:00–00:59 on 6 September never shows on the mainland → 01:00 (-03).
    (SCL, date(2026, 9, 6), time(0, 0), utc(2026, 9, 6, 4)),
    (SCL, date(2026, 9, 6), time(0, 30), utc(2026, 9, 6, 4)),
    (SCL, date(2026, 9, 6), time(0, 59, 59), utc(2026, 9, 6, 4)),
    (SCL, date(2026, 9, 6), time(1, 0), utc(2026, 9, 6, 4)),
    (SCL, date(2026, 9, 5), time(23, 59), utc(2026, 9, 6, 3, 59)),
    # Fall-back fold: 23:00–23:59 on 4 April shows twice → the first time (-03).
    (SCL, date(2026, 4, 4), time(23, 0), utc(2026, 4, 5, 2)),
    (SCL, date(2026, 4, 4), time(23, 30), utc(2026, 4, 5, 2, 30)),
    (SCL, date(2026, 4, 5), time(0, 0), utc(2026, 4, 5, 4)),
    # Rapa Nui: the same instants are 22:00 (gap until 23:00) and 21:00–21:59 (fold).
    (EAS, date(2026, 9, 5), time(22, 30), utc(2026, 9, 6, 4)),
    (EAS, date(2026, 4, 4), time(21, 30), utc(2026, 4, 5, 2, 30)),
])
def test_local_instant_in_gap_and_fold(tz, day, at, expected):
    got = local_instant(day, at, tz)
    assert got == expected and got.tzinfo == UTC


@pytest.mark.parametrize("at, quiet", [
    (time(20, 59), False), (time(21), True), (time(23, 59), True), (time(0), True),
    (time(8, 59), True), (time(9), False), (time(14), False),
])
def test_quiet_window_wraps_midnight(at, quiet):
    moment = datetime.combine(date(2026, 7, 15), at, tzinfo=ZoneInfo(SCL))
    assert is_quiet(moment, SCL, *NIGHT) is quiet


def test_quiet_window_within_a_day_and_no_window():
    noon = datetime(2026, 7, 15, 12, tzinfo=ZoneInfo(SCL))
    assert is_quiet(noon, SCL, time(12), time(14))
    assert not is_quiet(noon + timedelta(hours=2), SCL, time(12), time(14))
    assert not is_quiet(noon - timedelta(minutes=1), SCL, time(12), time(14))
    assert not any(is_quiet(noon + timedelta(hours=h), SCL, time(9), time(9)) for h in range(24))


def test_quiet_is_judged_on_the_units_clock():
    moment = utc(2026, 7, 15, 1)    # 21:00 in Santiago, 22:00 in Magallanes, 19:00 on Rapa Nui
    assert is_quiet(moment, SCL, *NIGHT) and is_quiet(moment, MAG, *NIGHT)
    assert not is_quiet(moment, EAS, *NIGHT)
    assert is_quiet(utc(2026, 4, 5, 3, 30), SCL, *NIGHT)   # 23:30 the second time round


def test_release_time():
    day = utc(2026, 7, 15, 16)   # 12:00 in Santiago: not quiet, unchanged (as UTC)
    assert release_time(day.astimezone(ZoneInfo(SCL)), SCL, *NIGHT) == day
    assert release_time(day, SCL, *NIGHT).tzinfo == UTC
    assert release_time(utc(2026, 7, 16, 2), SCL, *NIGHT) == utc(2026, 7, 16, 13)  # 22:00 → 09:00
    assert release_time(utc(2026, 7, 16, 6), SCL, *NIGHT) == utc(2026, 7, 16, 13)  # 02:00 → 09:00
    assert release_time(utc(2026, 7, 16, 6), SCL, time(9), time(9)) == utc(2026, 7, 16, 6)
    assert release_time(utc(2026, 7, 16, 6), EAS, *NIGHT) == utc(2026, 7, 16, 15)  # 00:00 Rapa Nui


def test_release_time_across_the_changes():
    # 23:30 on 5 September (-04) → 09:00 on the 6th, already -03; on 4 April the other way round.
    assert release_time(utc(2026, 9, 6, 3, 30), SCL, *NIGHT) == utc(2026, 9, 6, 12)
    assert release_time(utc(2026, 4, 5, 1), SCL, *NIGHT) == utc(2026, 4, 5, 13)
    assert release_time(utc(2026, 9, 6, 3, 30), EAS, *NIGHT) == utc(2026, 9, 6, 14)
    # A quiet end that does not exist that night (00:30 on 6 September) → the gap's end.
    assert release_time(utc(2026, 9, 6, 2), SCL, time(21), time(0, 30)) == utc(2026, 9, 6, 4)
    # Second pass through the fold with the end inside it: wait for the second 23:30.
    assert release_time(utc(2026, 4, 5, 3, 10), SCL, time(21), time(23, 30)) == utc(2026, 4, 5, 3, 30)
    assert release_time(utc(2026, 4, 5, 2, 10), SCL, time(21), time(23, 30)) == utc(2026, 4, 5, 2, 30)


@pytest.mark.parametrize("tz", UNIT_TIMEZONES)
def test_release_is_never_earlier_nor_quiet_all_2026(tz):
    moment = utc(2026, 1, 1)
    while moment < utc(2027, 1, 1):
        released = release_time(moment, tz, *NIGHT)
        assert released >= moment and not is_quiet(released, tz, *NIGHT), moment
        if released != moment:
            assert to_local(released, tz).time() == time(9)
            assert released - moment <= timedelta(hours=13), moment
        moment += timedelta(minutes=20)


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        is_quiet(datetime(2026, 7, 15, 22), SCL, *NIGHT)
