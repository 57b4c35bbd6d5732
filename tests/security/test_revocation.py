"""Issue 10 §2: access can be revoked. A deactivated professional or an unlinked chat hears one sentence and
nothing else, its pending messages are cancelled, a new code cancels the older unused ones, all audited."""
from datetime import timedelta

from sqlmodel import select

from program.access import Actor
from program.roles import Role
from services import revocation
from services.errors import NotAllowed
from storage.models import AuditEvent, ChatAccount
from storage.outbox import CANCELLED, PENDING, OutboxMessage
from tests.support import seed, updates

AFI_USER, JEFE_USER, FAMILY_USER, NEW_PHONE = 5001, 5002, 6001, 6101
REVOKED = "Tu acceso a Acompaña fue desactivado. Si crees que es un error, habla con tu unidad."


async def _linked_family(harness, session_factory, clock, user=FAMILY_USER):
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(user, f"/start {code}")
    await harness.tap(user, "Acepto")
    return unit


async def _account(session_factory, user) -> ChatAccount:
    async with session_factory() as session:
        return (await session.exec(select(ChatAccount).where(ChatAccount.telegram_user_id == user))).one()


async def _queue(session_factory, account: ChatAccount, clock, key: str) -> None:
    """A message due tomorrow for this chat (a reminder, an alert), as the planner or a use case writes it."""
    async with session_factory() as session:
        session.add(OutboxMessage(account_id=account.id, chat_id=account.chat_id, kind="resource",
                                  template="catastro_entry", args={"name": "Consultorio"}, essential=True,
                                  due_at=clock() + timedelta(days=1), dedupe_key=key))
        await session.commit()


async def _actions(session_factory, action) -> list[AuditEvent]:
    async with session_factory() as session:
        return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action))).all())


async def test_an_unlinked_family_chat_hears_one_sentence_and_its_messages_are_cancelled(
        harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    account = await _account(session_factory, FAMILY_USER)
    await _queue(session_factory, account, clock, "family-tomorrow")
    async with session_factory() as session:
        pending = (await session.exec(select(OutboxMessage).where(OutboxMessage.account_id == account.id,
                                                                  OutboxMessage.status == PENDING))).all()
    assert pending, "the planner should have queued something for the family"
    afi = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    async with session_factory() as session:
        await revocation.unlink_account(session, actor=afi, account_id=account.id, now=clock())
        await session.commit()
    for text in ("/menu", "hola", "/privacidad", "/idioma", "/ayuda"):
        assert await harness.say(FAMILY_USER, text) == [REVOKED]
    message_id, data = 1, "anything"
    calls = await harness.feed(updates.callback(FAMILY_USER, data, message_id=message_id))
    assert [(c.method, c.params.get("text")) for c in calls] == [("answerCallbackQuery", REVOKED)]
    async with session_factory() as session:
        statuses = {row.status for row in (await session.exec(select(OutboxMessage).where(
            OutboxMessage.account_id == account.id))).all()}
    assert statuses == {CANCELLED}
    [event] = await _actions(session_factory, "account.unlink")
    assert (event.actor_type, event.actor_id, event.record_id) == ("staff", unit.afi_id, account.id)
    # Nothing reaches the chat from the scheduler either.
    clock.advance(days=40)
    await harness.plan()
    before = len(harness.api.texts(chat_id=FAMILY_USER))
    await harness.delivery().tick()
    assert len(harness.api.texts(chat_id=FAMILY_USER)) == before

    # A new code from the unit is the way back (and asks for consent again).
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    assert "Ley 21.719" in (await harness.say(FAMILY_USER, f"/start {code}"))[-1]
    assert (await _account(session_factory, FAMILY_USER)).revoked_at is None


async def test_a_new_family_code_cancels_the_older_unused_ones(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    family_id = unit.family_ids["F-001"]
    first = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=family_id)
    second = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=family_id)
    third = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=family_id)
    assert "ya venció" in (await harness.say(FAMILY_USER, f"/start {first}"))[-1]
    assert "ya venció" in (await harness.say(NEW_PHONE, f"/start {second}"))[-1]
    assert "Ley 21.719" in (await harness.say(FAMILY_USER, f"/start {third}"))[-1]
    async with session_factory() as session:
        linked = (await session.exec(select(ChatAccount).where(ChatAccount.member_id.is_not(None)))).all()
    assert [a.telegram_user_id for a in linked] == [FAMILY_USER]  # one phone, not three
    assert len(await _actions(session_factory, "invite.cancel")) == 2


