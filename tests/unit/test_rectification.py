"""program/rectification.py: what a corrected value must be, and who may correct."""
from datetime import date

import pytest

from program.access import Actor, FamilyScope
from program.rectification import InvalidValue, can_correct, parse_value
from program.roles import Role

TODAY = date(2026, 12, 1)
FAMILY = FamilyScope(id=1, unit_id=1, afi_id=10, gestor_socio_id=11)


@pytest.mark.parametrize("field, raw, stored", [
    ("run", " 12.345.678-5 ", "12345678-5"), ("run", "11111111-1", "11111111-1"), ("run", "10.000.013-k", "10000013-K"),
    ("birth_date", "5/3/1988", date(1988, 3, 5)), ("birth_date", "1988-03-05", date(1988, 3, 5)),
    ("given_names", "  María   José ", "María José"), ("relation", "hija", "hija"),
])
def test_good_values_are_stored_in_their_canonical_form(field, raw, stored):
    assert parse_value(field, raw, today=TODAY) == stored


@pytest.mark.parametrize("field, raw, reason", [
    ("run", "12.345.678-9", "run_check_digit"), ("run", "abc", "run_malformed"), ("run", "12.345.678-Q", "run_malformed"),
    ("run", "123-6", "run_out_of_range"), ("birth_date", "31-02-2000", "bad_date"),
    ("birth_date", "02-12-2026", "future_date"), ("birth_date", "01-01-1850", "too_old"),
    ("given_names", "   ", "empty"), ("surnames", "x" * 121, "too_long"), ("relation", "y" * 41, "too_long"),
    ("family_name", "x", "unknown_field"),
])
def test_bad_values_name_their_problem(field, raw, reason):
    with pytest.raises(InvalidValue) as problem:
        parse_value(field, raw, today=TODAY)
    assert problem.value.reason == reason


def test_the_assigned_afi_and_the_jefe_correct_nobody_else():
    allowed = [Actor(Role.AFI, unit_id=1, staff_id=10), Actor(Role.JEFE, unit_id=1, staff_id=12), Actor(Role.ADMIN)]
    refused = [Actor(Role.AFI, unit_id=1, staff_id=99), Actor(Role.GESTOR_SOCIO, unit_id=1, staff_id=11),
               Actor(Role.JEFE, unit_id=2, staff_id=13), Actor(Role.AFI, unit_id=2, staff_id=10),
               Actor(Role.FAMILY, unit_id=1, family_id=1, member_id=1, is_representative=True)]
    assert [can_correct(a, FAMILY) for a in allowed] == [True] * 3
    assert [can_correct(a, FAMILY) for a in refused] == [False] * 5
