"""Issue 10 §8, attacked: every role × every action × own/other family × own/other unit, through the services
(what every button ends in), against a rule written out here independently of program/access.py; then a sample
of forged buttons through the real dispatcher.

Each check runs in its own transaction and is rolled back, so one cell never changes another. Every allowed
read by a professional must also leave its audit row (ids only)."""
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import select

from program.roles import Role
from program.session_draft import SessionDraft
from services import (
    bono,
    caseload,
    caseload_assign,
    catastro,
    catastro_send,
    cuaderno,
    family_plan,
    group_sessions,
    onboarding,
    revocation,
    session_records,
)
from services.cuaderno import NewEntry
from services.errors import InvalidInput, NotAllowed, NotFound
from services.viewer import load_viewer
from storage import people_repo
from storage.models import AuditEvent, ChatAccount, Family, Staff
from storage.records import Commitment
from tests.support import seed

# Telegram ids of the actors.
AFI, AFI_OTHER, GESTOR_SOCIO, GESTOR_FAMILIAR, JEFE, MEMBER_A, MEMBER_B = 5001, 5003, 5004, 5005, 5002, 6001, 6002
ROLES = {"afi_assigned": AFI, "afi_other": AFI_OTHER, "gestor_socio": GESTOR_SOCIO,
         "gestor_familiar": GESTOR_FAMILIAR, "jefe": JEFE, "family_a": MEMBER_A, "family_b": MEMBER_B}
STAFF_READS = {"card": "card", "sessions": "sessions", "plan": "plan", "matriz": "matriz", "news": "news",
               "cuaderno_read": "cuaderno", "basics": "basics", "chats": "chats"}
ACTIONS = ("card", "sessions", "plan", "matriz", "news", "basics", "cuaderno_read", "chats", "record_session",
           "invite_code", "send_resource", "unlink_chat", "reassign", "invite_group", "catastro_edit",
           "cuaderno_add", "commitment_mark", "bono_answer", "rsvp")


def expected(role: str, action: str, own_family: bool, own_unit: bool) -> bool:
    """The rule, as the issue states it: the full card and records for the assigned staff and the jefe/a,
    basics for the rest of the unit, the family's own actions for the family, nothing across units."""
    if role.startswith("family"):
        return own_family and action in {"card", "cuaderno_read", "cuaderno_add", "commitment_mark", "bono_answer",
                                         "rsvp"}
    if not own_unit or action in {"cuaderno_add", "commitment_mark", "bono_answer", "rsvp"}:
        return False
    if action == "basics":
        return True
    if action in {"invite_group", "catastro_edit"}:
        return role in ("gestor_socio", "jefe")
    if action == "reassign":
        return role == "jefe"
    full = {"card", "sessions", "plan", "matriz", "news", "cuaderno_read", "chats", "invite_code", "send_resource"}
    if role == "jefe":
        return action in full | {"record_session", "unlink_chat"}
    if not own_family:
        return False
    if action == "record_session":
        return role in ("afi_assigned", "afi_other", "gestor_familiar")  # S1 is the AFI's, with the Gestor Familiar
    if action == "unlink_chat":
        return role in ("afi_assigned", "afi_other")
    return action in full


@dataclass
class World:
    factory: object
    clock: object
    families: dict  # "A" ... "D" -> Family
    unit_of: dict  # telegram id -> unit id
    group_of: dict  # family key -> group session id
    commitment_of: dict  # family key -> commitment id
    account_of: dict  # family key -> the representative's chat account id


async def _staff(session, unit_id: int, name: str, role: str):
    return await people_repo.add(session, Staff(unit_id=unit_id, name=name, role=role))


async def _link(session, user: int, clock, **link) -> ChatAccount:
    return await people_repo.add(session, ChatAccount(telegram_user_id=user, chat_id=user, consent_at=clock(),
                                                      created_at=clock(), **link))


