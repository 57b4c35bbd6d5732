"""`python -m bot ...` as the admin runs it: a real subprocess, a SQLite file, the fake Bot API on loopback."""
import asyncio
import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.databases import postgres_url_or_skip, reset_postgres

TOKEN = "424242:AAHtestTOKENtestTOKENtestTOKENtest12"
SETTINGS_VARIABLES = {"BOT_TOKEN", "DATABASE_URL", "BOT_API_BASE_URL", "DEFAULT_LOCALE", "WEBHOOK_URL",
                      "WEBHOOK_SECRET", "WEBHOOK_HOST", "WEBHOOK_PORT", "LOG_LEVEL", "INVITE_TTL_DAYS", "CATALOG_FILE",
                      "CADENCE_FILE"}
SUBCOMMANDS = ("run", "worker", "migrate", "unit-create", "unit-list", "unit-schedule", "staff-add", "families-import",
               "family-invite")
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens on loopback's discard port: getMe fails at once
CODE = r"[A-HJKMNP-Z2-9]{16}"
HEADER = "codigo_familia,apellido_familia,sector,trayectoria,nombres,apellidos,run,parentesco,representante,cobra_bono\n"
GOOD_ROWS = (
    "F-001,Pérez Soto,Villa Norte,aps,María,Pérez Soto,12.345.678-5,jefa de hogar,sí,sí\n"
    "F-001,Pérez Soto,Villa Norte,aps,Pedro,Pérez Soto,11.111.111-1,hijo,no,no\n"
    "F-002,Joseph,Centro,aps_asl,Jean,Joseph,22.222.222-2,jefe de hogar,sí,sí\n"
)
BAD_ROWS = (  # lines 5-8, after the good file's rows imported a second time
    "F-003,Rojas,Centro,aps,Ana,Rojas,13.131.313-0,jefa de hogar,sí,sí\n"
    "F-004,Díaz,Centro,aps,Luis,Díaz,14.141.414-3,jefe de hogar,no,sí\n"
    "F-004,Díaz,Centro,aps,Rosa,Díaz,15.151.515-0,hija,no,no\n"
    "F-005,Muñoz,Centro,aps,Eva,Muñoz,16.161.616-8,jefa de hogar,sí,sí\n"
)


@dataclass
class Result:
    status: int
    out: str
    err: str


