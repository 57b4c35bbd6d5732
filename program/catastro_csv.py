"""The Catastro as a CSV file: one row per institution or organisation, the guide's fields as columns.
Parsing reports every bad row (the caller imports nothing then); writing gives what parsing reads back.
Pure: no I/O."""
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from program.catastro import TEXT_LIMITS, EntryData, FieldProblem, clean_text, dimension_ids, fold, need_ids, \
    split_list
from program.csv_rows import RowError, column_name, delimiter

# Column -> EntryData field, in the file's order.
COLUMNS = {
    "nombre": "name", "persona_contacto": "contact_person", "direccion": "address", "sector": "sector",
    "telefonos": "phones", "email_web": "email_web", "poblacion_objetivo": "target_population",
    "tematica": "theme", "dimensiones": "dimensions", "programas_servicios": "programs_services",
    "requisitos_acceso": "access_requirements", "necesidades": "needs",
}
FIELD_COLUMNS = {field: column for column, field in COLUMNS.items()}
EXPORT_DELIMITER = ";"  # what Excel in Chile reads and writes (decimal comma)


@dataclass(frozen=True)
class CatastroRow:
    line: int
    data: EntryData


def _row(row: dict, line: int) -> tuple[EntryData | None, list[RowError]]:
    errors: list[RowError] = []
    values: dict = {}
    for field in TEXT_LIMITS:
        try:
            values[field] = clean_text(field, row.get(FIELD_COLUMNS[field]))
        except FieldProblem as problem:
            reason = "missing_field" if problem.kind == "missing" else "too_long"
            errors.append(RowError(line, reason, FIELD_COLUMNS[field]))
    for field, check, reason in (("dimensions", dimension_ids, "bad_dimension"), ("needs", need_ids, "bad_need")):
        cells = split_list(row.get(FIELD_COLUMNS[field]))
        for cell in cells:  # one by one, so the report names every unknown value
            try:
                check([cell])
            except FieldProblem as problem:
                errors.append(RowError(line, reason, problem.detail))
        if not errors:
            values[field] = check(cells)
    return (None, errors) if errors else (EntryData(**values), [])


def parse_catastro(text: str) -> tuple[list[CatastroRow], list[RowError]]:
    """Rows numbered as the file's lines (header = 1); comma, semicolon or tab separated."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter(text))
    header = [column_name(name) for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return [], [RowError(1, "missing_column", ", ".join(missing))]
    reader.fieldnames = header
    rows: list[CatastroRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        extra = [cell for cell in raw.pop(None, None) or () if cell.strip()]
        raw = {key: (value or "") for key, value in raw.items() if key}
        if not any(value.strip() for value in raw.values()) and not extra:
            continue  # Excel leaves rows of bare separators at the end
        data, row_errors = _row(raw, line)
        if extra:  # more cells than columns: an unquoted separator would shift or lose data
            row_errors.append(RowError(line, "extra_cells"))
            data = None
        name = fold(raw.get("nombre"))
        if name and name in seen:
            row_errors.append(RowError(line, "duplicate", str(seen[name])))
        elif name:
            seen[name] = line
        errors += row_errors
        if data is not None and not row_errors:
            rows.append(CatastroRow(line, data))
    if not rows and not errors:
        errors.append(RowError(1, "no_rows"))
    return rows, errors


def format_catastro(entries: Iterable[EntryData]) -> str:
    """The file a unit opens in a spreadsheet and can import again (lists separated by ";")."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=EXPORT_DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for data in entries:
        cells = []
        for field in COLUMNS.values():
            value = getattr(data, field)
            cells.append("; ".join(value) if isinstance(value, tuple) else (value or ""))
        writer.writerow(cells)
    return out.getvalue()
