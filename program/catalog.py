"""The session catalog of Programa Familias, loaded from a data file.

The shipped file is ``program/data/catalog.yaml`` (built from the Guías Metodológicas);
a unit may point :func:`load_catalog` at its own copy. Pure Python: no bot, no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

TRACKS = {
    "aps": "Acompañamiento Psicosocial",
    "asl": "Acompañamiento Sociolaboral",
    "transversal": "Gestión Sociocomunitaria",
}
ROLES = frozenset({"afi", "gestor_socio", "gestor_familiar", "jefe"})
TYPES = frozenset({"familiar", "individual", "grupal", "comunitaria", "transversal"})
FLAGS = frozenset({
    "bono_followup", "linea_base", "linea_salida", "asl_choice", "mi_territorio",
    "plan_familiar", "plan_laboral", "carta_compromiso", "matriz",
})
DIMENSIONS = frozenset({"trabajo", "ingresos", "salud", "educacion", "vivienda"})
MONTHS = range(1, 25)  # the accompaniment lasts 24 months

_REQUIRED = ("track", "code", "name", "guide", "type", "roles", "stage", "objective",
             "products", "materials_family", "materials_professional", "flags")
_OPTIONAL = ("dimension", "month_from", "month_to")
_LISTS = ("roles", "products", "materials_family", "materials_professional", "flags",
          "dimension")
_CODE = re.compile(r"^[A-Z]+\d+$")


class CatalogError(ValueError):
    """The catalog file is not valid; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("catálogo inválido:\n- " + "\n- ".join(self.errors))


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    order: int


@dataclass(frozen=True)
class Session:
    track: str
    code: str
    name: str
    guide: int
    type: str
    roles: tuple[str, ...]
    stage: str
    objective: str
    products: tuple[str, ...]
    materials_family: tuple[str, ...] = ()
    materials_professional: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    dimension: tuple[str, ...] = ()
    month_from: int | None = None
    month_to: int | None = None

    @property
    def key(self) -> str:
        """A stable id, e.g. ``aps:S7``."""
        return f"{self.track}:{self.code}"

    @property
    def number(self) -> int:
        return int(re.sub(r"\D", "", self.code))

    def has(self, flag: str) -> bool:
        return flag in self.flags


@dataclass(frozen=True)
class Catalog:
    version: str
    stages: tuple[Stage, ...]
    sessions: tuple[Session, ...]

    def session(self, track: str, code: str) -> Session:
        for s in self.sessions:
            if s.track == track and s.code == code:
                return s
        raise KeyError(f"{track}:{code}")

    def stage(self, stage_id: str) -> Stage:
        for st in self.stages:
            if st.id == stage_id:
                return st
        raise KeyError(stage_id)

    def by_track(self, track: str) -> tuple[Session, ...]:
        return tuple(sorted((s for s in self.sessions if s.track == track),
                            key=lambda s: s.number))

    def sessions_for_role(self, role: str) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if role in s.roles)

    def with_flag(self, flag: str) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if flag in s.flags)


