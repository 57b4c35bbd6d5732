"""The issue's finish line: from the admin's CLI invitation to the menu in the chat, in Spanish and Creole."""
import asyncio
import os
import re
import sys
from pathlib import Path

import pytest_asyncio

from tests.support.harness import BotHarness

ROOT = Path(__file__).resolve().parents[2]
COHORT = """codigo_familia,apellido_familia,sector,trayectoria,nombres,apellidos,run,parentesco,representante
F-100,Joseph,Centro,aps,Jean,Joseph,12.345.678-5,jefe de hogar,sí
"""


async def _cli(env: dict, *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=env["CWD"], env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest_asyncio.fixture
async def admin_env(empty_database_url, fake_api, tmp_path):
    env = {**os.environ, "DATABASE_URL": empty_database_url, "BOT_TOKEN": BotHarness.TOKEN,
           "BOT_API_BASE_URL": fake_api.base_url, "CWD": str(tmp_path), "PYTHONPATH": str(ROOT)}
    await _cli(env, "migrate")
    return env


async def test_staff_and_family_from_cli_to_menu(admin_env, empty_database_url, fake_api, clock, tmp_path):
    await _cli(admin_env, "unit-create", "--comuna", "Conchalí", "--name", "UIF Conchalí")
    staff_out = await _cli(admin_env, "staff-add", "--unit", "1", "--name", "Gloria Muñoz", "--role", "gestor_socio")
    staff_code = re.search(r"start=(\w+)", staff_out).group(1)
    (tmp_path / "cohort.csv").write_text(COHORT, encoding="utf-8")
    await _cli(admin_env, "families-import", "--unit", "1", str(tmp_path / "cohort.csv"))
    family_code = re.search(r"start=(\w+)", await _cli(admin_env, "family-invite", "--unit", "1",
                                                      "--family", "F-100")).group(1)

    harness = BotHarness(fake_api, empty_database_url, clock)
    await harness.start()
    try:
        assert "Hola, Gloria Muñoz" in (await harness.say(5003, f"/start {staff_code}"))[-1]
        assert harness.buttons(5003) == ["👥 Mis familias", "🧑‍🤝‍🧑 Sesiones grupales", "🏛 Catastro", "🌐 Idioma"]

        await harness.say(6100, "/idioma")
        await harness.tap(6100, "Kreyòl")
        notice = (await harness.say(6100, f"/start {family_code}"))[-1]
        assert "Ley 21.719" in notice and "Tus datos" not in notice
        menu = (await harness.tap(6100, "✅"))[-1]
        assert "Jean" in menu and "Hola" not in menu
    finally:
        await harness.stop()
