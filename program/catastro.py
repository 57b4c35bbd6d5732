"""An entry of the Catastro de Instituciones y Organizaciones Comunitarias (Guía N°19): the guide's fields,
their limits, and how typed or imported values are cleaned. Pure Python: no bot, no database."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from program.matriz import DIMENSIONS
from program.needs import needs

# The guide's text fields, in its order, with the database's sizes (PostgreSQL refuses longer text).
TEXT_LIMITS = {
    "name": 200, "contact_person": 120, "address": 200, "sector": 120, "phones": 120, "email_web": 200,
    "target_population": 1000, "theme": 200, "programs_services": 1000, "access_requirements": 1000,
}
LONG_TEXT = frozenset({"target_population", "programs_services", "access_requirements"})
LIST_FIELDS = ("dimensions", "needs")
FIELDS = tuple(TEXT_LIMITS) + LIST_FIELDS
_SEPARATORS = re.compile(r"[;,|\n]")


class FieldProblem(ValueError):
    def __init__(self, kind: str, field: str, detail: str = ""):
        super().__init__(f"{field}: {kind} {detail}".strip())
        self.kind, self.field, self.detail = kind, field, detail  # kind: missing | too_long | unknown


@dataclass(frozen=True)
class EntryData:
    name: str
    contact_person: str | None = None
    address: str | None = None
    sector: str | None = None
    phones: str | None = None
    email_web: str | None = None
    target_population: str | None = None
    theme: str | None = None
    dimensions: tuple[str, ...] = ()
    programs_services: str | None = None
    access_requirements: str | None = None
    needs: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


def fold(text: str | None) -> str:
    """For names compared and searched: case, accents and spacing do not matter."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def clean_text(field: str, value: str | None) -> str | None:
    """A field's value as stored: spaces tidied (line breaks kept in long texts), None when empty."""
    if field not in TEXT_LIMITS:
        raise FieldProblem("unknown", field)
    text = value or ""
    if field in LONG_TEXT:
        text = "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()
    else:
        text = " ".join(text.split())
    if len(text) > TEXT_LIMITS[field]:
        raise FieldProblem("too_long", field, str(TEXT_LIMITS[field]))
    if not text and field == "name":
        raise FieldProblem("missing", field)
    return text or None


def _ordered(values: Iterable[str], order: tuple[str, ...]) -> tuple[str, ...]:
    chosen = set(values)
    return tuple(value for value in order if value in chosen)


def dimension_ids(values: Iterable[str]) -> tuple[str, ...]:
    """Matriz dimension ids (or their names, any case, with or without accents), in the Matriz's order;
    FieldProblem("unknown", "dimensions", value) names the first that is neither."""
    lookup = {fold(d.id): d.id for d in DIMENSIONS} | {fold(d.name): d.id for d in DIMENSIONS}
    found = []
    for value in values:
        if not fold(value):
            continue
        if fold(value) not in lookup:
            raise FieldProblem("unknown", "dimensions", value.strip())
        found.append(lookup[fold(value)])
    return _ordered(found, tuple(d.id for d in DIMENSIONS))


def need_ids(values: Iterable[str]) -> tuple[str, ...]:
    """Need ids of program/data/needs.yaml, in its order; FieldProblem names the first unknown one."""
    known = needs().ids
    found = []
    for value in values:
        value = value.strip().lower()
        if not value:
            continue
        if value not in known:
            raise FieldProblem("unknown", "needs", value)
        found.append(value)
    return _ordered(found, known)


def split_list(cell: str | None) -> list[str]:
    """A cell listing several values: separated by ";" (or "," or "|")."""
    return [part.strip() for part in _SEPARATORS.split(cell or "") if part.strip()]


def clean_entry(data: EntryData) -> EntryData:
    """Every field cleaned and checked; raises the first FieldProblem."""
    values: dict[str, Any] = {field: clean_text(field, getattr(data, field)) for field in TEXT_LIMITS}
    return EntryData(**values, dimensions=dimension_ids(data.dimensions), needs=need_ids(data.needs))
