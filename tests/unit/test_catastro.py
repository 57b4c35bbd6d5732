"""The Catastro (Guía N°19) and the Plan de Redes (Guía N°20) services on a real database (SQLite and
PostgreSQL): adding, editing and deactivating entries, the CSV import (all or nothing, every bad row
reported) and export, the families' search, and who may do what, with the audit trail."""
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest
import pytest_asyncio
from sqlmodel import select

from program.access import Actor
from program.catastro import EntryData
from program.catastro_csv import parse_catastro
from program.roles import Role
from services import catastro, catastro_csv, catastro_send, redes, resources, units
from services.errors import InvalidInput, NotAllowed, NotFound
from storage.catastro import CatastroEntry, RedesActivity
from storage.models import AuditEvent
from storage.outbox import OutboxMessage
from tests.support import seed
from tests.support.outbox import link_family

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
HEADER = ("nombre;persona_contacto;direccion;sector;telefonos;email_web;poblacion_objetivo;tematica;dimensiones;"
          "programas_servicios;requisitos_acceso;necesidades\n")
CESFAM = ("CESFAM Juanita Aguirre;Ana Pérez;Av. Principal 456;Villa Norte;+56 2 2222 3333;cesfam@example.cl;"
          "Personas inscritas;Salud;salud;Atención dental y controles;Inscripción en FONASA;"
          '"social.dental; social.examenes_controles"\n')
OMIL = ("OMIL Conchalí;;Calle Larga 10;Centro;+56 2 4444 5555;;Personas que buscan trabajo;Empleo;"
        "Trabajo y Seguridad Social;Bolsa de empleo, capacitación;Cédula de identidad;"
        '"laboral.trabajo_dependiente, laboral.capacitacion_oficio"\n')


@dataclass
class Db:
    factory: object
    unit: seed.Unit
    gestor: Actor
    jefe: Actor
    afi: Actor
    family: Actor
    other_gestor: Actor  # another unit's
    other_family: Actor

    async def call(self, function, **kwargs):
        """One update's worth: a refusal still commits (with its audit row), as the dialog's update does."""
        async with self.factory() as session:
            try:
                return await function(session, **kwargs)
            finally:
                await session.commit()

    async def audit(self, action: str) -> list[AuditEvent]:
        async with self.factory() as session:
            query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            return list((await session.exec(query)).all())

    async def entries(self, unit_id: int | None = None) -> list[CatastroEntry]:
        async with self.factory() as session:
            query = select(CatastroEntry).where(CatastroEntry.unit_id == (unit_id or self.unit.unit_id))
            return list((await session.exec(query.order_by(CatastroEntry.id))).all())


@pytest_asyncio.fixture
async def db(session_factory) -> Db:
    unit = await seed.unit_with_families(session_factory, NOW)
    other = await seed.unit_with_families(session_factory, NOW, comuna="Recoleta")
    async with session_factory() as session:
        gestor, _ = await units.add_staff(session, unit_id=unit.unit_id, name="Gloria Muñoz", role="gestor_socio",
                                          now=NOW)
        other_gestor, _ = await units.add_staff(session, unit_id=other.unit_id, name="Rosa Vidal",
                                                role="gestor_socio", now=NOW)
        await session.commit()
    return Db(
        factory=session_factory, unit=unit,
        gestor=Actor(role=Role.GESTOR_SOCIO, unit_id=unit.unit_id, staff_id=gestor.id),
        jefe=Actor(role=Role.JEFE, unit_id=unit.unit_id, staff_id=unit.jefe_id),
        afi=Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id),
        family=Actor(role=Role.FAMILY, unit_id=unit.unit_id, family_id=unit.family_ids["F-001"], member_id=1,
                     is_representative=True),
        other_gestor=Actor(role=Role.GESTOR_SOCIO, unit_id=other.unit_id, staff_id=other_gestor.id),
        other_family=Actor(role=Role.FAMILY, unit_id=other.unit_id, family_id=other.family_ids["F-001"],
                           member_id=99, is_representative=True))


