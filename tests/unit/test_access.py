"""The one authorization rule, as a pure function."""
import pytest

from program.access import Actor, FamilyScope, can_edit_family, can_manage_unit, can_view_family
from program.roles import Role

FAMILY = FamilyScope(id=10, unit_id=1, afi_id=100, gestor_socio_id=200, gestor_familiar_id=300)


@pytest.mark.parametrize(
    ("actor", "view", "edit"),
    [
        (Actor(Role.AFI, unit_id=1, staff_id=100), True, True),
        (Actor(Role.AFI, unit_id=1, staff_id=101), True, False),
        (Actor(Role.AFI, unit_id=2, staff_id=100), False, False),
        (Actor(Role.GESTOR_SOCIO, unit_id=1, staff_id=200), True, True),
        (Actor(Role.GESTOR_FAMILIAR, unit_id=1, staff_id=300), True, True),
        (Actor(Role.GESTOR_FAMILIAR, unit_id=1, staff_id=100), True, False),
        (Actor(Role.JEFE, unit_id=1, staff_id=999), True, True),
        (Actor(Role.JEFE, unit_id=2, staff_id=999), False, False),
        (Actor(Role.FAMILY, unit_id=1, family_id=10, member_id=5, is_representative=True), True, True),
        (Actor(Role.FAMILY, unit_id=1, family_id=10, member_id=6), True, False),
        (Actor(Role.FAMILY, unit_id=1, family_id=11, member_id=7, is_representative=True), False, False),
        (Actor(Role.ADMIN), True, True),
        (Actor(Role.AFI, unit_id=None, staff_id=100), False, False),
    ],
)
def test_who_may_see_and_change_a_family(actor, view, edit):
    assert can_view_family(actor, FAMILY) is view
    assert can_edit_family(actor, FAMILY) is edit


def test_only_the_units_jefe_manages_it():
    assert can_manage_unit(Actor(Role.JEFE, unit_id=1), 1)
    assert not can_manage_unit(Actor(Role.JEFE, unit_id=2), 1)
    assert not can_manage_unit(Actor(Role.AFI, unit_id=1), 1)
    assert can_manage_unit(Actor(Role.ADMIN), 1)
