"""The bad-file corpus through the one decoder and both parsers (pure functions): every case ends in the
expected outcome, and nothing but a BadFile or a row reason ever comes out."""
import pytest

from program.catastro_csv import parse_catastro
from program.cohort_csv import parse_cohort
from program.csv_file import MAX_FILE_BYTES, BadFile, decode, read_table
from tests.security.corpus import NAMES, cases

PARSERS = {"catastro": parse_catastro, "cohort": parse_cohort}
FILE_REASONS = {"empty", "too_big", "nul_bytes", "not_text"}


def outcome(kind: str, data: bytes) -> tuple[str, object]:
    try:
        text = decode(data)
    except BadFile as bad:
        return bad.reason, None
    parsed, errors = PARSERS[kind](text)
    return ("ok", parsed) if not errors else ("rows", {error.reason for error in errors})


@pytest.mark.parametrize("kind", ["catastro", "cohort"])
def test_every_bad_file_ends_in_its_outcome(kind):
    tried = 0
    for case in cases(kind):
        got, detail = outcome(kind, case.data)
        tried += 1
        if case.outcome == "ok":
            assert got == "ok", (case.name, got, detail)
            names = ([r.data.contact_person for r in detail] if kind == "catastro"
                     else [m.given_names for f in detail for m in f.members])
            assert NAMES[kind] in names, (case.name, names)  # ñ and á read right, whatever the encoding
        elif case.outcome in FILE_REASONS:
            assert got == case.outcome, (case.name, got, detail)
        else:
            assert got == "rows" and case.outcome in detail, (case.name, got, detail)
    assert tried >= 28


def test_utf8_is_tried_strictly_before_windows_1252():
    assert decode("Ñuñoa".encode()) == "Ñuñoa"  # as cp1252 it would read "Ã‘uÃ±oa"
    assert decode("Ñuñoa".encode("cp1252")) == "Ñuñoa"
    assert decode("“Peña” – €5".encode("cp1252")) == "“Peña” – €5"  # what only Windows-1252 has


def test_line_endings_are_unified_and_quoted_line_breaks_kept():
    text = decode(b'nombre;direccion\r"Sede\r\nNorte";Calle 1\rOtra;Calle 2\r')
    table = read_table(text)
    assert [(line, row["nombre"]) for line, row, _ in table.rows] == [(3, "Sede\nNorte"), (4, "Otra")]  # where each ends


def test_the_byte_limit_is_on_the_bytes_themselves():
    assert decode(b"a;b\n" + b"x" * (MAX_FILE_BYTES - 4))
    with pytest.raises(BadFile) as error:
        decode(b"a;b\n" + b"x" * (MAX_FILE_BYTES - 3))
    assert (error.value.reason, error.value.detail) == ("too_big", str(MAX_FILE_BYTES))


def test_rows_are_numbered_as_the_files_lines_and_long_cells_are_row_reasons():
    data = ("Nombre;Dimensiones\r\rBien;salud\r" + "x" * 2001 + ";salud\r;;\r").encode("cp1252")
    table = read_table(decode(data))
    assert table.header == ["nombre", "dimensiones"]
    assert [(line, row) for line, row, _ in table.rows] == [(3, {"nombre": "Bien", "dimensiones": "salud"})]
    assert [(e.line, e.reason, e.detail) for e in table.errors] == [(4, "cell_too_long", "2000")]