CESFAM_DATA = EntryData(name="  CESFAM   Juanita Aguirre ", phones="+56 2 2222 3333", address="Av. Principal 456",
                        dimensions=("Salud", "educacion"), needs=("social.dental",),
                        programs_services="Atención dental\n  y controles ")


async def test_the_gestor_adds_edits_and_deactivates_an_entry(db):
    entry = await db.call(catastro.add_entry, actor=db.gestor, data=CESFAM_DATA, now=NOW)
    assert (entry.name, entry.unit_id, entry.dimensions, entry.needs) == (
        "CESFAM Juanita Aguirre", db.unit.unit_id, ["salud", "educacion"], ["social.dental"])
    assert entry.programs_services == "Atención dental\ny controles" and entry.contact_person is None

    edited = await db.call(catastro.edit_entry, actor=db.jefe, entry_id=entry.id, field="contact_person",
                           value=" Ana Pérez ", now=NOW)
    assert edited.contact_person == "Ana Pérez"
    await db.call(catastro.edit_entry, actor=db.gestor, entry_id=entry.id, field="needs",
                  value=["social.vacunacion", "social.dental"], now=NOW)
    cleared = await db.call(catastro.edit_entry, actor=db.gestor, entry_id=entry.id, field="phones", value="",
                            now=NOW)
    assert cleared.phones is None and cleared.needs == ["social.dental", "social.vacunacion"]

    assert [e.name for e in await db.call(catastro.entries, actor=db.afi, query="juanita")] == [entry.name]
    await db.call(catastro.deactivate, actor=db.gestor, entry_id=entry.id, now=NOW)
    assert await db.call(catastro.entries, actor=db.afi) == []
    with pytest.raises(NotFound):
        await db.call(catastro.deactivate, actor=db.gestor, entry_id=entry.id, now=NOW)
    assert len(await db.audit("catastro.create")) == 1 and len(await db.audit("catastro.deactivate")) == 1
    assert [e.action for e in await db.audit("catastro.edit.needs")] == ["catastro.edit.needs"]


@pytest.mark.parametrize("data, reason", [
    (EntryData(name="   "), "missing_name"),
    (EntryData(name="X" * 201), "too_long"),
    (EntryData(name="Junta de Vecinos", dimensions=("deporte",)), "unknown_dimension"),
    (EntryData(name="Junta de Vecinos", needs=("social.nada",)), "unknown_need"),
])
async def test_bad_fields_are_refused(db, data, reason):
    with pytest.raises(InvalidInput) as error:
        await db.call(catastro.add_entry, actor=db.gestor, data=data, now=NOW)
    assert error.value.reason == reason and await db.entries() == []


async def test_a_name_already_in_the_catastro_is_refused(db):
    first = await db.call(catastro.add_entry, actor=db.gestor, data=CESFAM_DATA, now=NOW)
    with pytest.raises(InvalidInput, match="name_taken"):
        await db.call(catastro.add_entry, actor=db.gestor, data=EntryData(name="cesfam juanita AGUIRRE"), now=NOW)
    other = await db.call(catastro.add_entry, actor=db.gestor, data=EntryData(name="OMIL"), now=NOW)
    with pytest.raises(InvalidInput, match="name_taken"):
        await db.call(catastro.edit_entry, actor=db.gestor, entry_id=other.id, field="name", value="CESFAM Juanita "
                      "Aguirre", now=NOW)
    # Another unit may have its own entry of that name.
    await db.call(catastro.add_entry, actor=db.other_gestor, data=CESFAM_DATA, now=NOW)
    assert first.id != other.id


