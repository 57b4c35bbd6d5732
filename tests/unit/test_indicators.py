"""A unit's Matriz indicators: CSV import (all or nothing, upsert per unit) and the fallback to the seeds."""
from datetime import date

import pytest
from sqlmodel import select

from program.access import Actor
from program.roles import Role
from program.session_draft import SessionDraft
from services import indicators, session_records
from services.errors import InvalidInput, NotFound
from storage.models import AuditEvent
from storage.records import Indicator, MatrizState
from tests.support import seed

GOOD = """code,dimension,text
i1,Trabajo y Seguridad Social,Los integrantes en edad de trabajar cuentan con un trabajo.
i12;ingresos;no
i32,salud,La familia conoce mecanismos de resolución de conflictos.
i41,EDUCACIÓN,Los adultos participan en nivelación de estudios.
"""
BAD = """code;dimension;text
i1;trabajo;Texto bueno
x2;salud;Código malo
i3;deportes;Dimensión mala
i1;salud;Repetido
"""


async def run_import(session_factory, unit_id: int, text: str):
    async with session_factory() as session:
        report = await indicators.import_indicators(session, unit_id=unit_id, text=text)
        await session.commit()
    return report


async def for_unit(session_factory, unit_id: int) -> dict:
    async with session_factory() as session:
        grouped = await indicators.indicators_for_unit(session, unit_id=unit_id)
    return {dimension: [i.code for i in found] for dimension, found in grouped.items()}


@pytest.fixture
async def unit(session_factory, clock):
    return await seed.unit_with_families(session_factory, clock.now)


async def test_without_an_import_the_seeds_are_used(session_factory, unit):
    assert await for_unit(session_factory, unit.unit_id) == {
        "trabajo": [], "ingresos": [], "salud": ["i32", "i33"], "educacion": ["i41", "i42", "i43"], "vivienda": []}


async def test_good_import_then_update(session_factory, unit, clock):
    # "i12;ingresos;no" is one cell on a comma-separated file: a bad row, so nothing is imported.
    report = await run_import(session_factory, unit.unit_id, GOOD)
    assert report.errors == ["fila 3: se esperaban 3 columnas y hay 1"] and not report.ok
    report = await run_import(session_factory, unit.unit_id, GOOD.replace("i12;ingresos;no", "i12,ingresos,Ingreso"))
    assert (report.created, report.updated, report.unchanged, report.ok) == (4, 0, 0, True)
    assert await for_unit(session_factory, unit.unit_id) == {
        "trabajo": ["i1"], "ingresos": ["i12"], "salud": ["i32"], "educacion": ["i41"], "vivienda": []}
    again = ("code,dimension,text\ni1,trabajo,Texto nuevo\n"
             "i32,salud,La familia conoce mecanismos de resolución de conflictos.\ni50,vivienda,Vivienda\n")
    report = await run_import(session_factory, unit.unit_id, again)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    async with session_factory() as session:
        rows = (await session.exec(select(Indicator).where(Indicator.unit_id == unit.unit_id))).all()
        actions = [e.action for e in (await session.exec(select(AuditEvent))).all() if e.record_type == "indicator"]
    assert {r.code: r.text for r in rows}["i1"] == "Texto nuevo" and len(rows) == 5  # codes not in the file stay
    assert actions.count("indicator.create") == 5 and actions.count("indicator.update") == 1
    other = await seed.unit_with_families(session_factory, clock.now, comuna="Renca")
    assert (await for_unit(session_factory, other.unit_id))["salud"] == ["i32", "i33"]  # per unit


async def test_bad_rows_are_all_reported_and_nothing_is_written(session_factory, unit):
    report = await run_import(session_factory, unit.unit_id, BAD)
    assert report.errors == ["fila 3: código inválido 'x2' (ej. 'i32')", "fila 4: dimensión desconocida 'deportes'",
                             "fila 5: código 'i1' repetido (ya en fila 2)"]
    assert (await run_import(session_factory, unit.unit_id, "code,dimension,text\n")).empty
    async with session_factory() as session:
        assert (await session.exec(select(Indicator))).all() == []
        with pytest.raises(NotFound):
            await indicators.import_indicators(session, unit_id=999_999, text=GOOD)


async def test_matriz_states_follow_the_units_list(session_factory, unit, clock):
    await run_import(session_factory, unit.unit_id, "code,dimension,text\ni7,trabajo,Trabajo formal\n")
    actor = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    draft = SessionDraft(family_id=unit.family_ids["F-001"], code="S2", held_on=date(2026, 11, 20),
                         matriz={"i32": "logrado"})
    async with session_factory() as session:
        with pytest.raises(InvalidInput, match="unknown_indicator"):  # i32 is a seed, not in this unit's list
            await session_records.record_session(session, actor=actor, draft=draft, now=clock.now)
    async with session_factory() as session:
        draft.matriz = {"i7": "a_trabajar"}
        await session_records.record_session(session, actor=actor, draft=draft, now=clock.now)
        await session.commit()
        assert [(s.indicator_code, s.moment) for s in (await session.exec(select(MatrizState))).all()] == [
            ("i7", "linea_base")]