def _nonempty_str(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _check_session(i: int, s: Any, stage_ids: set[str]) -> tuple[str, list[str]]:
    if not isinstance(s, dict):
        return f"sesión #{i + 1}", [f"sesión #{i + 1}: debe ser un mapa de campos"]
    where = f"sesión {s.get('track', '?')}/{s.get('code', '?')}"
    errs: list[str] = []
    for k in _REQUIRED:
        if k not in s:
            errs.append(f"{where}: falta el campo '{k}'")
    for k in sorted(set(s) - set(_REQUIRED) - set(_OPTIONAL)):
        errs.append(f"{where}: campo desconocido '{k}'")
    for k in _LISTS:
        if k in s and not (isinstance(s[k], list) and all(isinstance(x, str) for x in s[k])):
            errs.append(f"{where}: '{k}' debe ser una lista de textos")
    if errs:
        return where, errs
    if s["track"] not in TRACKS:
        errs.append(f"{where}: trayectoria desconocida '{s['track']}'")
    if not (isinstance(s["code"], str) and _CODE.match(s["code"])):
        errs.append(f"{where}: código inválido '{s['code']}' (ej. 'S7', 'G19')")
    for k in ("name", "objective"):
        if not _nonempty_str(s[k]):
            errs.append(f"{where}: '{k}' vacío")
    if not isinstance(s["guide"], int) or isinstance(s["guide"], bool) or s["guide"] < 1:
        errs.append(f"{where}: número de guía inválido '{s['guide']}'")
    if s["type"] not in TYPES:
        errs.append(f"{where}: tipo desconocido '{s['type']}'")
    if not s["roles"]:
        errs.append(f"{where}: sin rol responsable")
    errs += [f"{where}: rol desconocido '{r}'" for r in s["roles"] if r not in ROLES]
    if s["stage"] not in stage_ids:
        errs.append(f"{where}: etapa desconocida '{s['stage']}'")
    errs += [f"{where}: flag desconocido '{f}'" for f in s["flags"] if f not in FLAGS]
    errs += [f"{where}: dimensión desconocida '{d}'"
             for d in s.get("dimension", []) if d not in DIMENSIONS]
    for k in ("roles", "flags", "dimension"):
        if len(set(s.get(k, []))) != len(s.get(k, [])):
            errs.append(f"{where}: '{k}' tiene valores repetidos")
    if not s["products"] and s["type"] != "transversal":
        errs.append(f"{where}: sin productos")
    for k in ("products", "materials_family", "materials_professional"):
        if any(not x.strip() for x in s[k]):
            errs.append(f"{where}: texto vacío en '{k}'")
    month_from, month_to = s.get("month_from"), s.get("month_to")
    for k, m in (("month_from", month_from), ("month_to", month_to)):
        if m is not None and (not isinstance(m, int) or isinstance(m, bool) or m not in MONTHS):
            errs.append(f"{where}: '{k}' debe ser un mes entre 1 y 24")
    if isinstance(month_from, int) and isinstance(month_to, int) and month_from > month_to:
        errs.append(f"{where}: month_from es posterior a month_to")
    return where, errs


def validate_catalog(raw: Any) -> list[str]:
    """Every problem in a parsed catalog file, as human-readable (Spanish) messages."""
    if not isinstance(raw, dict):
        return ["el catálogo debe ser un mapa con 'version', 'stages' y 'sessions'"]
    errors: list[str] = []
    if not _nonempty_str(raw.get("version")):
        errors.append("falta 'version'")
    for k in sorted(set(raw) - {"version", "stages", "sessions"}):
        errors.append(f"clave desconocida '{k}'")
    stages, sessions = raw.get("stages"), raw.get("sessions")
    stage_ids: set[str] = set()
    if not isinstance(stages, list) or not stages:
        errors.append("'stages' debe ser una lista no vacía")
        stages = []
    for i, st in enumerate(stages):
        if not isinstance(st, dict) or not _nonempty_str(st.get("id")) \
                or not _nonempty_str(st.get("name")):
            errors.append(f"etapa #{i + 1}: requiere 'id' y 'name'")
        elif st["id"] in stage_ids:
            errors.append(f"etapa '{st['id']}' repetida")
        else:
            stage_ids.add(st["id"])
    if not isinstance(sessions, list) or not sessions:
        errors.append("'sessions' debe ser una lista no vacía")
        sessions = []
    seen: set[tuple[str, str]] = set()
    for i, s in enumerate(sessions):
        where, errs = _check_session(i, s, stage_ids)
        errors += errs
        if isinstance(s, dict) and "track" in s and "code" in s:
            key = (s["track"], s["code"])
            if key in seen:
                errors.append(f"{where}: código repetido en la trayectoria '{s['track']}'")
            seen.add(key)
    return errors


def build_catalog(raw: Any) -> Catalog:
    """Validate a parsed catalog and turn it into a :class:`Catalog`."""
    errors = validate_catalog(raw)
    if errors:
        raise CatalogError(errors)
    stages = tuple(Stage(id=st["id"], name=st["name"], order=i)
                   for i, st in enumerate(raw["stages"]))
    sessions = tuple(
        Session(
            track=s["track"], code=s["code"], name=s["name"].strip(), guide=s["guide"],
            type=s["type"], roles=tuple(s["roles"]), stage=s["stage"],
            objective=s["objective"].strip(),
            products=tuple(x.strip() for x in s["products"]),
            materials_family=tuple(x.strip() for x in s["materials_family"]),
            materials_professional=tuple(x.strip() for x in s["materials_professional"]),
            flags=frozenset(s["flags"]), dimension=tuple(s.get("dimension", [])),
            month_from=s.get("month_from"), month_to=s.get("month_to"),
        )
        for s in raw["sessions"]
    )
    return Catalog(version=str(raw["version"]), stages=stages, sessions=sessions)


def _default_text() -> str:
    return resources.files("program").joinpath("data/catalog.yaml").read_text("utf-8")


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate the catalog: the packaged one, or a unit's own file."""
    text = _default_text() if path is None else Path(path).read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError([f"YAML inválido: {exc}"]) from exc
    return build_catalog(raw)