async def test_only_the_units_gestor_and_jefe_edit_and_refusals_are_audited(db):
    entry = await db.call(catastro.add_entry, actor=db.gestor, data=CESFAM_DATA, now=NOW)
    for actor in (db.afi, db.family):
        with pytest.raises(NotAllowed):
            await db.call(catastro.add_entry, actor=actor, data=EntryData(name="Otra"), now=NOW)
        with pytest.raises(NotAllowed):
            await db.call(catastro.edit_entry, actor=actor, entry_id=entry.id, field="name", value="Otra", now=NOW)
    with pytest.raises(NotAllowed):  # another unit's Gestor, with this unit's id
        await db.call(catastro.deactivate, actor=db.other_gestor, entry_id=entry.id, now=NOW)
    with pytest.raises(NotAllowed):
        await db.call(redes.add_activity, actor=db.afi, description="Taller", responsible="Junta", now=NOW)
    denied = await db.audit("denied.catastro.edit")
    afi, member = ("staff", db.afi.staff_id), ("member", db.family.member_id)
    other = ("staff", db.other_gestor.staff_id)
    assert [((e.actor_type, e.actor_id), e.record_type) for e in denied] == [
        (afi, "unit"), (afi, "catastro_entry"), (member, "unit"), (member, "catastro_entry"), (other, "catastro_entry"),
        (afi, "unit")]
    assert (await db.entries())[0].name == "CESFAM Juanita Aguirre" and (await db.entries())[0].active


async def test_families_see_only_their_units_active_entries(db):
    mine = await db.call(catastro.add_entry, actor=db.gestor, data=CESFAM_DATA, now=NOW)
    gone = await db.call(catastro.add_entry, actor=db.gestor, data=EntryData(name="Cerrada", needs=("social.dental",)),
                         now=NOW)
    await db.call(catastro.deactivate, actor=db.gestor, entry_id=gone.id, now=NOW)
    theirs = await db.call(catastro.add_entry, actor=db.other_gestor, data=CESFAM_DATA, now=NOW)
    found = await db.call(resources.find, actor=db.family, need="social.dental")
    assert [e.id for e in found] == [mine.id]
    assert [e.id for e in await db.call(resources.find, actor=db.family, dimension="educacion")] == [mine.id]
    counts = await db.call(resources.counts, actor=db.family)
    assert (counts.by_need["social.dental"], counts.by_area["social"], counts.by_dimension["salud"],
            counts.by_area["laboral"]) == (1, 1, 1, 0)
    for entry_id in (theirs.id, gone.id):
        with pytest.raises(NotAllowed):
            await db.call(catastro.entry, actor=db.family, entry_id=entry_id)
    assert [e.record_id for e in await db.audit("denied.catastro_entry")] == [theirs.id, gone.id]
    with pytest.raises(InvalidInput):
        await db.call(resources.find, actor=db.family, need="social.nada")


BAD_FILE = (HEADER + CESFAM                                                       # line 2: fine
            + "Junta de Vecinos 4;;;;;;;;salud;;;social.nada\n"                  # 3: unknown need
            + ";Sin nombre;;;;;;;;;;\n"                                          # 4: missing name
            + "Club Deportivo;;;;;;;;deporte, Salud;;;social.talleres_deportivos\n"  # 5: bad dimension
            + CESFAM.replace("Ana Pérez", "Otra persona")                        # 6: duplicate of line 2
            + "Biblioteca;;;;;;;;educacion;;;laboral.alfabetizacion;laboral.becas\n"  # 7: an unquoted ";"
            + ";;;;;;;;;;;\n")                                                   # bare separators: skipped


async def test_a_csv_with_bad_rows_reports_every_row_and_imports_nothing(db):
    report = await db.call(catastro_csv.import_catastro, actor=db.gestor, text=BAD_FILE, now=NOW)
    assert [(e.line, e.reason, e.detail) for e in report.errors] == [
        (3, "bad_need", "social.nada"), (4, "missing_field", "nombre"), (5, "bad_dimension", "deporte"),
        (6, "duplicate", "2"), (7, "extra_cells", "")]
    assert report.created == report.updated == 0 and await db.entries() == []
    header_only = await db.call(catastro_csv.import_catastro, actor=db.gestor, text="nombre;sector\nX;Y\n", now=NOW)
    assert [(e.line, e.reason) for e in header_only.errors] == [(1, "missing_column")]
    assert "persona_contacto" in header_only.errors[0].detail
    empty = await db.call(catastro_csv.import_catastro, actor=db.gestor, text=HEADER, now=NOW)
    assert [e.reason for e in empty.errors] == ["no_rows"]


