"""`python -m bot indicators-import` as the admin runs it (a subprocess, so an end-to-end test)."""
from tests.e2e.test_cli import cli
from tests.unit.test_indicators import BAD, GOOD


async def test_cli_indicators_import(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'acompana.sqlite3'}", "BOT_TOKEN": "", "DEFAULT_LOCALE": "es"}
    assert (await cli("unit-create", "--comuna", "Conchalí", "--name", "UIF", cwd=tmp_path, **env)).status == 0
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD.replace("i12;ingresos;no", "i12,ingresos,Ingreso"), encoding="utf-8")
    bad.write_bytes(BAD.encode("cp1252"))  # as Excel saves "CSV" in Chile
    result = await cli("indicators-import", "--unit", "1", str(good), cwd=tmp_path, **env)
    assert (result.status, result.out.strip()) == (
        0, "Indicadores importados: 4 nuevos, 0 actualizados, 0 sin cambios.")
    result = await cli("indicators-import", "--unit", "1", str(bad), cwd=tmp_path, **env)
    assert result.status == 1 and "Traceback" not in result.err
    assert result.err.splitlines() == ["No se importó ningún indicador. Corrige estas filas y vuelve a intentar:",
                                       "fila 3: código inválido 'x2' (ej. 'i32')",
                                       "fila 4: dimensión desconocida 'deportes'",
                                       "fila 5: código 'i1' repetido (ya en fila 2)"]
    result = await cli("indicators-import", "--unit", "7", str(good), cwd=tmp_path, **env)
    assert result.status == 1 and "No existe la unidad 7" in result.err
