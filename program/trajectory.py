"""Where a family is in its 24-month trajectory: stage, sessions due, overdue, upcoming.

Pure functions over the catalog, a cadence data file (``program/data/cadence.yaml``, or a unit's
own via :func:`load_cadence`) and the family's recorded sessions. Rules:
- Intake = Carta de Compromiso (S1). No intake and S1 not held: stage "ingreso", S1 due today, not
  overdue. S1 held → intake = its date if None; an ``intake`` given counts S1 done on that date.
- Only records with ``held_on <= today`` count; only outcome "done" is held (group attendance too;
  one record covers both ASL participants); not_found/rescheduled change nothing; declined or
  abandoned end it: "cerrada", nothing due. ASL only for aps_asl; G19/G20 never due for a family.
- Due from its month window's start; while a predecessor (``after``) is not held, neither due nor
  upcoming; then due no earlier than ``gap_days`` after it (a late chain keeps the window's length,
  capped at month 24's end). A later session held says nothing about earlier ones (still due).
  Overdue: ``today > due_by + grace``.
- Stage: "cierre" once S22 is due or held, else the stage of the earliest not-held APS familiar
  session due or upcoming ("apoyo_bienestar" while only S22 is ahead). Terminal "egresada" (nothing
  due): S22 held and either all cierre sessions (S23; ASL S9 if aps_asl) held or month 24 over.
"""
import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from program.catalog import TYPES, Catalog

TRAJECTORIES = {"aps": ("aps",), "aps_asl": ("aps", "asl")}
OUTCOMES = frozenset({"done", "not_found", "rescheduled", "declined", "abandoned"})
CLOSING_OUTCOMES = frozenset({"declined", "abandoned"})
TERMINAL_STAGES = ("egresada", "cerrada")
_KEYS = {"version", "months", "gap_days", "grace_days", "sessions"}
_ENTRY_KEYS = {"track", "code", "months", "after", "grace_days"}
S1, S22 = ("aps", "S1"), ("aps", "S22")


class CadenceError(ValueError):
    """The cadence file is not valid; ``errors`` lists every problem found."""
    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("cadencia inválida:\n- " + "\n- ".join(self.errors))


@dataclass(frozen=True)
class CadenceEntry:
    track: str
    code: str
    month_from: int
    month_to: int
    after: tuple[tuple[str, str], ...] = ()
    grace_days: int | None = None


@dataclass(frozen=True)
class Cadence:
    version: str
    months: int
    gap_days: int
    grace_days: tuple[tuple[str, int], ...]   # (session type or "default", days)
    sessions: tuple[CadenceEntry, ...]        # in trajectory order


@dataclass(frozen=True)
class RecordedSession:
    track: str
    code: str
    held_on: date
    outcome: str


@dataclass(frozen=True)
class Due:
    track: str
    code: str
    roles: tuple[str, ...]
    due_from: date
    due_by: date
    overdue: bool


@dataclass(frozen=True)
class Progress:
    stage: str
    done: frozenset[tuple[str, str]]
    due: tuple[Due, ...]
    overdue: tuple[Due, ...]
    upcoming: tuple[Due, ...]


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the month's end (31-01 + 1 = 28/29-02)."""
    year, month = d.year + (d.month - 1 + n) // 12, (d.month - 1 + n) % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _nat(v: Any, low: int = 0) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= low


def _check_entry(e: Any, i: int, seen: set[str], total: int) -> list[str]:
    if not isinstance(e, dict):
        return [f"sesión #{i + 1}: debe ser un mapa"]
    key = f"{e.get('track', '?')}:{e.get('code', '?')}"
    errs = [f"{key}: campo desconocido '{k}'" for k in sorted(set(e) - _ENTRY_KEYS)]
    if e.get("track") not in ("aps", "asl") or not isinstance(e.get("code"), str):
        errs.append(f"{key}: requiere track 'aps' o 'asl' y 'code'")
    if key in seen:
        errs.append(f"{key}: repetida")
    m = e.get("months")
    if not (isinstance(m, list) and len(m) == 2 and all(_nat(x, 1) for x in m)
            and m[0] <= m[1] <= total):
        errs.append(f"{key}: 'months' debe ser [desde, hasta] con 1 <= desde <= hasta <= {total}")
    after = e.get("after", [])
    for p in after if isinstance(after, list) else [None]:
        if not isinstance(p, str) or p not in seen:
            errs.append(f"{key}: 'after' debe nombrar sesiones anteriores en la lista ('{p}')")
        elif e.get("track") == "aps" and p.startswith("asl:"):
            errs.append(f"{key}: una sesión APS no puede esperar a una ASL ('{p}')")
    if "grace_days" in e and not _nat(e["grace_days"]):
        errs.append(f"{key}: 'grace_days' debe ser un entero >= 0")
    seen.add(key)
    return errs


def validate_cadence(raw: Any) -> list[str]:
    """Every problem in a parsed cadence file (without a catalog), as Spanish messages."""
    if not isinstance(raw, dict):
        return ["la cadencia debe ser un mapa (version, months, gap_days, grace_days, sessions)"]
    errs = [f"clave desconocida '{k}'" for k in sorted(set(raw) - _KEYS)]
    if not (isinstance(raw.get("version"), str) and raw["version"].strip()):
        errs.append("falta 'version'")
    total: int = 10**6  # when 'months' is wrong, the entries are still checked against a loose bound
    if _nat(raw.get("months"), 1):
        total = raw["months"]
    else:
        errs.append("'months' debe ser un entero positivo")
    if not _nat(raw.get("gap_days")):
        errs.append("'gap_days' debe ser un entero >= 0")
    grace = raw.get("grace_days")
    if not isinstance(grace, dict) or "default" not in grace:
        errs.append("'grace_days' debe ser un mapa con 'default'")
        grace = {}
    errs += [f"grace_days: tipo de sesión desconocido '{k}'"
             for k in grace if k != "default" and k not in TYPES]
    errs += [f"grace_days.{k}: debe ser un entero >= 0" for k, v in grace.items() if not _nat(v)]
    sessions = raw.get("sessions")
    if not isinstance(sessions, list) or not sessions:
        return errs + ["'sessions' debe ser una lista no vacía"]
    seen: set[str] = set()  # keys so far: `after` may only name earlier entries
    return errs + [x for i, e in enumerate(sessions) for x in _check_entry(e, i, seen, total)]