async def cli(*args: str, cwd: Path, **variables: str) -> Result:
    """One `python -m bot` process, with only the settings given here (no .env in cwd)."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(variables, PYTHONIOENCODING="utf-8")
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=90)
    return Result(process.returncode, out.decode(), err.decode())


def assert_clean_failure(result: Result, *expected: str) -> None:
    assert result.status != 0, result
    assert "Traceback" not in result.err, result.err
    for text in expected:
        assert text in result.err, result.err


@pytest.fixture
def sqlite_env(tmp_path) -> dict[str, str]:
    # Telegram itself is never contacted: the Bot API is the fake server or a closed loopback port.
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'acompana.sqlite3'}", "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": CLOSED_PORT}


async def test_help_lists_every_subcommand(tmp_path):
    result = await cli("--help", cwd=tmp_path)
    assert result.status == 0, result
    for command in SUBCOMMANDS:
        assert re.search(rf"^\s+{command}\b", result.out, re.MULTILINE), command


async def test_run_without_token_says_how_to_get_one(tmp_path, sqlite_env):
    result = await cli("run", cwd=tmp_path, **{k: v for k, v in sqlite_env.items() if k != "BOT_TOKEN"})
    assert_clean_failure(result, "Falta BOT_TOKEN", "@BotFather")
    assert result.err.strip().count("\n") == 0


async def test_run_with_malformed_token(tmp_path, sqlite_env):
    result = await cli("run", cwd=tmp_path, **(sqlite_env | {"BOT_TOKEN": "123:not-a-token"}))
    assert_clean_failure(result, "BOT_TOKEN no parece un token de Telegram", "@BotFather")
    assert result.err.strip().count("\n") == 0


async def test_admin_sets_up_a_unit_from_the_command_line(tmp_path, sqlite_env, fake_api):
    env = sqlite_env | {"BOT_API_BASE_URL": fake_api.base_url}
    database = tmp_path / "db" / "acompana.sqlite3"

    migrated = await cli("migrate", cwd=tmp_path, **env)
    assert migrated.status == 0 and "Traceback" not in migrated.err, migrated
    assert database.exists()

    created = await cli("unit-create", "--comuna", "Conchalí", "--name", "UIF Conchalí", "--timezone",
                        "America/Santiago", "--phone", "+56 2 2345 6789", cwd=tmp_path, **env)
    assert created.status == 0 and "Unidad creada con id 1." in created.out, created
    listed = await cli("unit-list", cwd=tmp_path, **env)
    assert listed.status == 0 and listed.out.splitlines() == ["1\tConchalí\tUIF Conchalí\tAmerica/Santiago"], listed

    staff = await cli("staff-add", "--unit", "1", "--name", "Carla Rojas", "--role", "afi", cwd=tmp_path, **env)
    assert staff.status == 0, staff
    link = re.search(rf"https://t\.me/acompana_test_bot\?start=({CODE})\n", staff.out)
    bare = re.search(rf"^Código: ({CODE})$", staff.out, re.MULTILINE)
    assert link and bare and link.group(1) == bare.group(1), staff.out
    assert "Válido hasta el " in staff.out
    assert [call.token for call in fake_api.requests("getMe")] == [TOKEN]

    offline = await cli("staff-add", "--unit", "1", "--name", "Luis Díaz", "--role", "jefe", cwd=tmp_path,
                        **(env | {"BOT_API_BASE_URL": CLOSED_PORT}))
    assert offline.status == 0 and "Traceback" not in offline.err, offline
    assert "https://t.me/" not in offline.out and re.search(rf"^Código: {CODE}$", offline.out, re.MULTILINE)

    # Excel's way: `;`-separated and Windows-1252.
    good = tmp_path / "cohorte.csv"
    good.write_bytes((HEADER + GOOD_ROWS).replace(",", ";").encode("cp1252"))
    imported = await cli("families-import", "--unit", "1", str(good), cwd=tmp_path, **env)
    assert imported.status == 0 and "Familias importadas: 2. Integrantes: 3." in imported.out, imported

    bad = tmp_path / "cohorte-2.csv"
    bad.write_text(HEADER + GOOD_ROWS + BAD_ROWS, encoding="utf-8-sig")
    rejected = await cli("families-import", "--unit", "1", str(bad), cwd=tmp_path, **env)
    assert_clean_failure(rejected, "No se importó nada")
    assert rejected.status == 1
    assert [line for line in rejected.err.splitlines() if line.startswith("fila")] == [
        "fila 2: el código de familia F-001 ya existe en la unidad",
        "fila 2: RUN ya registrado en otra familia",
        "fila 3: RUN ya registrado en otra familia",
        "fila 4: el código de familia F-002 ya existe en la unidad",
        "fila 4: RUN ya registrado en otra familia",
        "fila 5: RUN inválido (revisa el dígito verificador)",
        "fila 6: la familia F-004 no tiene persona representante",
    ]
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT code FROM family ORDER BY code").fetchall() == [("F-001",), ("F-002",)]
        assert connection.execute("SELECT count(*) FROM member").fetchone() == (3,)

    invited = await cli("family-invite", "--unit", "1", "--family", "F-002", cwd=tmp_path, **env)
    assert invited.status == 0, invited
    link = re.search(rf"https://t\.me/acompana_test_bot\?start=({CODE})\n", invited.out)
    bare = re.search(rf"^Código: ({CODE})$", invited.out, re.MULTILINE)
    assert link and bare and link.group(1) == bare.group(1), invited.out
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM invite_code").fetchone() == (3,)
        assert bare.group(1) not in str(connection.execute("SELECT code_hash FROM invite_code").fetchall())


@pytest.mark.parametrize("args, message", [
    (("staff-add", "--unit", "1", "--name", "X", "--role", "director"),
     "Rol desconocido «director»: usa uno de afi, gestor_socio, gestor_familiar, jefe."),
    (("family-invite", "--unit", "7", "--family", "F-001"), "No existe la unidad 7"),
    (("unit-create", "--comuna", "Conchalí", "--name", "UIF", "--timezone", "America/Buenos_Aires"),
     "Zona horaria desconocida «America/Buenos_Aires»"),
])
async def test_bad_input_is_one_clear_line(tmp_path, sqlite_env, args, message):
    result = await cli(*args, cwd=tmp_path, **sqlite_env)
    assert_clean_failure(result, message)
    assert result.err.strip().count("\n") == 0, result.err


async def test_postgresql_migrate_and_unit_create(tmp_path):
    url = postgres_url_or_skip()
    await reset_postgres(url)
    # As hosting platforms give it: postgresql:// without the driver, normalised by the settings.
    env = {"DATABASE_URL": url.replace("postgresql+asyncpg://", "postgresql://", 1)}
    migrated = await cli("migrate", cwd=tmp_path, **env)
    assert migrated.status == 0 and "Traceback" not in migrated.err, migrated
    created = await cli("unit-create", "--comuna", "Punta Arenas", "--name", "UIF Punta Arenas", "--timezone",
                        "America/Punta_Arenas", cwd=tmp_path, **env)
    assert created.status == 0 and "Unidad creada con id 1." in created.out, created


# In-process checks of the same entry point (no subprocess needed).

@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'acompana.sqlite3'}")
    monkeypatch.setenv("BOT_API_BASE_URL", CLOSED_PORT)
    return monkeypatch


def exit_of(argv: list[str], capsys) -> tuple[int, str]:
    from bot.cli import main

    with pytest.raises(SystemExit) as raised:
        main(argv)
    return raised.value.code, capsys.readouterr().err


def test_webhook_mode_needs_url_and_secret(cli_env, capsys):
    cli_env.setenv("BOT_TOKEN", TOKEN)
    status, err = exit_of(["run", "--webhook"], capsys)
    assert status == 2 and "WEBHOOK_URL" in err and "WEBHOOK_SECRET" in err


def test_malformed_setting_stops_before_anything(cli_env, capsys):
    cli_env.setenv("DEFAULT_LOCALE", "fr")
    status, err = exit_of(["unit-list"], capsys)
    assert (status, err.strip()) == (2, "DEFAULT_LOCALE debe ser es, ht o en (se indicó «fr»).")


def test_token_sentence_in_the_default_locale(cli_env, capsys):
    cli_env.setenv("DEFAULT_LOCALE", "ht")
    status, err = exit_of(["run"], capsys)
    assert status == 2 and "@BotFather" in err and "Falta BOT_TOKEN" not in err


def test_catalogs_compile_without_fuzzy_entries_and_fall_back_to_spanish(tmp_path):
    import gettext

    from texts.catalogs import compile_catalogs, translator

    catalog = tmp_path / "src" / "ht" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       'msgid "Código: {code}"\nmsgstr "Kòd: {code}"\n\n'
                       '#, fuzzy\nmsgid "lista las unidades"\nmsgstr "pa bon"\n', encoding="utf-8")
    compile_catalogs(tmp_path / "out", source=tmp_path / "src")
    _ = gettext.translation("messages", localedir=tmp_path / "out", languages=["ht"], fallback=True).gettext
    assert (_("Código: {code}"), _("lista las unidades"), _("otro")) == ("Kòd: {code}", "lista las unidades", "otro")
    # The CLI's own translator reads the shipped catalogs.
    assert translator("ht")("lista las unidades") != "lista las unidades"
    assert translator("es")("lista las unidades") == "lista las unidades"

def test_a_units_bad_catalog_file_stops_the_start_with_its_errors(cli_env, capsys, tmp_path):
    catalog = tmp_path / "catalogo.yaml"
    catalog.write_text("version: x\nstages: []\nsessions: []\n", encoding="utf-8")
    cli_env.setenv("CATALOG_FILE", str(catalog))
    cli_env.setenv("BOT_TOKEN", TOKEN)
    status, err = exit_of(["worker"], capsys)
    assert status == 2 and "CATALOG_FILE" in err and "\n- " in err, err
    cli_env.setenv("CATALOG_FILE", str(tmp_path / "no-existe.yaml"))
    status, err = exit_of(["run"], capsys)
    assert status == 2 and "no-existe.yaml" in err and "FileNotFoundError" in err, err


def test_unit_schedule_shows_validates_and_stores_a_units_own_values(cli_env, capsys):
    assert exit_of(["unit-create", "--comuna", "Natales", "--name", "UIF Natales", "--timezone",
                    "America/Punta_Arenas"], capsys)[0] == 0
    status, err = exit_of(["unit-schedule", "--unit", "1", "--set", "bono_day=40", "quiet_start=25:00", "nope=1"],
                          capsys)
    assert status == 1 and "No cambié nada" in err and "'bono_day'" in err and "nope" in err, err


def test_unit_schedule_output(cli_env, capsys):
    from bot.cli import main

    for argv in (["unit-create", "--comuna", "Natales", "--name", "UIF Natales"],
                 ["unit-schedule", "--unit", "1", "--set", "bono_day=15", "quiet_start=20:00"]):
        with pytest.raises(SystemExit):
            main(argv)
    capsys.readouterr()
    with pytest.raises(SystemExit) as raised:
        main(["unit-schedule", "--unit", "1"])
    out = capsys.readouterr().out
    assert raised.value.code == 0 and "bono_day: 15" in out and "quiet_start: 20:00" in out and "quiet_end: 09:00" in out
    with pytest.raises(SystemExit):
        main(["unit-schedule", "--unit", "1", "--reset"])
    assert "bono_day: 10" in capsys.readouterr().out