@pytest.fixture
async def world(session_factory, clock) -> World:
    """Unit 1: A (AFI, Gestor/a Sociocomunitario/a and Gestor/a Familiar assigned), B (another AFI's). Unit 2: C
    (its own AFI's) and D, whose columns name unit 1's staff — a forged cross-unit assignment that must not open
    D to them."""
    one = await seed.unit_with_families(session_factory, clock())
    two = await seed.unit_with_families(session_factory, clock(), comuna="Renca")
    from program.access import Actor
    async with session_factory() as session:
        afi2 = await _staff(session, one.unit_id, "Ana Soto", "afi")
        gs = await _staff(session, one.unit_id, "Gabriel Paz", "gestor_socio")
        gf = await _staff(session, one.unit_id, "Gloria Vera", "gestor_familiar")
        families = {key: await people_repo.get_family(session, family_id=fid) for key, fid in (
            ("A", one.family_ids["F-001"]), ("B", one.family_ids["F-002"]), ("C", two.family_ids["F-001"]),
            ("D", two.family_ids["F-002"]))}
        families["A"].gestor_socio_id, families["A"].gestor_familiar_id = gs.id, gf.id
        families["B"].afi_id = afi2.id
        families["D"].afi_id, families["D"].gestor_socio_id, families["D"].gestor_familiar_id = one.afi_id, gs.id, gf.id
        for family in families.values():
            family.status = "active"
            await people_repo.add(session, family)
        for user, staff_id in ((AFI, one.afi_id), (AFI_OTHER, afi2.id), (GESTOR_SOCIO, gs.id),
                               (GESTOR_FAMILIAR, gf.id), (JEFE, one.jefe_id)):
            await _link(session, user, clock, staff_id=staff_id)
        account_of, commitment_of, group_of = {}, {}, {}
        for key, user in (("A", MEMBER_A), ("B", MEMBER_B), ("C", 7001), ("D", 7002)):
            family = families[key]
            rep = await people_repo.representative(session, family_id=family.id)
            account_of[key] = (await _link(session, user, clock, member_id=rep.id)).id
            commitment_of[key] = (await people_repo.add(session, Commitment(
                family_id=family.id, dimension="salud", topic="Controles", action="Pedir hora"))).id
            unit = one if key in "AB" else two
            jefe = Actor(role=Role.JEFE, unit_id=unit.unit_id, staff_id=unit.jefe_id)
            group = await group_sessions.create(session, actor=jefe, track="aps", code="S9",
                                                starts_at=clock() + timedelta(days=7), place="Sede", address=None,
                                                territory=None, family_ids=[family.id], now=clock())
            group_of[key] = group.id
        await session.commit()
    unit_of = {AFI: one.unit_id, AFI_OTHER: one.unit_id, GESTOR_SOCIO: one.unit_id, GESTOR_FAMILIAR: one.unit_id,
               JEFE: one.unit_id, MEMBER_A: one.unit_id, MEMBER_B: one.unit_id}
    return World(session_factory, clock, families, unit_of, group_of, commitment_of, account_of)


async def _act(session, world: World, actor, action: str, key: str) -> None:
    family, now = world.families[key], world.clock()
    today = now.date()
    if action == "card":
        if actor.role is Role.FAMILY:
            await caseload.family_card(session, actor=actor, family_id=family.id)
        else:
            await caseload.family_summary(session, actor=actor, family_id=family.id, now=now, today=today)
    elif action in ("sessions", "plan", "matriz", "news"):
        await getattr(caseload, f"family_{action}")(session, actor=actor, family_id=family.id)
    elif action == "basics":
        await caseload.family_basics(session, actor=actor, family_id=family.id, today=today)
    elif action == "cuaderno_read":
        await cuaderno.entries_for_family(session, actor=actor, family_id=family.id, dimension=None)
    elif action == "chats":
        await revocation.family_chats(session, actor=actor, family_id=family.id)
    elif action == "record_session":
        await session_records.record_session(session, actor=actor, now=now, draft=SessionDraft(
            family_id=family.id, code="S1", held_on=today))
    elif action == "invite_code":
        await onboarding.issue_family_code(session, actor=actor, family_id=family.id, now=now)
    elif action == "send_resource":
        await catastro_send.family_for_sending(session, actor=actor, family_id=family.id)
    elif action == "unlink_chat":
        await revocation.unlink_account(session, actor=actor, account_id=world.account_of[key], now=now)
    elif action == "reassign":
        await caseload_assign.may_reassign(session, actor=actor, family_id=family.id)
    elif action == "invite_group":
        await group_sessions.create(session, actor=actor, track="aps", code="S9", starts_at=now + timedelta(days=3),
                                    place="Sede", address=None, territory=None, family_ids=[family.id], now=now)
    elif action == "catastro_edit":
        await catastro.may_edit(session, actor=actor, unit_id=family.unit_id)
    elif action == "cuaderno_add":
        await cuaderno.add_entry(session, actor=actor, family_id=family.id, now=now, new=NewEntry(
            dimension="salud", kind="interest", content_type="text", text="Queremos ir al CESFAM"))
    elif action == "commitment_mark":
        await family_plan.mark(session, actor=actor, commitment_id=world.commitment_of[key], status="done", now=now)
    elif action == "bono_answer":
        await bono.answer(session, actor=actor, month=now.strftime("%Y-%m"), answer="cobrado", now=now)
    elif action == "rsvp":
        await group_sessions.rsvp(session, actor=actor, group_session_id=world.group_of[key], answer="yes", now=now)
    else:
        raise AssertionError(action)


def _relation(role: str, actor, family: Family) -> tuple[bool, bool]:
    if actor.role is Role.FAMILY:
        return actor.family_id == family.id, actor.unit_id == family.unit_id
    column = {Role.AFI: family.afi_id, Role.GESTOR_SOCIO: family.gestor_socio_id,
              Role.GESTOR_FAMILIAR: family.gestor_familiar_id}.get(actor.role)
    return column == actor.staff_id, actor.unit_id == family.unit_id