async def test_import_adds_updates_and_leaves_unchanged_rows(db):
    report = await db.call(catastro_csv.import_catastro, actor=db.gestor, text=HEADER + CESFAM + OMIL, now=NOW)
    assert (report.created, report.updated, report.unchanged, report.errors) == (2, 0, 0, ())
    cesfam, omil = await db.entries()
    assert (cesfam.needs, cesfam.dimensions, cesfam.contact_person) == (
        ["social.dental", "social.examenes_controles"], ["salud"], "Ana Pérez")
    assert (omil.dimensions, omil.needs, omil.contact_person) == (
        ["trabajo"], ["laboral.capacitacion_oficio", "laboral.trabajo_dependiente"], None)
    await db.call(catastro.deactivate, actor=db.gestor, entry_id=omil.id, now=NOW)
    again = await db.call(catastro_csv.import_catastro, actor=db.jefe, now=NOW,
                          text=HEADER + CESFAM + OMIL.replace("Calle Larga 10", "Calle Larga 12"))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    omil = (await db.entries())[1]
    assert omil.active and omil.address == "Calle Larga 12"
    assert len(await db.audit("catastro.import.create")) == 2 and len(await db.audit("catastro.import.update")) == 1
    with pytest.raises(NotAllowed):
        await db.call(catastro_csv.import_catastro, actor=db.afi, text=HEADER + CESFAM, now=NOW)


async def test_export_round_trip(db):
    await db.call(catastro_csv.import_catastro, actor=db.gestor, text=HEADER + OMIL + CESFAM, now=NOW)
    gone = await db.call(catastro.add_entry, actor=db.gestor, data=EntryData(name="Cerrada"), now=NOW)
    await db.call(catastro.deactivate, actor=db.gestor, entry_id=gone.id, now=NOW)
    text, count = await db.call(catastro_csv.export_catastro, actor=db.afi)
    assert count == 2 and text.splitlines()[0] == HEADER.strip()
    assert text.splitlines()[1].startswith("CESFAM Juanita Aguirre;Ana Pérez;")  # by name
    assert '"social.dental; social.examenes_controles"' in text  # lists quoted: the separator is ";"
    rows, errors = parse_catastro(text)
    stored = [catastro.entry_data(e) for e in await db.entries() if e.active]
    assert errors == [] and sorted(r.data.name for r in rows) == sorted(d.name for d in stored)
    assert {r.data for r in rows} == set(stored)
    # The same file into another unit makes the same entries; into this one it changes nothing.
    other = await db.call(catastro_csv.import_catastro, actor=db.other_gestor, text=text, now=NOW)
    assert other.created == 2
    same = await db.call(catastro_csv.import_catastro, actor=db.gestor, text=text, now=NOW)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 2)
    with pytest.raises(NotAllowed):
        await db.call(catastro_csv.export_catastro, actor=db.family, unit_id=db.other_family.unit_id)
    assert len(await db.audit("denied.catastro.export")) == 1


async def test_the_admin_imports_into_a_unit_that_exists(db):
    admin = Actor(role=Role.ADMIN, unit_id=999)
    with pytest.raises(NotFound):
        await db.call(catastro_csv.import_catastro, actor=admin, text=HEADER + CESFAM, now=NOW, unit_id=999)
    report = await db.call(catastro_csv.import_catastro, actor=Actor(role=Role.ADMIN, unit_id=db.unit.unit_id),
                           text=HEADER + CESFAM, now=NOW, unit_id=db.unit.unit_id)
    assert report.created == 1


