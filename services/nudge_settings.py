"""A unit's nudge schedule: program/data/nudges.yaml with the unit's own values over it (Unit.nudge_settings,
set with `python -m bot unit-schedule`)."""
import json
import logging
import re
from datetime import time
from functools import lru_cache

import yaml

from program.access import Actor
from program.nudge_schedule import NudgeSchedule, NudgeScheduleError, load_schedule
from program.roles import Role
from services import audit
from services.errors import NotFound
from storage import people_repo

log = logging.getLogger(__name__)


@lru_cache(maxsize=512)
def _schedule(overrides_json: str) -> NudgeSchedule:
    overrides = json.loads(overrides_json)
    try:
        return load_schedule(overrides=overrides or None)
    except NudgeScheduleError:
        # Only the CLI writes these, after validating; an old value the file no longer accepts falls back.
        log.warning("a unit's nudge settings are not valid any more; using the shipped schedule")
        return load_schedule()


def schedule_for(unit) -> NudgeSchedule:
    return _schedule(json.dumps(getattr(unit, "nudge_settings", None) or {}, sort_keys=True))


def quiet_hours_of(unit) -> tuple[time, time]:
    schedule = schedule_for(unit)
    return schedule.quiet_start, schedule.quiet_end


def quiet_hours_text(schedule: NudgeSchedule) -> str:
    """As stored on each outbox row, so the dispatcher checks them again at send time."""
    return f"{schedule.quiet_start:%H:%M}-{schedule.quiet_end:%H:%M}"


def parse_value(text: str):
    """A value typed on the command line: "20:00" stays a time, "15" a number, "[0,1,2]" a list."""
    text = text.strip()
    return text if re.fullmatch(r"\d{1,2}:\d{2}", text) else yaml.safe_load(text)


async def update_unit_schedule(session, *, unit_id: int, values: dict, reset: bool = False) -> NudgeSchedule:
    """Store a unit's own values (validated against the whole schedule first); `reset` forgets them all.
    Raises NotFound("unit") or NudgeScheduleError (its .errors list every problem)."""
    unit = await people_repo.get_unit(session, unit_id=unit_id)
    if unit is None:
        raise NotFound("unit")
    merged = {} if reset else dict(unit.nudge_settings or {})
    merged.update(values)
    schedule = load_schedule(overrides=merged or None)  # raises before anything is stored
    unit.nudge_settings = merged or None
    await people_repo.add(session, unit)
    await audit.record(session, actor=Actor(role=Role.ADMIN, unit_id=unit_id), action="unit.nudge_settings",
                       record_type="unit", record_id=unit_id, unit_id=unit_id)
    return schedule
