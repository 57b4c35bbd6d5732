"""The bad-file corpus through the admin's command line (`python -m bot families-import` and
`catastro-import`, run in-process): one clear sentence and exit status 1 for every bad file, never a
traceback; the good encodings import."""
import pytest

from tests.e2e.test_cli import SETTINGS_VARIABLES
from tests.security.corpus import cases

FILE_MESSAGES = {  # program.csv_file.BadFile reasons, as texts/csv_files.py says them in Spanish
    "empty": "El archivo está vacío",
    "too_big": "El archivo es muy grande (el máximo es 2 MB)",
    "nul_bytes": "tiene caracteres nulos",
    "not_text": "no parece un archivo CSV de texto",
}
ROW_MESSAGES = {
    "cell_too_long": "una celda tiene más de 2000 caracteres",
    "too_many_rows": "el archivo tiene más de 10000 filas",
    "no_rows": "el archivo no tiene filas",
    "missing_column": "faltan columnas",
    "too_long": "es demasiado largo",
}


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_API_BASE_URL", "http://127.0.0.1:9")
    return tmp_path


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    from bot.cli import main

    with pytest.raises(SystemExit) as raised:  # anything else escaping main() fails the test
        main(argv)
    captured = capsys.readouterr()
    return raised.value.code, captured.out, captured.err


def fresh_unit(cli_env, monkeypatch, capsys, name: str) -> None:
    """A database of its own per case: a cohort imported once cannot be imported again (codes, RUNs)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{cli_env / f'{name}.sqlite3'}")
    assert run(["unit-create", "--comuna", "Conchalí", "--name", "UIF Conchalí"], capsys)[0] == 0


@pytest.mark.parametrize("kind, command, imported", [
    ("cohort", "families-import", "Familias importadas: 2. Integrantes: 3."),
    ("catastro", "catastro-import", "Catastro importado:"),
])
def test_bad_files_from_the_command_line(cli_env, monkeypatch, capsys, kind, command, imported):
    corpus = cases(kind)
    imported_before = True
    for case in corpus:
        if imported_before and kind == "cohort":  # a refused file writes nothing: the database stays usable
            fresh_unit(cli_env, monkeypatch, capsys, f"{kind}-{case.name}")
        elif imported_before:
            fresh_unit(cli_env, monkeypatch, capsys, kind)
        imported_before = kind == "cohort" and case.outcome == "ok"
        path = cli_env / f"{case.name}.csv"
        path.write_bytes(case.data)
        status, out, err = run([command, "--unit", "1", str(path)], capsys)
        assert "Traceback" not in out + err, (case.name, err)
        if case.outcome == "ok":
            assert status == 0 and imported in out, (case.name, out, err)
        elif case.outcome in FILE_MESSAGES:
            assert status == 1 and err.startswith(f"No pude importar {path}.") \
                and FILE_MESSAGES[case.outcome] in err, (case.name, err)
            assert len(err.strip().splitlines()) == 1, err  # one sentence
        else:
            assert status == 1 and "No se importó nada" in err and ROW_MESSAGES[case.outcome] in err, (case.name, err)
    assert len(corpus) >= 28


def test_a_missing_file_or_a_folder_is_one_sentence(cli_env, monkeypatch, capsys):
    fresh_unit(cli_env, monkeypatch, capsys, "paths")
    status, _out, err = run(["catastro-import", "--unit", "1", str(cli_env / "no-existe.csv")], capsys)
    assert status == 1 and "No pude leer el archivo" in err and "Traceback" not in err
    status, _out, err = run(["families-import", "--unit", "1", str(cli_env)], capsys)
    assert status == 1 and "No pude leer el archivo" in err and "Traceback" not in err
