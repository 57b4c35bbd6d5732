"""A unit's nudge schedule: program/data/nudges.yaml with the unit's own values over it (Unit.nudge_settings,
set with `python -m bot unit-schedule`)."""
import json
import logging
from datetime import time
from functools import lru_cache

from program.nudge_schedule import NudgeSchedule, NudgeScheduleError, load_schedule

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
