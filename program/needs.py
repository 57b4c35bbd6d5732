"""The needs a local service may answer, by área (laboral/capacitacional, social, familiar vincular,
jurídico), from the "Tabla organizadora para el levantamiento de recursos municipales y comunales".

The shipped ``program/data/needs.yaml`` holds them; the Catastro stores need ids, so ids never change.
Pure Python: no bot, no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

AREAS = ("laboral", "social", "familiar", "juridico")  # fixed by the table; needs.yaml must agree
_ID = re.compile(r"^[a-z]+\.[a-z0-9_]+$")


class NeedsError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("necesidades inválidas:\n- " + "\n- ".join(self.errors))


@dataclass(frozen=True)
class Need:
    id: str  # "laboral.nivelacion_estudios": the área, a dot, the need
    area: str
    name: str


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    emoji: str
    needs: tuple[Need, ...]


@dataclass(frozen=True)
class Needs:
    version: str
    areas: tuple[Area, ...]

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    def need(self, need_id: str) -> Need:
        for area in self.areas:
            for need in area.needs:
                if need.id == need_id:
                    return need
        raise KeyError(need_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(need.id for area in self.areas for need in area.needs)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_area(i: int, area: Any, seen: set[str]) -> list[str]:
    if not isinstance(area, dict):
        return [f"ámbito #{i + 1}: debe ser un mapa con id, name, emoji, needs"]
    where = f"ámbito {area.get('id', f'#{i + 1}')}"
    errors = [f"{where}: falta '{key}'" for key in ("id", "name", "emoji") if not _text(area.get(key))]
    errors += [f"{where}: campo desconocido '{key}'" for key in sorted(set(area) - {"id", "name", "emoji", "needs"})]
    needs = area.get("needs")
    if not isinstance(needs, list) or not needs:
        return errors + [f"{where}: 'needs' debe ser una lista no vacía"]
    for j, need in enumerate(needs):
        if not isinstance(need, dict) or not _text(need.get("id")) or not _text(need.get("name")):
            errors.append(f"{where}: necesidad #{j + 1} requiere 'id' y 'name'")
            continue
        if set(need) - {"id", "name"}:
            errors.append(f"{where}: necesidad {need['id']}: campos desconocidos {sorted(set(need) - {'id', 'name'})}")
        if not _ID.match(need["id"]) or need["id"].split(".")[0] != area.get("id"):
            errors.append(f"{where}: id inválido '{need['id']}' (ej. '{area.get('id')}.nivelacion_estudios')")
        if need["id"] in seen:
            errors.append(f"{where}: necesidad '{need['id']}' repetida")
        seen.add(need["id"])
    return errors


def validate_needs(raw: Any) -> list[str]:
    """Every problem in a parsed needs file, as Spanish messages."""
    if not isinstance(raw, dict):
        return ["el archivo debe ser un mapa con 'version' y 'areas'"]
    errors = [] if _text(raw.get("version")) else ["falta 'version'"]
    errors += [f"clave desconocida '{key}'" for key in sorted(set(raw) - {"version", "areas"})]
    areas = raw.get("areas")
    if not isinstance(areas, list):
        return errors + ["'areas' debe ser una lista"]
    ids = [a.get("id") for a in areas if isinstance(a, dict)]
    if ids != list(AREAS):
        errors.append(f"los ámbitos deben ser {list(AREAS)}, en ese orden, no {ids}")
    seen: set[str] = set()
    for i, area in enumerate(areas):
        errors += _check_area(i, area, seen)
    return errors


def build_needs(raw: Any) -> Needs:
    errors = validate_needs(raw)
    if errors:
        raise NeedsError(errors)
    return Needs(version=str(raw["version"]), areas=tuple(
        Area(a["id"], " ".join(a["name"].split()), a["emoji"],
             tuple(Need(n["id"], a["id"], " ".join(n["name"].split())) for n in a["needs"]))
        for a in raw["areas"]))


def load_needs(path: str | Path | None = None) -> Needs:
    """The packaged needs.yaml (or another file), validated."""
    if path is None:
        text = resources.files("program").joinpath("data/needs.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise NeedsError([f"YAML inválido: {exc}"]) from exc
    return build_needs(raw)


@cache
def needs() -> Needs:
    """The shipped list, loaded once."""
    return load_needs()