async def test_the_access_matrix(world: World):
    results, mismatches = [], []
    for role, user in ROLES.items():
        for key, family in world.families.items():
            for action in ACTIONS:
                async with world.factory() as session:
                    actor = (await load_viewer(session, telegram_user_id=user)).actor
                    own_family, own_unit = _relation(role, actor, family)
                    if action == "bono_answer" and actor.role is Role.FAMILY and not own_family:
                        await session.rollback()
                        continue  # the answer is always the person's own family's: another's cannot be named
                    try:
                        await _act(session, world, actor, action, key)
                        allowed = True
                    except (NotAllowed, NotFound, InvalidInput):
                        allowed = False
                    audited = True
                    if allowed and actor.role is not Role.FAMILY and action in STAFF_READS:
                        rows = (await session.exec(select(AuditEvent).where(
                            AuditEvent.action == f"family.{STAFF_READS[action]}.view",
                            AuditEvent.record_id == family.id, AuditEvent.actor_id == actor.staff_id))).all()
                        audited = len(rows) >= 1
                    await session.rollback()
                want = expected(role, action, own_family, own_unit)
                cell = (role, action, "own family" if own_family else "other family",
                        "own unit" if own_unit else "other unit", key)
                results.append(cell)
                if allowed is not want or not audited:
                    mismatches.append((*cell, f"allowed={allowed} expected={want} audited={audited}"))
    print(f"\naccess matrix: {len(results)} cells "
          f"({len(ROLES)} roles × {len(world.families)} families × {len(ACTIONS)} actions, less 6 not expressible), "
          f"{len(results) - len(mismatches)} as expected, {len(mismatches)} mismatches")
    assert not mismatches, "\n".join(" · ".join(m) for m in mismatches)
    assert len(results) == len(ROLES) * len(world.families) * len(ACTIONS) - 2 * 3  # family_a/b × 3 other families
    # Every quadrant was exercised for the staff: own/other family × own/other unit.
    assert {(c[2], c[3]) for c in results if c[0] == "afi_assigned"} == {
        ("own family", "own unit"), ("other family", "own unit"), ("own family", "other unit"),
        ("other family", "other unit")}


def _answers(harness) -> list[str]:
    return [c.params.get("text") for c in harness.api.requests("answerCallbackQuery")]


async def _audits(world: World, action: str) -> list[AuditEvent]:
    async with world.factory() as session:
        return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action))).all())


async def test_forged_buttons_in_the_real_dispatcher(harness, world: World):
    """A sample of the matrix as an attacker sends it: real callback data with another id in it."""
    a, b = world.families["A"], world.families["B"]
    # 1. Another AFI of the unit puts family A's id in a button of their own list: the basics, never the card.
    await harness.say(AFI_OTHER, "/menu")
    await harness.tap(AFI_OTHER, "Mis familias")
    message_id, data = harness.find_button(AFI_OTHER, "Joseph")
    assert data.endswith(f"family:{b.id}")
    texts = await harness.press(AFI_OTHER, data.replace(f"family:{b.id}", f"family:{a.id}"), message_id)
    shown = "\n".join(texts)
    assert "La acompaña otra persona del equipo" in shown and "Pérez Soto · F-001" in shown
    assert "12.345.678-5" not in shown and "María" not in shown and "Integrantes" not in shown
    assert any(e.record_id == a.id for e in await _audits(world, "denied.family.view"))
    assert any(e.record_id == a.id for e in await _audits(world, "family.basics.view"))

    # 2. The same forged id from a jefe of another unit: not even the basics.
    renca = world.families["C"].unit_id
    async with world.factory() as session:
        [jefe] = (await session.exec(select(Staff).where(Staff.unit_id == renca, Staff.role == "jefe"))).all()
        session.add(ChatAccount(telegram_user_id=7100, chat_id=7100, staff_id=jefe.id, created_at=world.clock()))
        await session.commit()
    await harness.say(7100, "/menu")
    await harness.tap(7100, "Mis familias")
    message_id, data = harness.find_button(7100, "Pérez Soto")  # Renca's own F-001
    own = world.families["C"].id
    texts = await harness.press(7100, data.replace(f"family:{own}", f"family:{a.id}"), message_id)
    shown = "\n".join(texts)
    assert "Esa familia no está en tu lista" in shown and "F-001 ·" not in shown and "12.345.678-5" not in shown

    # 3. The assigned AFI of A forges «Desvincular» with family B's chat: refused, B stays linked.
    await harness.say(AFI, "/menu")
    await harness.tap(AFI, "Mis familias")
    await harness.tap(AFI, "Pérez Soto")
    await harness.tap(AFI, "Chats vinculados")
    message_id, data = harness.find_button(AFI, "Desvincular")
    forged = data.replace(f"unlink_chat:{world.account_of['A']}", f"unlink_chat:{world.account_of['B']}")
    assert forged != data
    await harness.press(AFI, forged, message_id)
    assert "Ese chat ya no está vinculado." in _answers(harness)
    async with world.factory() as session:
        assert (await session.get(ChatAccount, world.account_of["B"])).member_id is not None

    # 4. Family A answers the invitation sent to family B.
    texts = await harness.press(MEMBER_A, f"rsvp:{world.group_of['B']}:yes", 1)
    assert "Esta invitación no es para tu familia." in _answers(harness) and texts == []
    assert any(e.record_id == world.group_of["B"] for e in await _audits(world, "denied.rsvp"))
