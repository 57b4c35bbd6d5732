"""The Matriz de Bienestar: dimensions, indicators, states and measurement moments.

The shipped ``program/data/matriz.yaml`` holds the five dimensions and the indicators the
source documents name; a unit imports the full official list (63 indicators) as CSV with
:func:`merge_indicators_csv`. Pure Python: no bot, no database.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class MatrizError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("matriz inválida:\n- " + "\n- ".join(self.errors))


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    emoji: str


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str  # a Dimension.id
    text: str


@dataclass(frozen=True)
class State:
    id: str
    name: str


@dataclass(frozen=True)
class Moment:
    id: str
    name: str


@dataclass(frozen=True)
class Matriz:
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    states: tuple[State, ...]
    moments: tuple[Moment, ...]

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def indicators_for(self, dimension_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.dimension == dimension_id)


# The five dimensions are fixed by the program; matriz.yaml must agree (a test checks it).
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("trabajo", "Trabajo y Seguridad Social", "💼"),
    Dimension("ingresos", "Ingresos", "💰"),
    Dimension("salud", "Salud", "🩺"),
    Dimension("educacion", "Educación", "📚"),
    Dimension("vivienda", "Vivienda y Entorno", "🏠"),
)
STATES = ("a_trabajar", "logrado")
MOMENTS = ("linea_base", "linea_salida")
_CODE = re.compile(r"^i\d{1,3}$")


def _fold(text: str) -> str:
    """Lower-case, accents removed, spaces collapsed: 'Educación ' -> 'educacion'."""
    nfkd = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in nfkd if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _validate(raw: Any) -> list[str]:
    if not isinstance(raw, dict):
        return ["la matriz debe ser un mapa con 'dimensions', 'indicators', 'states', 'moments'"]
    errors: list[str] = []
    dims = raw.get("dimensions") or []
    ids = [d.get("id") for d in dims if isinstance(d, dict)]
    if sorted(map(str, ids)) != sorted(d.id for d in DIMENSIONS):
        errors.append(f"las dimensiones deben ser {[d.id for d in DIMENSIONS]}, no {ids}")
    for d in dims:
        if not isinstance(d, dict) or not all(d.get(k) for k in ("id", "name", "emoji")):
            errors.append(f"dimensión incompleta: {d!r} (requiere id, name, emoji)")
    seen: set[str] = set()
    for ind in raw.get("indicators") or []:
        if not isinstance(ind, dict) or not all(ind.get(k) for k in ("code", "dimension", "text")):
            errors.append(f"indicador incompleto: {ind!r}")
            continue
        if ind["dimension"] not in ids:
            errors.append(f"indicador {ind['code']}: dimensión desconocida '{ind['dimension']}'")
        if ind["code"] in seen:
            errors.append(f"indicador {ind['code']} repetido")
        seen.add(ind["code"])
    for key, expected in (("states", STATES), ("moments", MOMENTS)):
        got = tuple(x.get("id") for x in raw.get(key) or [] if isinstance(x, dict))
        if got != expected:
            errors.append(f"'{key}' debe ser {list(expected)}, no {list(got)}")
    return errors


def load_matriz(path: str | Path | None = None) -> Matriz:
    """Load the packaged matriz.yaml (or a unit's own file) and validate it."""
    if path is None:
        text = resources.files("program").joinpath("data/matriz.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MatrizError([f"YAML inválido: {exc}"]) from exc
    errors = _validate(raw)
    if errors:
        raise MatrizError(errors)
    return Matriz(
        dimensions=tuple(Dimension(d["id"], d["name"], d["emoji"]) for d in raw["dimensions"]),
        indicators=tuple(Indicator(str(i["code"]), i["dimension"], " ".join(i["text"].split()))
                         for i in raw.get("indicators") or []),
        states=tuple(State(s["id"], s["name"]) for s in raw["states"]),
        moments=tuple(Moment(m["id"], m["name"]) for m in raw["moments"]),
    )


def merge_indicators_csv(
    text: str, dimensions: Iterable[Dimension] | None = None
) -> tuple[list[Indicator], list[str]]:
    """Parse a CSV ``code,dimension,text`` into indicators, with per-row errors.

    The dimension may be given by id (``salud``) or name (``Vivienda y Entorno``), in any
    case and with or without accents. Rows are numbered as in a spreadsheet (header = fila 1).
    Comma or semicolon separated. A bad row is reported and skipped; good rows are returned.
    """
    dims = tuple(dimensions) if dimensions is not None else DIMENSIONS
    lookup = {_fold(d.id): d.id for d in dims} | {_fold(d.name): d.id for d in dims}
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(rows, None)
    if header is None or [_fold(h) for h in header] != ["code", "dimension", "text"]:
        return [], ["fila 1: el encabezado debe ser 'code,dimension,text'"]
    indicators: list[Indicator] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            errors.append(f"fila {n}: se esperaban 3 columnas y hay {len(row)}")
            continue
        code, dim, body = (cell.strip() for cell in row)
        code = code.lower()
        row_errors = []
        if not _CODE.match(code):
            row_errors.append(f"fila {n}: código inválido '{code}' (ej. 'i32')")
        elif code in seen:
            row_errors.append(f"fila {n}: código '{code}' repetido (ya en fila {seen[code]})")
        dim_id = lookup.get(_fold(dim))
        if dim_id is None:
            row_errors.append(f"fila {n}: dimensión desconocida '{dim}'")
        if not body:
            row_errors.append(f"fila {n}: texto vacío")
        if row_errors or dim_id is None:
            errors += row_errors
            continue
        seen[code] = n
        indicators.append(Indicator(code=code, dimension=dim_id, text=" ".join(body.split())))
    return indicators, errors