async def test_a_new_staff_code_cancels_the_older_one(harness, session_factory, clock):
    from services import onboarding

    unit = await seed.unit_with_families(session_factory, clock())
    async with session_factory() as session:
        new = await onboarding.issue_staff_code(session, staff_id=unit.afi_id, now=clock())
        await session.commit()
    assert "ya venció" in (await harness.say(AFI_USER, f"/start {unit.afi_code}"))[-1]
    assert any("Quedaste registrado/a" in t for t in await harness.say(AFI_USER, f"/start {new}"))


async def test_deactivated_staff_hears_one_sentence_and_loses_pending_messages(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    await harness.say(JEFE_USER, f"/start {unit.jefe_code}")
    account = await _account(session_factory, AFI_USER)
    await _queue(session_factory, account, clock, "afi-tomorrow")
    jefe = Actor(role=Role.JEFE, unit_id=unit.unit_id, staff_id=unit.jefe_id)
    async with session_factory() as session:
        await revocation.deactivate_staff(session, actor=jefe, staff_id=unit.afi_id, now=clock())
        await session.commit()
    assert await harness.say(AFI_USER, "/menu") == [REVOKED]
    async with session_factory() as session:
        rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.account_id == account.id))).all()
    assert rows and all(row.status == CANCELLED for row in rows)
    assert [e.actor_id for e in await _actions(session_factory, "staff.deactivate")] == [unit.jefe_id]
    # The family does not hear of it, and keeps its menu.
    assert "Hola, María" in (await harness.say(FAMILY_USER, "/menu"))[-1]


async def test_only_who_may_revokes(session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    other = await seed.unit_with_families(session_factory, clock(), comuna="Renca")
    afi = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    other_jefe = Actor(role=Role.JEFE, unit_id=other.unit_id, staff_id=other.jefe_id)
    own_jefe = Actor(role=Role.JEFE, unit_id=unit.unit_id, staff_id=unit.jefe_id)
    async with session_factory() as session:
        for actor in (afi, other_jefe):
            try:
                await revocation.deactivate_staff(session, actor=actor, staff_id=unit.jefe_id, now=clock())
            except NotAllowed:
                pass
            else:
                raise AssertionError(f"{actor} deactivated a jefe")
        for actor in (afi, other_jefe, own_jefe):  # nobody unlinks a missing account, and nobody learns why
            try:
                await revocation.unlink_account(session, actor=actor, account_id=999, now=clock())
            except NotAllowed:
                pass
            else:
                raise AssertionError("unlinked a missing account")
        await session.commit()
    assert len(await _actions(session_factory, "denied.staff.deactivate")) == 2
    assert len(await _actions(session_factory, "denied.account.unlink")) == 3


async def test_the_jefe_deactivates_a_professional_from_the_chat(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    await harness.say(JEFE_USER, f"/start {unit.jefe_code}")
    await harness.tap(JEFE_USER, "Mi unidad")
    await harness.tap(JEFE_USER, "Accesos del equipo")
    assert harness.buttons(JEFE_USER)[0] == "🚫 Desactivar: Carla Rojas — Apoyo Familiar Integral"
    assert not any("Luis Díaz" in label for label in harness.buttons(JEFE_USER))  # never themselves
    assert "¿Desactivar a Carla Rojas" in (await harness.tap(JEFE_USER, "Desactivar: Carla"))[-1]
    await harness.tap(JEFE_USER, "Sí, desactivar")
    answers = [c.params.get("text") for c in harness.api.requests("answerCallbackQuery")]
    assert "Listo: Carla Rojas ya no tiene acceso a Acompaña." in answers
    assert "No hay más personas activas en el equipo." in harness.last_text(JEFE_USER)
    assert await harness.say(AFI_USER, "/menu") == [REVOKED]
    [event] = await _actions(session_factory, "staff.deactivate")
    assert (event.actor_id, event.record_id) == (unit.jefe_id, unit.afi_id)


async def test_the_assigned_afi_unlinks_a_lost_phone_from_the_card(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    await harness.tap(AFI_USER, "Mis familias")
    await harness.tap(AFI_USER, "Pérez Soto")
    text = (await harness.tap(AFI_USER, "Chats vinculados"))[-1]
    assert "• María Pérez Soto · desde el 23-11-2026" in text
    await harness.tap(AFI_USER, "Desvincular: María")
    await harness.tap(AFI_USER, "Sí, desvincular")
    assert "Nadie de la familia usa Acompaña todavía." in harness.last_text(AFI_USER)
    assert await harness.say(FAMILY_USER, "hola") == [REVOKED]
    # The AFI's next visit to the card says so too.
    await harness.tap(AFI_USER, "Ficha de la familia")
    assert "❌ aún no usa Acompaña" in harness.last_text(AFI_USER)
    [event] = await _actions(session_factory, "account.unlink")
    assert (event.actor_type, event.actor_id) == ("staff", unit.afi_id)
    assert len(await _actions(session_factory, "family.chats.view")) >= 1
