"""The cohort import on a real database (SQLite and PostgreSQL): all rows or none."""
import pytest
from sqlalchemy import func
from sqlmodel import select

from program.run import check_digit
from services import cohort_import, units
from services.cohort_import import import_cohort
from services.errors import NotFound
from storage.models import AuditEvent, Family, Member

COHORT = """codigo_familia,apellido_familia,sector,trayectoria,nombres,apellidos,run,parentesco,representante,cobra_bono
F-001,Pérez Soto,Villa Norte,aps,María,Pérez Soto,12.345.678-5,jefa de hogar,sí,sí
F-001,Pérez Soto,Villa Norte,aps,Pedro,Pérez Soto,11.111.111-1,hijo,no,no
F-002,Joseph,Centro,aps_asl,Jean,Joseph,22.222.222-2,jefe de hogar,sí,sí
"""
HEADER = "codigo_familia,apellido_familia,sector,trayectoria,nombres,apellidos,run,parentesco,representante\n"


def run_for(body: int) -> str:
    return f"{body}-{check_digit(body)}"


def one_family(code: str, *bodies: int) -> str:
    rows = [f"{code},Soto,,aps,Persona {i},Soto,{run_for(body)},,{'sí' if i == 0 else 'no'}\n"
            for i, body in enumerate(bodies)]
    return "".join(rows)


async def new_unit(session_factory, comuna: str = "Conchalí") -> int:
    async with session_factory() as session:
        unit = await units.create_unit(session, comuna=comuna, name=f"UIF {comuna}")
        await session.commit()
    return unit.id


async def counts(session_factory) -> tuple[int, int, int]:
    async with session_factory() as session:
        families = (await session.exec(select(func.count()).select_from(Family))).one()
        members = (await session.exec(select(func.count()).select_from(Member))).one()
        audits = (await session.exec(select(func.count()).select_from(AuditEvent)
                                     .where(AuditEvent.action == "family.import"))).one()
    return families, members, audits


async def load(session_factory, unit_id: int, text: str):
    async with session_factory() as session:
        report = await import_cohort(session, unit_id=unit_id, text=text)
        await session.commit()
    return report


async def test_good_import_creates_families_members_and_audit(session_factory):
    unit_id = await new_unit(session_factory)
    report = await load(session_factory, unit_id, COHORT)
    assert (report.families, report.members, report.errors) == (2, 3, [])
    assert await counts(session_factory) == (2, 3, 2)
    async with session_factory() as session:
        family = (await session.exec(select(Family).where(Family.code == "F-002"))).one()
        assert (family.unit_id, family.family_name, family.sector, family.trajectory) == (unit_id, "Joseph", "Centro",
                                                                                          "aps_asl")
        jean = (await session.exec(select(Member).where(Member.family_id == family.id))).one()
        assert (jean.run, jean.is_representative, jean.is_bono_collector) == ("22222222-2", True, True)
        events = (await session.exec(select(AuditEvent).where(AuditEvent.action == "family.import"))).all()
        assert {(e.actor_type, e.record_type, e.unit_id) for e in events} == {("admin", "family", unit_id)}
        assert sorted(e.record_id for e in events) == sorted(
            (await session.exec(select(Family.id))).all())


async def test_one_bad_row_writes_nothing(session_factory):
    unit_id = await new_unit(session_factory)
    report = await load(session_factory, unit_id, COHORT.replace("22.222.222-2", "22.222.222-3"))
    assert (report.families, report.members) == (0, 0)
    assert [(e.line, e.reason) for e in report.errors] == [(4, "bad_run")]
    assert await counts(session_factory) == (0, 0, 0)


async def test_family_code_already_in_the_unit(session_factory):
    unit_id = await new_unit(session_factory)
    await load(session_factory, unit_id, HEADER + one_family("F-001", 10_000_001))
    report = await load(session_factory, unit_id, HEADER + one_family("F-009", 10_000_002)
                        + one_family("F-001", 10_000_003))
    assert [(e.line, e.reason, e.detail) for e in report.errors] == [(3, "family_code_exists", "F-001")]
    assert await counts(session_factory) == (1, 1, 1)


async def test_same_family_code_in_another_unit_is_fine(session_factory):
    first, second = await new_unit(session_factory), await new_unit(session_factory, "Recoleta")
    await load(session_factory, first, HEADER + one_family("F-001", 10_000_001))
    report = await load(session_factory, second, HEADER + one_family("F-001", 10_000_002))
    assert report.errors == [] and await counts(session_factory) == (2, 2, 2)


async def test_run_already_registered(session_factory):
    unit_id = await new_unit(session_factory)
    await load(session_factory, unit_id, HEADER + one_family("F-001", 10_000_001))
    report = await load(session_factory, unit_id, HEADER + one_family("F-002", 10_000_002, 10_000_001))
    assert [(e.line, e.reason) for e in report.errors] == [(3, "run_in_use")]
    assert await counts(session_factory) == (1, 1, 1)


async def test_lookups_in_chunks_find_every_clash(session_factory, monkeypatch):
    monkeypatch.setattr(cohort_import, "CHUNK", 2)
    unit_id = await new_unit(session_factory)
    await load(session_factory, unit_id, HEADER + one_family("F-005", 10_000_005))
    text = HEADER + "".join(one_family(f"F-00{n}", 10_000_000 + n) for n in range(1, 6))
    report = await load(session_factory, unit_id, text)
    assert [(e.line, e.reason) for e in report.errors] == [(6, "family_code_exists"), (6, "run_in_use")]


async def test_too_long_text_is_a_row_error_not_a_crash(session_factory):
    unit_id = await new_unit(session_factory)
    report = await load(session_factory, unit_id, HEADER + one_family("F-" + "9" * 40, 10_000_001))
    assert [(e.line, e.reason, e.detail) for e in report.errors] == [(2, "too_long", "codigo_familia")]
    assert await counts(session_factory) == (0, 0, 0)


async def test_unknown_unit(session_factory):
    async with session_factory() as session:
        with pytest.raises(NotFound):
            await import_cohort(session, unit_id=999, text=COHORT)
