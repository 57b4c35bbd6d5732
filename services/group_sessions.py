"""Group and community sessions: create one, invite 10–25 families, follow their answers, announce a change
or a cancellation, and record attendance — which counts the session in each attending family's trajectory.

Only the unit's Gestor Sociocomunitario and jefe/a run them. Every message to a family goes through the
outbox (services/group_messages.py) and names no other family.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.catalog import Session
from program.roles import Role
from services import audit, planner
from services.errors import InvalidInput, NotAllowed, NotFound
from services.group_messages import announce, invite
from services.program_data import catalog
from storage import people_repo
from storage.groups import GroupInvitation, GroupSession
from storage.models import Family
from storage.records import SessionRecord

GROUP_TYPES = ("grupal", "comunitaria")
SUGGESTED = (10, 25)  # the guides' range of families per session; outside it is allowed (they allow adapting)


@dataclass(frozen=True)
class Counts:
    invited: int
    yes: int
    no: int
    silent: int
    attended: int


def group_sessions() -> list[Session]:
    return [s for s in catalog().sessions if s.type in GROUP_TYPES and s.track in ("aps", "asl")]


def catalog_session(track: str, code: str) -> Session:
    found = next((s for s in group_sessions() if (s.track, s.code) == (track, code)), None)
    if found is None:
        raise InvalidInput("not_a_group_session")
    return found


async def _runner(session: AsyncSession, actor: Actor) -> None:
    if actor is None or actor.role not in (Role.GESTOR_SOCIO, Role.JEFE) or actor.unit_id is None:
        await audit.record(session, actor=actor, action="denied.group_session", record_type="unit",
                           record_id=actor.unit_id if actor else None)
        raise NotAllowed("group_session")


async def get(session: AsyncSession, *, actor: Actor, group_session_id: int) -> GroupSession:
    await _runner(session, actor)
    found = await session.get(GroupSession, group_session_id)
    if found is None or found.unit_id != actor.unit_id:
        await audit.record(session, actor=actor, action="denied.group_session.open", record_type="group_session",
                           record_id=group_session_id, unit_id=actor.unit_id)
        raise NotAllowed("group_session")
    return found


async def list_sessions(session: AsyncSession, *, actor: Actor, limit: int = 30) -> list[GroupSession]:
    await _runner(session, actor)
    rows = await session.exec(select(GroupSession).where(GroupSession.unit_id == actor.unit_id)
                              .order_by(GroupSession.starts_at.desc(), GroupSession.id.desc()).limit(limit))
    return list(rows.all())


async def territories(session: AsyncSession, *, actor: Actor) -> list[str]:
    await _runner(session, actor)
    rows = await session.exec(select(Family.sector).where(Family.unit_id == actor.unit_id,
                                                          Family.status == "active",
                                                          col(Family.sector).is_not(None)).distinct())
    return sorted(s for s in rows.all() if s)


async def candidates(session: AsyncSession, *, actor: Actor, track: str, code: str, by: str,
                     territory: str | None = None, today: date) -> list[Family]:
    """The unit's active families for this session: all, one territory's, or those for whom it is due now
    (trajectory rules); ASL sessions only for families on the APS + ASL trajectory."""
    await _runner(session, actor)
    catalog_session(track, code)
    query = select(Family).where(Family.unit_id == actor.unit_id, Family.status == "active")
    if track == "asl":
        query = query.where(Family.trajectory == "aps_asl")
    if by == "territory":
        query = query.where(Family.sector == territory)
    families = list((await session.exec(query.order_by(Family.family_name, Family.id))).all())
    if by != "due":
        return families
    from services.caseload import family_progress  # the same reading of the trajectory as "Mis familias"
    from storage import records_repo

    outcomes = await records_repo.outcomes_by_family(session, family_ids=[f.id for f in families])
    return [f for f in families
            if any((d.track, d.code) == (track, code) for d in family_progress(f, outcomes.get(f.id, []), today).due)]


async def create(session: AsyncSession, *, actor: Actor, track: str, code: str, starts_at: datetime, place: str,
                 address: str | None, territory: str | None, family_ids: list[int], now: datetime,
                 latitude: float | None = None, longitude: float | None = None) -> GroupSession:
    await _runner(session, actor)
    found = catalog_session(track, code)
    if starts_at <= now:
        raise InvalidInput("starts_in_past")
    if not place.strip():
        raise InvalidInput("missing_place")
    families = await _unit_families(session, actor, family_ids)
    if not families:
        raise InvalidInput("no_families")
    group = GroupSession(unit_id=actor.unit_id, track=found.track, code=found.code, starts_at=starts_at,
                         place=place.strip(), address=(address or "").strip() or None, territory=territory,
                         latitude=latitude, longitude=longitude, created_by_id=actor.staff_id,
                         created_at=now, updated_at=now)
    session.add(group)
    await session.flush()
    for family in families:
        session.add(GroupInvitation(group_session_id=group.id, family_id=family.id, created_at=now))
    await session.flush()
    await audit.record(session, actor=actor, action="group_session.create", record_type="group_session",
                       record_id=group.id, unit_id=actor.unit_id)
    await invite(session, group=group, families=families, now=now)
    for family in families:
        await planner.plan_family(session, family_id=family.id, now=now)
    return group


async def _unit_families(session: AsyncSession, actor: Actor, family_ids: list[int]) -> list[Family]:
    families = []
    for family_id in dict.fromkeys(family_ids):
        family = await people_repo.get_family(session, family_id=family_id)
        if family is None or family.unit_id != actor.unit_id:
            await audit.record(session, actor=actor, action="denied.group_session.family", record_type="family",
                               record_id=family_id, unit_id=actor.unit_id)
            raise NotAllowed("family")
        families.append(family)
    return families


async def invitations(session: AsyncSession, *, actor: Actor, group_session_id: int,
                      ) -> list[tuple[GroupInvitation, Family]]:
    await get(session, actor=actor, group_session_id=group_session_id)
    rows = await session.exec(select(GroupInvitation, Family).join(Family, Family.id == GroupInvitation.family_id)
                              .where(GroupInvitation.group_session_id == group_session_id)
                              .order_by(Family.family_name, Family.id))
    return list(rows.all())


async def counts(session: AsyncSession, *, actor: Actor, group_session_id: int) -> Counts:
    rows = [i for i, _f in await invitations(session, actor=actor, group_session_id=group_session_id)]
    invited = [i for i in rows if i.invited]
    return Counts(len(invited), sum(i.rsvp == "yes" for i in invited), sum(i.rsvp == "no" for i in invited),
                  sum(i.rsvp is None for i in invited), sum(i.attended for i in rows))


async def change(session: AsyncSession, *, actor: Actor, group_session_id: int, now: datetime,
                 starts_at: datetime | None = None, place: str | None = None) -> GroupSession:
    group = await get(session, actor=actor, group_session_id=group_session_id)
    if group.status != "planned":
        raise InvalidInput("not_planned")
    if starts_at is not None:
        if starts_at <= now:
            raise InvalidInput("starts_in_past")
        group.starts_at = starts_at
    if place is not None:
        if not place.strip():
            raise InvalidInput("missing_place")
        group.place = place.strip()
    group.updated_at = now
    session.add(group)
    await audit.record(session, actor=actor, action="group_session.change", record_type="group_session",
                       record_id=group.id, unit_id=group.unit_id)
    await _tell_everyone(session, group, "group_change", now)
    return group


async def cancel(session: AsyncSession, *, actor: Actor, group_session_id: int, now: datetime) -> GroupSession:
    group = await get(session, actor=actor, group_session_id=group_session_id)
    if group.status != "planned":
        raise InvalidInput("not_planned")
    group.status, group.updated_at = "cancelled", now
    session.add(group)
    await audit.record(session, actor=actor, action="group_session.cancel", record_type="group_session",
                       record_id=group.id, unit_id=group.unit_id)
    await _tell_everyone(session, group, "group_cancelled", now)
    return group


async def _tell_everyone(session: AsyncSession, group: GroupSession, template: str, now: datetime) -> None:
    await session.flush()
    rows = await session.exec(select(Family).join(GroupInvitation, GroupInvitation.family_id == Family.id)
                              .where(GroupInvitation.group_session_id == group.id, GroupInvitation.invited))
    families = list(rows.all())
    await announce(session, group=group, families=families, template=template, now=now)
    for family in families:  # the day-before reminder follows the new time, or goes away
        await planner.plan_family(session, family_id=family.id, now=now)


async def rsvp(session: AsyncSession, *, actor: Actor, group_session_id: int, answer: str,
               now: datetime) -> GroupSession:
    """A family's answer to its own invitation (the callback carries only the session's id)."""
    if actor is None or actor.role is not Role.FAMILY or answer not in ("yes", "no"):
        raise NotAllowed("rsvp")
    invitation = (await session.exec(select(GroupInvitation).where(
        GroupInvitation.group_session_id == group_session_id, GroupInvitation.family_id == actor.family_id))).first()
    group = await session.get(GroupSession, group_session_id)
    if invitation is None or group is None:
        await audit.record(session, actor=actor, action="denied.rsvp", record_type="group_session",
                           record_id=group_session_id)
        raise NotFound("invitation")
    if group.status != "planned" or group.starts_at <= now:
        raise InvalidInput("closed")
    invitation.rsvp, invitation.rsvp_at = answer, now
    session.add(invitation)
    await audit.record(session, actor=actor, action=f"group_session.rsvp.{answer}", record_type="group_invitation",
                       record_id=invitation.id, unit_id=group.unit_id)
    await session.flush()
    await planner.plan_family(session, family_id=actor.family_id, now=now)
    return group


@dataclass(frozen=True)
class GroupRecord:
    attended: list[int]  # family ids
    walk_ins: list[int]  # came without an invitation
    products_done: list[int]
    agreements: str | None = None
    note_text: str | None = None
    note_voice_file_id: str | None = None
    note_voice_duration: int | None = None


async def record(session: AsyncSession, *, actor: Actor, group_session_id: int, data: GroupRecord,
                 held_on: date, now: datetime) -> GroupSession:
    """The Ficha de Registro Sesión Grupal-Comunitaria, and a held session in each attending family's
    trajectory (one record per family: it covers its ASL participants too)."""
    group = await get(session, actor=actor, group_session_id=group_session_id)
    if group.status == "cancelled":
        raise InvalidInput("cancelled")
    found = catalog_session(group.track, group.code)
    if any(i not in range(len(found.products)) for i in data.products_done):
        raise InvalidInput("unknown_product")
    current = {i.family_id: i for i, _f in await invitations(session, actor=actor, group_session_id=group.id)}
    for family in await _unit_families(session, actor, data.walk_ins):
        if family.id not in current:
            current[family.id] = GroupInvitation(group_session_id=group.id, family_id=family.id, invited=False,
                                                 created_at=now)
    attended = set(data.attended) | set(data.walk_ins)
    if not attended <= set(current):
        raise InvalidInput("unknown_family")
    for family_id, invitation in current.items():
        invitation.attended = family_id in attended
        session.add(invitation)
    group.status, group.held_on, group.updated_at = "held", held_on, now
    group.products_done, group.products_total = sorted(set(data.products_done)), len(found.products)
    group.agreements, group.note_text = data.agreements, data.note_text
    group.note_voice_file_id, group.note_voice_duration = data.note_voice_file_id, data.note_voice_duration
    group.catalog_version = catalog().version
    session.add(group)
    existing = {r.family_id for r in (await session.exec(select(SessionRecord).where(
        col(SessionRecord.family_id).in_(list(current)), SessionRecord.track == group.track,
        SessionRecord.code == group.code, SessionRecord.held_on == held_on))).all()}
    for family_id in sorted(attended - existing):  # recording twice does not count a session twice
        session.add(SessionRecord(family_id=family_id, unit_id=group.unit_id, track=group.track, code=group.code,
                                  catalog_version=catalog().version, held_on=held_on, outcome="done",
                                  products_done=group.products_done, products_total=group.products_total,
                                  recorded_by_id=actor.staff_id, created_at=now))
    await audit.record(session, actor=actor, action="group_session.record", record_type="group_session",
                       record_id=group.id, unit_id=group.unit_id)
    return group
