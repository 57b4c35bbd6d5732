"""The Cuaderno Familiar service on a real database (SQLite and PostgreSQL): adding text, voice and photo
entries, pages newest first, soft delete, who may read and write, and the audit trail."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlmodel import select

from program.access import Actor
from program.roles import Role
from services import cuaderno
from services.cuaderno import NewEntry
from services.errors import InvalidInput, NotAllowed
from storage import people_repo
from storage.cuaderno import CuadernoEntry
from storage.models import AuditEvent
from tests.support import seed

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@dataclass
class Db:
    factory: object
    unit: seed.Unit
    f1: int
    f2: int
    maria: Actor  # F-001's representative
    pedro: Actor  # F-001, not the representative
    jean: Actor  # F-002's representative
    afi: Actor
    stranger_afi: Actor  # another unit's

    async def call(self, function, **kwargs):
        """One update's worth: a refusal still commits (with its audit row), as the dialog's update does."""
        async with self.factory() as session:
            try:
                return await function(session, **kwargs)
            finally:
                await session.commit()

    async def add(self, actor: Actor, family_id: int, new: NewEntry, minutes: int = 0) -> CuadernoEntry:
        return await self.call(cuaderno.add_entry, actor=actor, family_id=family_id, new=new,
                               now=NOW + timedelta(minutes=minutes))

    async def audit(self, action: str) -> list[AuditEvent]:
        async with self.factory() as session:
            query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            return list((await session.exec(query)).all())


def _family_actor(unit_id: int, family_id: int, member) -> Actor:
    return Actor(role=Role.FAMILY, unit_id=unit_id, family_id=family_id, member_id=member.id,
                 is_representative=member.is_representative)


@pytest_asyncio.fixture
async def db(session_factory) -> Db:
    unit = await seed.unit_with_families(session_factory, NOW)
    other = await seed.unit_with_families(session_factory, NOW, comuna="Renca")
    f1, f2 = unit.family_ids["F-001"], unit.family_ids["F-002"]
    async with session_factory() as session:
        members = {m.given_names: m for m in await people_repo.list_members(session, family_id=f1)}
        jean = await people_repo.representative(session, family_id=f2)
    return Db(session_factory, unit, f1, f2,
              maria=_family_actor(unit.unit_id, f1, members["María"]),
              pedro=_family_actor(unit.unit_id, f1, members["Pedro"]),
              jean=_family_actor(unit.unit_id, f2, jean),
              afi=Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id),
              stranger_afi=Actor(role=Role.AFI, unit_id=other.unit_id, staff_id=other.afi_id))


def text(dimension="salud", kind="interest", body="Queremos control dental para los niños", **kw) -> NewEntry:
    return NewEntry(dimension=dimension, kind=kind, content_type="text", text=body, **kw)


async def test_text_voice_and_photo_entries_are_kept_with_their_metadata(db):
    interest = await db.add(db.maria, db.f1, text(body="  Queremos control dental  "))
    resource = await db.add(db.maria, db.f1, NewEntry(
        dimension="trabajo", kind="resource", content_type="voice", file_id="voice-1", file_unique_id="uv1",
        duration=17, resource_kind="organization", resource_level="comuna"), minutes=1)
    photo = await db.add(db.maria, db.f1, NewEntry(
        dimension=None, kind="note", content_type="photo", file_id="photo-1", file_unique_id="up1",
        text=" La lista del consultorio "), minutes=2)
    async with db.factory() as session:
        rows = {row.id: row for row in (await session.exec(select(CuadernoEntry))).all()}
    assert rows[interest.id].text == "Queremos control dental"  # trimmed
    assert (rows[interest.id].member_id, rows[interest.id].created_at) == (db.maria.member_id, NOW)
    voice = rows[resource.id]
    assert (voice.content_type, voice.file_id, voice.file_unique_id, voice.duration, voice.text) == (
        "voice", "voice-1", "uv1", 17, None)
    assert (voice.resource_kind, voice.resource_level) == ("organization", "comuna")
    assert (rows[photo.id].dimension, rows[photo.id].text, rows[photo.id].file_id) == (
        None, "La lista del consultorio", "photo-1")
    events = await db.audit("cuaderno.add")
    assert [(e.record_id, e.actor_type, e.actor_id, e.unit_id) for e in events] == [
        (entry.id, "member", db.maria.member_id, db.unit.unit_id) for entry in (interest, resource, photo)]


async def test_pages_newest_first_per_dimension_and_counts(db):
    ids = [(await db.add(db.maria, db.f1, text(body=f"Salud {n}"), minutes=n)).id for n in range(12)]
    same_instant = [(await db.add(db.maria, db.f1, text(dimension=None, kind="note", body=f"nota {n}"))).id
                    for n in range(2)]
    await db.add(db.jean, db.f2, text(body="Otra familia"))
    first = await db.call(cuaderno.entries_for_family, actor=db.maria, family_id=db.f1, dimension="salud",
                          offset=0, limit=5)
    assert [e.id for e in first.entries] == ids[::-1][:5]
    assert (first.total, first.has_more) == (12, True)
    last = await db.call(cuaderno.entries_for_family, actor=db.maria, family_id=db.f1, dimension="salud",
                         offset=10, limit=5)
    assert [e.id for e in last.entries] == [ids[1], ids[0]] and not last.has_more
    notes = await db.call(cuaderno.entries_for_family, actor=db.maria, family_id=db.f1, dimension=None)
    assert [e.id for e in notes.entries] == same_instant[::-1]  # the same instant: the later id first
    assert await db.call(cuaderno.dimension_counts, actor=db.maria, family_id=db.f1) == {"salud": 12, None: 2}


async def test_soft_delete_hides_the_entry_everywhere(db):
    kept = await db.add(db.maria, db.f1, text(body="se queda"))
    gone = await db.add(db.maria, db.f1, text(body="se va"), minutes=1)
    await db.call(cuaderno.delete_entry, actor=db.maria, family_id=db.f1, entry_id=gone.id,
                  now=NOW + timedelta(hours=1))
    async with db.factory() as session:
        row = await session.get(CuadernoEntry, gone.id)
    assert row.deleted_at == NOW + timedelta(hours=1) and row.text == "se va"  # kept for the audit trail
    page = await db.call(cuaderno.entries_for_family, actor=db.maria, family_id=db.f1, dimension="salud")
    assert [e.id for e in page.entries] == [kept.id] and page.total == 1
    assert await db.call(cuaderno.dimension_counts, actor=db.maria, family_id=db.f1) == {"salud": 1}
    with pytest.raises(NotAllowed):
        await db.call(cuaderno.entry, actor=db.maria, family_id=db.f1, entry_id=gone.id)
    with pytest.raises(NotAllowed):  # twice (a stale button)
        await db.call(cuaderno.delete_entry, actor=db.maria, family_id=db.f1, entry_id=gone.id, now=NOW)
    assert [e.record_id for e in await db.audit("cuaderno.delete")] == [gone.id]
    assert [e.record_id for e in await db.audit("denied.cuaderno.delete")] == [gone.id]


async def test_another_familys_entry_is_refused_and_audited(db):
    theirs = await db.add(db.jean, db.f2, text(body="Lo de Jean"))
    # Their id with our family (the dialog always passes the viewer's own family): not found, audited.
    with pytest.raises(NotAllowed):
        await db.call(cuaderno.entry, actor=db.maria, family_id=db.f1, entry_id=theirs.id)
    with pytest.raises(NotAllowed):
        await db.call(cuaderno.delete_entry, actor=db.maria, family_id=db.f1, entry_id=theirs.id, now=NOW)
    # Their family id: refused before anything is read.
    with pytest.raises(NotAllowed):
        await db.call(cuaderno.entry, actor=db.maria, family_id=db.f2, entry_id=theirs.id)
    with pytest.raises(NotAllowed):
        await db.call(cuaderno.entries_for_family, actor=db.maria, family_id=db.f2, dimension="salud")
    with pytest.raises(NotAllowed):
        await db.add(db.maria, db.f2, text())
    viewed = await db.audit("denied.cuaderno.view")
    assert [(e.record_type, e.record_id, e.actor_id) for e in viewed] == [
        ("cuaderno_entry", theirs.id, db.maria.member_id), ("family", db.f2, db.maria.member_id)]
    assert [(e.record_type, e.record_id) for e in await db.audit("denied.cuaderno.delete")] == [
        ("cuaderno_entry", theirs.id)]
    assert [e.record_id for e in await db.audit("denied.cuaderno.list")] == [db.f2]
    assert [e.record_id for e in await db.audit("denied.cuaderno.add")] == [db.f2]
    async with db.factory() as session:
        row = await session.get(CuadernoEntry, theirs.id)
    assert row.deleted_at is None


async def test_staff_of_the_unit_may_read_but_never_write(db):
    mine = await db.add(db.maria, db.f1, text())
    page = await db.call(cuaderno.entries_for_family, actor=db.afi, family_id=db.f1, dimension="salud")
    assert [e.id for e in page.entries] == [mine.id]
    assert (await db.call(cuaderno.entry, actor=db.afi, family_id=db.f1, entry_id=mine.id)).id == mine.id
    with pytest.raises(NotAllowed):
        await db.add(db.afi, db.f1, text())
    with pytest.raises(NotAllowed):
        await db.call(cuaderno.delete_entry, actor=db.afi, family_id=db.f1, entry_id=mine.id, now=NOW)
    with pytest.raises(NotAllowed):  # another unit's professional
        await db.call(cuaderno.entries_for_family, actor=db.stranger_afi, family_id=db.f1, dimension="salud")
    with pytest.raises(NotAllowed):
        await db.call(cuaderno.entries_for_family, actor=None, family_id=db.f1, dimension="salud")
    assert [(e.actor_type, e.actor_id) for e in await db.audit("denied.cuaderno.list")] == [
        ("staff", db.stranger_afi.staff_id), ("system", None)]


async def test_a_member_who_is_not_the_representative_reads_only(db):
    mine = await db.add(db.maria, db.f1, text())
    page = await db.call(cuaderno.entries_for_family, actor=db.pedro, family_id=db.f1, dimension="salud")
    assert [e.id for e in page.entries] == [mine.id]
    with pytest.raises(NotAllowed):
        await db.add(db.pedro, db.f1, text())
    assert len(await db.audit("denied.cuaderno.add")) == 1


@pytest.mark.parametrize("new, reason", [
    (text(body="   \n "), "empty"),
    (text(body=None), "empty"),
    (text(body="x" * 1001), "too_long"),
    (text(dimension="deporte"), "bad_dimension"),
    (text(kind="tarea"), "bad_kind"),
    (text(dimension=None), "needs_dimension"),
    (text(kind="resource"), "bad_resource"),
    (text(kind="resource", resource_kind="person", resource_level="planeta"), "bad_resource"),
    (text(resource_kind="person", resource_level="comuna"), "bad_resource"),
    (text(file_id="sneaky"), "bad_file"),
    (NewEntry(dimension="salud", kind="note", content_type="video", file_id="v"), "bad_content_type"),
    (NewEntry(dimension="salud", kind="note", content_type="voice", duration=3), "bad_file"),
    (NewEntry(dimension="salud", kind="note", content_type="voice", file_id="v"), "bad_file"),
    (NewEntry(dimension="salud", kind="note", content_type="voice", file_id="v" * 201, duration=3), "bad_file"),
    (NewEntry(dimension="salud", kind="note", content_type="photo", file_id="p", text="x" * 1025), "bad_file"),
])
async def test_bad_entries_are_refused_with_a_reason(db, new, reason):
    with pytest.raises(InvalidInput) as refused:
        await db.add(db.maria, db.f1, new)
    assert refused.value.reason == reason
    assert await db.audit("cuaderno.add") == []


async def test_emojis_alone_and_exactly_the_limit_are_fine(db):
    await db.add(db.maria, db.f1, text(body="😟🙏"))
    await db.add(db.maria, db.f1, text(body="x" * cuaderno.TEXT_MAX))
    await db.add(db.maria, db.f1, NewEntry(dimension="salud", kind="note", content_type="photo", file_id="p"))
    page = await db.call(cuaderno.entries_for_family, actor=db.maria, family_id=db.f1, dimension="salud")
    assert page.total == 3


async def test_bad_pages_and_dimensions_are_refused(db):
    for kwargs in ({"dimension": "deporte"}, {"dimension": "salud", "offset": -1},
                   {"dimension": "salud", "limit": 0}, {"dimension": "salud", "limit": 500}):
        with pytest.raises(InvalidInput):
            await db.call(cuaderno.entries_for_family, actor=db.maria, family_id=db.f1, **kwargs)
