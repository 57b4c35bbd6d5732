"""When scheduled messages go out: the settings in ``program/data/nudges.yaml``.

A unit may replace any value with its own (``overrides``, same keys as the file); the merge is
validated as a whole, so a unit's bad value is reported like a bad file.
"""
import re
from dataclasses import dataclass
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard

import yaml

_TIMES = ("quiet_start", "quiet_end", "visit_evening_before", "visit_morning_of", "commitment_at",
          "bono_at", "digest_at", "weekly_at")
# key → (lowest, highest); None: no upper bound
_INTS: dict[str, tuple[int, int | None]] = {
    "visit_min_lead_minutes": (0, None),
    "commitment_days_before": (1, None),
    "commitment_overdue_days": (1, None),
    "bono_day": (1, 28),               # every month has it
    "bono_second_ask_days": (1, 27),   # the second ask comes before next month's first one
    "weekly_weekday": (0, 6),
    "horizon_days": (1, 90),
}
_KEYS = {"version", "digest_weekdays", *_TIMES, *_INTS}
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class NudgeScheduleError(ValueError):
    """The schedule (file plus overrides) is not valid; ``errors`` lists every problem found."""
    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("horario de avisos inválido:\n- " + "\n- ".join(self.errors))


@dataclass(frozen=True)
class NudgeSchedule:
    quiet_start: time
    quiet_end: time
    visit_evening_before: time
    visit_morning_of: time
    visit_min_lead_minutes: int
    commitment_days_before: int
    commitment_at: time
    commitment_overdue_days: int
    bono_day: int
    bono_at: time
    bono_second_ask_days: int
    digest_at: time
    digest_weekdays: tuple[int, ...]   # 0 = Monday, as date.weekday()
    weekly_weekday: int
    weekly_at: time
    horizon_days: int
    version: str


def _int(v: Any) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def _range(low: int, high: int | None) -> str:
    return f"entre {low} y {high}" if high is not None else f">= {low}"


def validate_schedule(raw: Any) -> list[str]:
    """Every problem in a parsed schedule (file merged with overrides), as Spanish messages."""
    if not isinstance(raw, dict):
        return ["el horario de avisos debe ser un mapa de claves y valores"]
    errs = [f"clave desconocida '{k}'" for k in sorted(set(raw) - _KEYS, key=str)]
    errs += [f"falta '{k}'" for k in sorted(_KEYS - set(raw))]
    if "version" in raw and not (isinstance(raw["version"], str) and raw["version"].strip()):
        errs.append("'version' debe ser un texto no vacío")
    for k in _TIMES:
        if k in raw and not (isinstance(raw[k], str) and _HHMM.match(raw[k])):
            errs.append(f"'{k}' debe ser una hora \"HH:MM\" entre comillas (00:00 a 23:59), "
                        f"no {raw[k]!r}")
    for k, (low, high) in _INTS.items():
        v = raw.get(k)
        if k in raw and not (_int(v) and v >= low and (high is None or v <= high)):
            errs.append(f"'{k}' debe ser un entero {_range(low, high)}, no {v!r}")
    days = raw.get("digest_weekdays")
    if "digest_weekdays" in raw and not (
            isinstance(days, list) and days and all(_int(d) and 0 <= d <= 6 for d in days)
            and len(set(days)) == len(days)):
        errs.append("'digest_weekdays' debe ser una lista no vacía de días distintos entre 0 "
                    f"(lunes) y 6 (domingo), no {days!r}")
    return errs


def _time(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


def build_schedule(raw: Any) -> NudgeSchedule:
    if errors := validate_schedule(raw):
        raise NudgeScheduleError(errors)
    values: dict[str, Any] = {k: _time(raw[k]) for k in _TIMES} | {k: raw[k] for k in _INTS}  # validated above
    return NudgeSchedule(**values, digest_weekdays=tuple(sorted(raw["digest_weekdays"])), version=str(raw["version"]))


def load_schedule(path: str | Path | None = None, *,
                  overrides: dict | None = None) -> NudgeSchedule:
    """Load the packaged schedule or a unit's own file, with ``overrides`` merged over it."""
    text = (resources.files("program").joinpath("data/nudges.yaml").read_text("utf-8")
            if path is None else Path(path).read_text(encoding="utf-8"))
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise NudgeScheduleError([f"YAML inválido: {exc}"]) from exc
    if overrides is not None and not isinstance(overrides, dict):
        raise NudgeScheduleError(["los valores propios de la unidad deben ser un mapa"])
    if isinstance(raw, dict) and overrides:
        raw = {**raw, **overrides}
    return build_schedule(raw)
