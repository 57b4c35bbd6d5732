"""How long things are kept (program/data/retention.yaml) and what an erasure must leave in place."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources

import yaml

_DAYS = ("outbox_sent_days", "outbox_cancelled_days", "dialog_drafts_days", "hidden_cuaderno_days",
         "code_attempts_days")


class RetentionError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("plazos de conservación inválidos:\n- " + "\n- ".join(errors))


@dataclass(frozen=True)
class RetentionSchedule:
    outbox_sent_days: int
    outbox_cancelled_days: int
    dialog_drafts_days: int
    hidden_cuaderno_days: int
    code_attempts_days: int
    kept_after_erasure: frozenset[str]
    version: str = ""

    def cutoff(self, name: str, now: datetime) -> datetime:
        return now - timedelta(days=getattr(self, name))


def parse(data: dict) -> RetentionSchedule:
    errors = []
    for key in _DAYS:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append(f"{key}: debe ser un número de días (0 o más)")
    kept = data.get("kept_after_erasure")
    if not isinstance(kept, list) or not all(isinstance(k, str) and k.count(".") == 1 for k in kept):
        errors.append("kept_after_erasure: una lista de tabla.columna")
    unknown = set(data) - {*_DAYS, "kept_after_erasure", "version"}
    errors += [f"{key}: clave desconocida" for key in sorted(unknown)]
    if errors:
        raise RetentionError(errors)
    return RetentionSchedule(**{key: data[key] for key in _DAYS},
                             kept_after_erasure=frozenset(data["kept_after_erasure"]),
                             version=str(data.get("version", "")))


def load_schedule() -> RetentionSchedule:
    text = resources.files("program").joinpath("data/retention.yaml").read_text(encoding="utf-8")
    return parse(yaml.safe_load(text))


def closed_before(closed_on: date | None, today: date, years: int) -> bool:
    """A family closed on `closed_on` is past its retention `years` later (29 February → 28 February)."""
    if closed_on is None:
        return False
    try:
        limit = closed_on.replace(year=closed_on.year + years)
    except ValueError:
        limit = closed_on.replace(year=closed_on.year + years, day=28)
    return today >= limit
