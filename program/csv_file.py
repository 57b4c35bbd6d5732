"""A CSV file a person brings (the cohort, the Catastro): its bytes to text, its limits and its rows.

Both importers, from the chat and from the command line, go through here, so a bad file gets one clear
reason and never a traceback. Excel in Chile saves «CSV» in Windows-1252 with `;` (decimal comma), its
«Unicode text» in UTF-16 with a BOM and tabs, «CSV UTF-8» with a BOM; old Mac tools end lines with CR
only. Pure: no I/O.
"""
import codecs
import csv
import io
from dataclasses import dataclass, field

from program.csv_export import needs_guard
from program.csv_rows import RowError, column_name, delimiter

# Documented limits (README, «Bad files»). The byte limit is measured on the bytes read or downloaded,
# never taken from the size a Telegram client declares.
MAX_FILE_BYTES = 2_000_000  # a few thousand rows; Telegram lets bots download up to 20 MB
MAX_ROWS = 10_000  # data rows: a unit has ~1,000 people and a Catastro a few hundred entries
MAX_CELL_CHARS = 2_000  # twice the longest column (1,000): a bigger cell is a broken or hostile file
# More control characters than this share of the text: a binary file (a photo, an .xlsx renamed .csv).
CONTROL_SHARE = 0.01
_KEEP = frozenset("\t\n")  # after line endings are unified, the only control characters a CSV carries
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


class BadFile(ValueError):
    """The whole file is refused; `reason` is an id the caller translates (texts/csv_files.py):
    empty, too_big, nul_bytes, not_text."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 or 127 <= code < 160) and ch not in _KEEP


def decode(data: bytes) -> str:
    """The file's text, with line endings unified to "\\n".

    Detection order, and why: (1) a BOM says the encoding (UTF-8, UTF-16 LE/BE) — Excel writes one for
    «CSV UTF-8» and «Unicode text»; (2) strict UTF-8, because a Windows-1252 file with accents is almost
    never valid UTF-8 (an «é» is a lone 0xE9) while every byte string decodes as a single-byte encoding;
    (3) Windows-1252, which also reads Latin-1 files right: both agree on every letter (ñ, á, ü are
    0xA0-0xFF in both) and differ only in 0x80-0x9F, where Latin-1 has control codes no spreadsheet writes.
    The five bytes Windows-1252 leaves undefined fall back to Latin-1 and then count as control characters.
    """
    if len(data) > MAX_FILE_BYTES:
        raise BadFile("too_big", str(MAX_FILE_BYTES))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")  # the file names its encoding
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text:  # PostgreSQL refuses NUL in text; a BOM-less UTF-16 file looks like this too
        raise BadFile("nul_bytes")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows, and CR-only (old Mac) files
    if not text.strip():
        raise BadFile("empty")
    controls = sum(1 for ch in text if _is_control(ch))
    if controls > CONTROL_SHARE * len(text):
        raise BadFile("not_text")
    if controls:  # a stray one (DOS end-of-file 0x1A, a vertical tab) is invisible junk: a space instead
        text = "".join(" " if _is_control(ch) else ch for ch in text)
    return text


def strip_formula_guard(value: str) -> str:
    """Undo program.csv_export.safe_cell on import: "'=SUM(A1)" and "'+56 2 2345 6789" read back as
    written, so an export imported again round-trips. A quote before anything else is the person's text."""
    return value[1:] if value.startswith("'") and needs_guard(value[1:]) else value


@dataclass
class Table:
    """The rows of a file: cells by normalised column name, numbered as the file's lines (header = 1).
    `extra` holds the cells beyond the header's columns; `errors` the rows refused before any import rule."""

    header: list[str]
    rows: list[tuple[int, dict[str, str], list[str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_table(text: str) -> Table:
    """Comma, semicolon or tab separated (the header line tells which); blank rows skipped; a cell over
    MAX_CELL_CHARS characters is a row reason, more than MAX_ROWS data rows the only reason reported."""
    text = text.lstrip("\ufeff")  # text a caller decoded itself may keep the BOM
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    table = Table([])
    try:
        for cells in reader:
            line = reader.line_num
            if not table.header:
                table.header = [column_name(name) for name in cells]
                continue
            cells = [strip_formula_guard(cell) for cell in cells]
            if not any(cell.strip() for cell in cells):
                continue  # Excel leaves rows of bare separators at the end
            if len(table.rows) >= MAX_ROWS:  # the file is refused as it is: no report of 10,000 rows
                return Table(table.header, [], [RowError(line, "too_many_rows", str(MAX_ROWS))])
            if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                table.errors.append(RowError(line, "cell_too_long", str(MAX_CELL_CHARS)))
                continue
            named = dict(zip(table.header, cells, strict=False))  # short rows are padded below, long ones kept
            named.update({name: "" for name in table.header[len(cells):]})
            table.rows.append((line, {k: v for k, v in named.items() if k}, cells[len(table.header):]))
    except csv.Error:  # csv's own refusal, a cell over its 131,072-character limit, ends the reading
        table.errors.append(RowError(reader.line_num, "cell_too_long", str(MAX_CELL_CHARS)))
    return table
