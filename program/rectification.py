"""Rectification rules (Ley 21.719): which fields of a member can be corrected, what a valid new value
is, and who corrects them (the family's assigned AFI or the unit's jefe/a)."""
from datetime import date

from program.access import Actor, FamilyScope
from program.clock import parse_date
from program.roles import Role
from program.run import InvalidRun, normalise_run

FIELDS = ("given_names", "surnames", "run", "birth_date", "relation")
MAX_LENGTH = {"given_names": 120, "surnames": 120, "relation": 40}
OLDEST_BIRTH_YEAR = 1900


class InvalidValue(ValueError):
    """`reason` names the problem for a kind message: empty, too_long, run_malformed, run_check_digit,
    run_out_of_range, bad_date, future_date, too_old."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def can_correct(actor: Actor, family: FamilyScope) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.unit_id is None or actor.unit_id != family.unit_id or actor.staff_id is None:
        return False
    return actor.role is Role.JEFE or (actor.role is Role.AFI and family.afi_id == actor.staff_id)


def parse_value(field: str, raw: str, *, today: date) -> str | date:
    """The stored form of a typed value (RUN as 12345678-5, a date), or InvalidValue."""
    if field not in FIELDS:
        raise InvalidValue("unknown_field")
    text = " ".join((raw or "").split())
    if not text:
        raise InvalidValue("empty")
    if field == "run":
        try:
            return normalise_run(text)
        except InvalidRun as error:
            raise InvalidValue(f"run_{error}") from None
    if field == "birth_date":
        try:
            born = parse_date(text)
        except ValueError:
            raise InvalidValue("bad_date") from None
        if born > today:
            raise InvalidValue("future_date")
        if born.year < OLDEST_BIRTH_YEAR:
            raise InvalidValue("too_old")
        return born
    if len(text) > MAX_LENGTH[field]:
        raise InvalidValue("too_long")
    return text


def as_text(value) -> str | None:
    """How a value is kept in the record of the change."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)
