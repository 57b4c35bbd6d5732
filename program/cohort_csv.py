"""Validation of a unit's cohort CSV (one row per member, grouped by family code). Pure: no I/O."""
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from program.clock import parse_date
from program.csv_rows import RowError, column_name, delimiter
from program.roles import Trajectory
from program.run import InvalidRun, normalise_run

COLUMNS = ("codigo_familia", "apellido_familia", "sector", "trayectoria", "nombres", "apellidos", "run",
           "parentesco", "representante", "cobra_bono", "fecha_nacimiento")
REQUIRED = ("codigo_familia", "apellido_familia", "nombres", "run", "representante")
# The database's column sizes: PostgreSQL refuses longer text, so the report says it first.
MAX_LENGTHS = {"codigo_familia": 40, "apellido_familia": 120, "sector": 120, "nombres": 120, "apellidos": 120,
               "parentesco": 40}
YES, NO = {"si", "sí", "s", "x", "1", "true", "yes", "y", "wi"}, {"", "no", "n", "0", "false", "non"}


@dataclass
class MemberRow:
    line: int
    given_names: str
    surnames: str
    run: str
    relation: str
    is_representative: bool
    is_bono_collector: bool
    birth_date: date | None


@dataclass
class FamilyRows:
    code: str
    family_name: str
    sector: str
    trajectory: str
    first_line: int
    members: list[MemberRow] = field(default_factory=list)
    representatives: int = 0  # rows marked as representative, valid or not


def _flag(value: str, line: int, column: str, errors: list[RowError]) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text not in NO:
        errors.append(RowError(line, "bad_flag", column))
    return False


def _member(row: dict, line: int, errors: list[RowError], seen_runs: dict[str, int]) -> MemberRow | None:
    start = len(errors)
    for column in REQUIRED:
        if not (row.get(column) or "").strip():
            errors.append(RowError(line, "missing_field", column))
    for column, limit in MAX_LENGTHS.items():
        if len((row.get(column) or "").strip()) > limit:
            errors.append(RowError(line, "too_long", column))
    run = ""
    if (row.get("run") or "").strip():
        try:
            run = normalise_run(row["run"])
        except InvalidRun:
            errors.append(RowError(line, "bad_run"))
    if run and run in seen_runs:
        errors.append(RowError(line, "run_repeated", str(seen_runs[run])))
    elif run:
        seen_runs[run] = line
    birth = None
    if (row.get("fecha_nacimiento") or "").strip():
        try:
            birth = parse_date(row["fecha_nacimiento"])
        except ValueError:
            errors.append(RowError(line, "bad_date", "fecha_nacimiento"))
    representative = _flag(row.get("representante") or "", line, "representante", errors)
    collector = _flag(row.get("cobra_bono") or "", line, "cobra_bono", errors)
    if len(errors) > start:
        return None
    return MemberRow(line, row["nombres"].strip(), (row.get("apellidos") or "").strip(), run,
                     (row.get("parentesco") or "").strip(), representative, collector, birth)


def _same_name(given: str, known: str) -> bool | None:
    """None when the row leaves the family name blank; case and spacing do not matter."""
    given = " ".join(given.split()).casefold()
    return None if not given else given == " ".join(known.split()).casefold()


def parse_cohort(text: str) -> tuple[list[FamilyRows], list[RowError]]:
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter(text))
    header = [column_name(name) for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        return [], [RowError(1, "missing_column", ", ".join(missing))]
    reader.fieldnames = header
    families: dict[str, FamilyRows] = {}
    errors: list[RowError] = []
    seen_runs: dict[str, int] = {}
    for row in reader:
        line = reader.line_num  # the file's own line (blank lines and quoted line breaks counted)
        row = {key: (value or "") for key, value in row.items() if key}
        if not any(value.strip() for value in row.values()):
            continue  # Excel leaves rows of bare separators at the end
        code = row.get("codigo_familia", "").strip()
        trajectory = (row.get("trayectoria") or "aps").strip().lower().replace("+", "_").replace(" ", "_")
        if trajectory not in tuple(Trajectory):
            errors.append(RowError(line, "bad_trajectory", trajectory))
        family = families.get(code)
        if code and family is None:
            family = families[code] = FamilyRows(code, row.get("apellido_familia", "").strip(),
                                                 row.get("sector", "").strip(), trajectory, line)
        elif family is not None and _same_name(row.get("apellido_familia", ""), family.family_name) is False:
            errors.append(RowError(line, "family_name_conflict", code))
        if family is not None and (row.get("representante") or "").strip().lower() in YES:
            family.representatives += 1
        member = _member(row, line, errors, seen_runs)
        if member is not None and family is not None:
            family.members.append(member)
    if not families and not errors:
        errors.append(RowError(1, "no_rows"))
    for family in families.values():
        if family.representatives == 0:
            errors.append(RowError(family.first_line, "no_representative", family.code))
        elif family.representatives > 1:
            errors.append(RowError(family.first_line, "two_representatives", family.code))
    return list(families.values()), sorted(errors, key=lambda error: error.line)
