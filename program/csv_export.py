"""Cells a spreadsheet must show as text, never run: the one guard every export uses (the Catastro CSV
today, XLSX and the data-subject exports later). Pure: no I/O.

A cell that starts with = + - @, a tab or a carriage return is read by Excel, LibreOffice and Google
Sheets as a formula («CSV injection», OWASP): "=HYPERLINK(...)" typed into the Catastro by anyone who
can edit it would run on the jefe's computer. OWASP's rule is to prefix such cells with a single quote,
which the spreadsheet shows as text and hides. That includes phone numbers like "+56 2 2345 6789" and
negative-looking text like "-- sin dato --": we follow the rule without exceptions (a list of «safe»
shapes is exactly what an attacker studies), and our importer removes the quote again
(program.csv_file.strip_formula_guard), so an export imported back round-trips.
"""
import csv
import io
from collections.abc import Iterable

DANGEROUS_STARTS = frozenset("=+-@\t\r")


def needs_guard(text: str) -> bool:
    """Starts like a formula, or like an already guarded one (so "'=x" typed by a person survives the
    export's quote and the import's removal of it)."""
    rest = text.lstrip("'")
    return bool(rest) and rest[0] in DANGEROUS_STARTS


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if needs_guard(text) else text


def write_csv(rows: Iterable[Iterable[object]], *, delimiter: str) -> str:
    """Rows (the header first) as CSV text with CRLF line ends, every cell through safe_cell."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