def check_cadence(cadence: Cadence, catalog: Catalog) -> list[str]:
    """Problems between a valid cadence and a catalog: every APS/ASL session needs one entry."""
    have = {(e.track, e.code) for e in cadence.sessions}
    want = {(s.track, s.code) for s in catalog.sessions if s.track in ("aps", "asl")}
    errs = [f"{t}:{c}: sin cadencia" for t, c in sorted(want - have)]
    errs += [f"{t}:{c}: no está en el catálogo" for t, c in sorted(have - want)]
    return errs


def build_cadence(raw: Any) -> Cadence:
    if errors := validate_cadence(raw):
        raise CadenceError(errors)
    entries = tuple(CadenceEntry(e["track"], e["code"], e["months"][0], e["months"][1],
                                 after=tuple(tuple(p.split(":", 1)) for p in e.get("after", [])),
                                 grace_days=e.get("grace_days")) for e in raw["sessions"])
    return Cadence(version=str(raw["version"]), months=raw["months"], gap_days=raw["gap_days"],
                   grace_days=tuple(sorted(raw["grace_days"].items())), sessions=entries)


def load_cadence(path: str | Path | None = None, *, catalog: Catalog | None = None) -> Cadence:
    """Load and validate the packaged cadence or a unit's own file (and against ``catalog``)."""
    text = (resources.files("program").joinpath("data/cadence.yaml").read_text("utf-8")
            if path is None else Path(path).read_text(encoding="utf-8"))
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CadenceError([f"YAML inválido: {exc}"]) from exc
    cadence = build_cadence(raw)
    if catalog is not None and (errors := check_cadence(cadence, catalog)):
        raise CadenceError(errors)
    return cadence


def progress(*, catalog: Catalog, cadence: Cadence, trajectory: str, intake: date | None,
             recorded: Iterable[RecordedSession], today: date) -> Progress:
    """The family's stage and what is due, overdue and upcoming on ``today`` (see module doc)."""
    if trajectory not in TRAJECTORIES:
        raise ValueError(f"unknown trajectory {trajectory!r}")
    if errors := check_cadence(cadence, catalog):
        raise CadenceError(errors)
    entries = [e for e in cadence.sessions if e.track in TRAJECTORIES[trajectory]]
    sess = {(s.track, s.code): s for s in catalog.sessions}
    held: dict[tuple[str, str], date] = {}
    keys, closed = {(e.track, e.code) for e in entries}, False
    for r in recorded:
        if r.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {r.outcome!r}")
        if r.held_on <= today:
            closed |= r.outcome in CLOSING_OUTCOMES
            k = (r.track, r.code)
            if r.outcome == "done" and k in keys and r.held_on < held.get(k, date.max):
                held[k] = r.held_on
    if intake is None:
        intake = held.get(S1)
    elif intake < held.get(S1, date.max):
        held[S1] = intake
    done = frozenset(held)
    if closed:
        return Progress("cerrada", done, (), (), ())
    if intake is None:
        return Progress("ingreso", done, (Due(*S1, sess[S1].roles, today, today, False),), (), ())
    end = add_months(intake, cadence.months) - timedelta(days=1)
    closing = {(e.track, e.code) for e in entries if sess[e.track, e.code].stage == "cierre"}
    if S22 in held and (closing <= held.keys() or today > end):
        return Progress("egresada", done, (), (), ())

    pending: list[Due] = []
    graces = dict(cadence.grace_days)
    for e in entries:
        s = sess[e.track, e.code]
        if (e.track, e.code) in held or any(p not in held for p in e.after):
            continue
        nom_from = add_months(intake, e.month_from - 1)
        nom_by = add_months(intake, e.month_to) - timedelta(days=1)
        start = max([nom_from] + [held[p] + timedelta(days=cadence.gap_days) for p in e.after])
        by = nom_by if start == nom_from else max(nom_by, min(start + (nom_by - nom_from), end))
        grace = e.grace_days if e.grace_days is not None else graces.get(s.type, graces["default"])
        late = today > max(by, start) + timedelta(days=grace)
        pending.append(Due(s.track, s.code, s.roles, start, max(by, start), late))
    due = tuple(d for d in pending if d.due_from <= today)
    family = [sess[d.track, d.code] for d in pending
              if d.track == "aps" and sess[d.track, d.code].type == "familiar"]
    if S22 in held or any((d.track, d.code) == S22 for d in due):
        stage = "cierre"
    else:
        stage = next((s.stage for s in family if s.stage != "cierre"), "apoyo_bienestar")
    return Progress(stage, done, due, tuple(d for d in due if d.overdue),
                    tuple(d for d in pending if d.due_from > today))


def next_due_by_role(p: Progress) -> dict[str, Due]:
    """Role code → the first due session for that role, else its first upcoming one."""
    out: dict[str, Due] = {}
    for d in p.due + p.upcoming:
        for role in d.roles:
            out.setdefault(role, d)
    return out
