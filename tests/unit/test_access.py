"""The one authorization rule, as pure functions: need to know inside the unit, nothing outside it."""
import pytest

from program.access import (
    Actor,
    FamilyScope,
    Sight,
    can_edit_family,
    can_manage_unit,
    can_see_family_basics,
    can_unlink_family_chat,
    can_view_family,
    family_sight,
)
from program.roles import Role

FAMILY = FamilyScope(id=10, unit_id=1, afi_id=100, gestor_socio_id=200, gestor_familiar_id=300)


@pytest.mark.parametrize(
    ("actor", "sight", "edit"),
    [
        (Actor(Role.AFI, unit_id=1, staff_id=100), Sight.FULL, True),
        (Actor(Role.AFI, unit_id=1, staff_id=101), Sight.BASICS, False),  # another AFI of the unit
        (Actor(Role.AFI, unit_id=2, staff_id=100), Sight.NONE, False),  # another unit's staff, same id
        (Actor(Role.GESTOR_SOCIO, unit_id=1, staff_id=200), Sight.FULL, True),
        (Actor(Role.GESTOR_SOCIO, unit_id=1, staff_id=201), Sight.BASICS, False),
        (Actor(Role.GESTOR_FAMILIAR, unit_id=1, staff_id=300), Sight.FULL, True),  # follows its Bono alerts
        (Actor(Role.GESTOR_FAMILIAR, unit_id=1, staff_id=100), Sight.BASICS, False),  # the AFI's id, wrong column
        (Actor(Role.JEFE, unit_id=1, staff_id=999), Sight.FULL, True),
        (Actor(Role.JEFE, unit_id=2, staff_id=999), Sight.NONE, False),
        (Actor(Role.FAMILY, unit_id=1, family_id=10, member_id=5, is_representative=True), Sight.FULL, True),
        (Actor(Role.FAMILY, unit_id=1, family_id=10, member_id=6), Sight.FULL, False),
        (Actor(Role.FAMILY, unit_id=1, family_id=11, member_id=7, is_representative=True), Sight.NONE, False),
        (Actor(Role.ADMIN), Sight.FULL, True),
        (Actor(Role.AFI, unit_id=None, staff_id=100), Sight.NONE, False),
        (None, Sight.NONE, False),
    ],
)
def test_who_may_see_and_change_a_family(actor, sight, edit):
    assert family_sight(actor, FAMILY) is sight
    assert can_view_family(actor, FAMILY) is (sight is Sight.FULL)
    assert can_see_family_basics(actor, FAMILY) is (sight is not Sight.NONE)
    assert can_edit_family(actor, FAMILY) is edit


def test_a_family_with_nobody_assigned_is_the_jefes_alone():
    bare = FamilyScope(id=11, unit_id=1)
    assert not can_view_family(Actor(Role.AFI, unit_id=1, staff_id=100), bare)
    assert not can_view_family(Actor(Role.AFI, unit_id=1, staff_id=None), bare)  # None never matches None
    assert can_view_family(Actor(Role.JEFE, unit_id=1, staff_id=999), bare)


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (Actor(Role.AFI, unit_id=1, staff_id=100), True),
        (Actor(Role.AFI, unit_id=1, staff_id=101), False),
        (Actor(Role.GESTOR_SOCIO, unit_id=1, staff_id=200), False),  # assigned, but not who links the family
        (Actor(Role.JEFE, unit_id=1, staff_id=999), True),
        (Actor(Role.JEFE, unit_id=2, staff_id=999), False),
        (Actor(Role.FAMILY, unit_id=1, family_id=10, member_id=5, is_representative=True), False),
        (Actor(Role.ADMIN), True),
    ],
)
def test_who_may_unlink_a_familys_chat(actor, allowed):
    assert can_unlink_family_chat(actor, FAMILY) is allowed


def test_only_the_units_jefe_manages_it():
    assert can_manage_unit(Actor(Role.JEFE, unit_id=1), 1)
    assert not can_manage_unit(Actor(Role.JEFE, unit_id=2), 1)
    assert not can_manage_unit(Actor(Role.AFI, unit_id=1), 1)
    assert not can_manage_unit(None, 1)
    assert can_manage_unit(Actor(Role.ADMIN), 1)