async def test_plan_de_redes_add_list_delete(db):
    later = await db.call(redes.add_activity, actor=db.gestor, description="Feria de servicios",
                          responsible="Municipalidad", on=date(2027, 3, 10), now=NOW)
    first = await db.call(redes.add_activity, actor=db.jefe, description="  Taller   de liderazgo ",
                          responsible="Junta de Vecinos 4", indicator="20 personas", resources="Sede vecinal",
                          on=date(2027, 1, 15), now=NOW)
    undated = await db.call(redes.add_activity, actor=db.gestor, description="Charla de salud",
                            responsible="CESFAM", now=NOW)
    listed = await db.call(redes.activities, actor=db.afi)
    assert [a.id for a in listed] == [first.id, later.id, undated.id]
    assert listed[0].description == "Taller de liderazgo" and listed[0].indicator == "20 personas"
    with pytest.raises(InvalidInput, match="missing_responsible"):
        await db.call(redes.add_activity, actor=db.gestor, description="X", responsible=" ", now=NOW)
    for actor in (db.afi, db.other_gestor):
        with pytest.raises(NotAllowed):
            await db.call(redes.delete_activity, actor=actor, activity_id=first.id)
    await db.call(redes.delete_activity, actor=db.gestor, activity_id=first.id)
    async with db.factory() as session:
        assert [a.id for a in (await session.exec(select(RedesActivity))).all()] == [later.id, undated.id]
    assert len(await db.audit("denied.redes.delete")) == 2 and len(await db.audit("redes.delete")) == 1
    with pytest.raises(NotAllowed):
        await db.call(redes.activities, actor=db.family)


async def test_the_afi_sends_an_entry_through_the_outbox(db):
    entry = await db.call(catastro.add_entry, actor=db.gestor, data=CESFAM_DATA, now=NOW)
    f1 = db.unit.family_ids["F-001"]
    with pytest.raises(InvalidInput, match="not_linked"):
        await db.call(catastro_send.send_entry, actor=db.afi, family_id=f1, entry_id=entry.id, now=NOW)
    account_id = await link_family(db.factory, family_id=f1, consent_at=NOW)
    due = await db.call(catastro_send.send_entry, actor=db.afi, family_id=f1, entry_id=entry.id, now=NOW)
    night = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)  # 00:00 in Santiago: held until 09:00
    held = await db.call(catastro_send.send_entry, actor=db.afi, family_id=f1, entry_id=entry.id, now=night)
    assert due == NOW and held == datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    async with db.factory() as session:
        rows = list((await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all())
    assert len(rows) == 2 and len({r.dedupe_key for r in rows}) == 2
    row = rows[0]
    assert (row.account_id, row.kind, row.template, row.essential, row.scope, row.source) == (
        account_id, "resource", "catastro_entry", False, f"family:{f1}", "event")
    assert (row.args["name"], row.args["phones"], row.args["staff_name"]) == (
        "CESFAM Juanita Aguirre", "+56 2 2222 3333", "Carla Rojas")
    assert row.quiet_hours == "21:00-09:00" and row.timezone == "America/Santiago"
    assert len(await db.audit("resource.send")) == 2

    from texts.scheduled_messages import render
    text, buttons = render(row, "es")
    assert text.splitlines()[:3] == ["📍 Carla Rojas te envía un lugar donde pueden ayudarte:", "",
                                     "🏛 CESFAM Juanita Aguirre"]
    assert "Ofrece: Atención dental\ny controles" in text and "📞 +56 2 2222 3333" in text and buttons == []


async def test_sending_is_refused_outside_the_professionals_families_and_unit(db):
    entry = await db.call(catastro.add_entry, actor=db.gestor, data=CESFAM_DATA, now=NOW)
    theirs = await db.call(catastro.add_entry, actor=db.other_gestor, data=CESFAM_DATA, now=NOW)
    f1, f2 = db.unit.family_ids["F-001"], db.unit.family_ids["F-002"]
    await link_family(db.factory, family_id=f1, consent_at=NOW)
    with pytest.raises(NotAllowed):  # F-002 is not this AFI's
        await db.call(catastro_send.send_entry, actor=db.afi, family_id=f2, entry_id=entry.id, now=NOW)
    with pytest.raises(NotAllowed):  # another unit's entry id
        await db.call(catastro_send.send_entry, actor=db.afi, family_id=f1, entry_id=theirs.id, now=NOW)
    with pytest.raises(NotFound):
        await db.call(catastro_send.send_entry, actor=db.afi, family_id=99999, entry_id=entry.id, now=NOW)
    assert [e.record_id for e in await db.audit("denied.resource.send")] == [f2]
    assert [e.record_id for e in await db.audit("denied.catastro_entry")] == [theirs.id]
    async with db.factory() as session:
        assert (await session.exec(select(OutboxMessage))).all() == []
