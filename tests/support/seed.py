"""Realistic set-ups through the services, as the admin's CLI would make them."""
import zlib
from dataclasses import dataclass

from program.access import Actor
from program.roles import Role
from program.run import check_digit, format_run
from services import onboarding, units
from services.cohort_import import import_cohort
from storage import people_repo

COHORT = """codigo_familia,apellido_familia,sector,trayectoria,nombres,apellidos,run,parentesco,representante,cobra_bono
F-001,Pérez Soto,Villa Norte,aps,María,Pérez Soto,{run1},jefa de hogar,sí,sí
F-001,Pérez Soto,Villa Norte,aps,Pedro,Pérez Soto,{run2},hijo,no,no
F-002,Joseph,Centro,aps_asl,Jean,Joseph,{run3},jefe de hogar,sí,sí
"""


def _run(body: int) -> str:
    return format_run(f"{body}-{check_digit(body)}")


@dataclass
class Unit:
    unit_id: int
    afi_id: int
    afi_code: str
    jefe_id: int
    jefe_code: str
    family_ids: dict[str, int]


async def unit_with_families(session_factory, now, *, comuna="Conchalí") -> Unit:
    async with session_factory() as session:
        unit = await units.create_unit(session, comuna=comuna, name=f"UIF {comuna}", phone="+56 2 2345 6789",
                                       email="familias@example.cl", address="Av. Principal 123", hours="L-V 8:30-17:00")
        afi, afi_code = await units.add_staff(session, unit_id=unit.id, name="Carla Rojas", role="afi", now=now)
        jefe, jefe_code = await units.add_staff(session, unit_id=unit.id, name="Luis Díaz", role="jefe", now=now)
        # The first unit gets RUN 12.345.678-5 for its representative; later units get others.
        base = 12_345_678 if comuna == "Conchalí" else 15_000_000 + 3 * (zlib.crc32(comuna.encode()) % 1_000_000)
        cohort = COHORT.format(run1=_run(base), run2=_run(base + 1), run3=_run(base + 2))
        report = await import_cohort(session, unit_id=unit.id, text=cohort)
        assert not report.errors, report.errors
        family_ids = {}
        for code in ("F-001", "F-002"):
            family = await people_repo.find_family_by_code(session, unit_id=unit.id, code=code)
            family.afi_id = afi.id if code == "F-001" else None
            await people_repo.add(session, family)
            family_ids[code] = family.id
        await session.commit()
    return Unit(unit.id, afi.id, afi_code, jefe.id, jefe_code, family_ids)


async def family_code(session_factory, now, *, unit_id: int, family_id: int) -> str:
    async with session_factory() as session:
        code = await onboarding.issue_family_code(session, actor=Actor(role=Role.ADMIN, unit_id=unit_id),
                                                  family_id=family_id, now=now)
        await session.commit()
    return code
