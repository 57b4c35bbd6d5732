"""Ley 21.719 through the real stack: the privacy notice's version with each answer, a refusal recorded with
an honest text, consent withdrawn from the privacy menu, a family blocked and unblocked by the jefe/a (no
message goes out, nothing changes), and a family anonymised from the card or the admin's CLI."""
import hashlib
import sqlite3
from datetime import date, timedelta

from sqlmodel import SQLModel, select

import storage.tables  # noqa: F401
from dialogs.common.unit_texts import PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION
from program.access import Actor
from program.retention import load_schedule
from program.roles import Role
from services import blocking, cuaderno, erasure
from services.cuaderno import NewEntry
from services.errors import NotAllowed
from storage import people_repo
from storage.blocking import FamilyBlocked
from storage.cuaderno import CuadernoEntry
from storage.models import AuditEvent, ChatAccount, Family, FsmRecord, Member
from storage.outbox import OutboxMessage
from storage.records import BonoFollowup, MatrizState, SessionRecord, Visit
from storage.rights import ConsentEvent, FamilyBlockEvent
from tests.e2e.test_cli import cli
from tests.support import seed

FAMILY, AFI, JEFE = 7001, 7101, 7201


async def _rows(session_factory, model, *where):
    async with session_factory() as session:
        return list((await session.exec(select(model).where(*where))).all())


async def _actions(session_factory) -> list[str]:
    return [event.action for event in await _rows(session_factory, AuditEvent)]


async def _linked_family(harness, session_factory, clock, *, accept=True) -> seed.Unit:
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {code}")
    if accept:
        await harness.tap(FAMILY, "Acepto")
    return unit


async def _family(session_factory, family_id: int) -> Family:
    async with session_factory() as session:
        return await people_repo.get_family(session, family_id=family_id)


async def _open_card(harness, user: int, code_label: str = "Pérez Soto · F-001") -> str:
    await harness.tap(user, "Mis familias")
    return (await harness.tap(user, code_label))[-1]


def test_the_notice_version_is_a_hash_of_its_source_text():
    assert hashlib.sha256(PRIVACY_NOTICE.encode()).hexdigest()[:12] == PRIVACY_NOTICE_VERSION
    assert "{contact}" in PRIVACY_NOTICE and len(PRIVACY_NOTICE_VERSION) == 12


def test_what_the_law_keeps_is_never_what_an_erasure_blanks():
    kept = load_schedule().kept_after_erasure
    tables = SQLModel.metadata.tables
    for name in kept:  # every documented column exists
        table, column = name.split(".")
        assert column in tables[table].columns, name
    assert not kept & erasure.erased_columns()
    assert {"member.given_names", "member.run", "member.birth_date", "cuaderno_entry.file_id",
            "session_record.note_voice_file_id"} <= erasure.erased_columns()


async def test_acceptance_stores_the_notice_version(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock)
    [account] = await _rows(session_factory, ChatAccount, ChatAccount.telegram_user_id == FAMILY)
    assert account.consent_at == clock() and account.consent_version == PRIVACY_NOTICE_VERSION
    [event] = await _rows(session_factory, ConsentEvent)
    assert (event.decision, event.notice_version, event.account_id) == ("accepted", PRIVACY_NOTICE_VERSION, account.id)


async def test_a_refusal_is_recorded_and_says_the_truth(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock, accept=False)
    texts = await harness.tap(FAMILY, "No acepto")
    assert "no guardaré nada" not in texts[-1]
    assert "ya quedó vinculado a tu familia" in texts[-1] and "/privacidad" in texts[-1]
    [event] = await _rows(session_factory, ConsentEvent)
    assert (event.decision, event.notice_version) == ("refused", PRIVACY_NOTICE_VERSION)
    assert "consent.refuse" in await _actions(session_factory)
    # Changing one's mind still works, and a second refusal button after accepting records nothing.
    await harness.say(FAMILY, "/privacidad")
    await harness.tap(FAMILY, "Acepto")
    assert [e.decision for e in await _rows(session_factory, ConsentEvent)] == ["refused", "accepted"]


async def test_the_representative_withdraws_consent_from_the_privacy_menu(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    await harness.say(AFI, f"/start {unit.afi_code}")
    await harness.tap(FAMILY, "Privacidad")
    explained = (await harness.tap(FAMILY, "Retirar mi consentimiento"))[-1]
    assert "quedan bloqueados" in explained and "este chat se desvincula" in explained
    assert "avisamos a tu unidad" in explained and "hasta que la unidad los borre" in explained
    # "No" changes nothing.
    await harness.tap(FAMILY, "No, volver")
    assert (await _family(session_factory, unit.family_ids["F-001"])).blocked_at is None
    await harness.tap(FAMILY, "Retirar mi consentimiento")
    done = (await harness.tap(FAMILY, "Sí, retirar"))[-1]
    assert "retiraste tu consentimiento" in done and "desvinculado" in done

    family = await _family(session_factory, unit.family_ids["F-001"])
    assert family.blocked_at == clock() and family.blocked_reason == "consent_withdrawn"
    [account] = await _rows(session_factory, ChatAccount, ChatAccount.telegram_user_id == FAMILY)
    assert account.member_id is None and account.consent_at is None
    assert [e.decision for e in await _rows(session_factory, ConsentEvent)] == ["accepted", "withdrawn"]
    actions = await _actions(session_factory)
    assert {"consent.withdraw", "family.block"} <= set(actions)
    # The unit is told: an essential alert to the AFI, sent although the family is blocked.
    result = await harness.delivery().tick()
    assert result.outcomes.get("sent") == 1
    assert "retiró su consentimiento" in harness.last_text(AFI) and "bloqueada" in harness.last_text(AFI)
    # The chat is unlinked like any other: one sentence, nothing else, until a new code.
    assert "Tu acceso a Acompaña fue desactivado" in (await harness.say(FAMILY, "/menu"))[-1]


async def test_the_jefe_blocks_a_family_nothing_is_sent_nothing_changes_until_lifted(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    family_id = unit.family_ids["F-001"]
    [account] = await _rows(session_factory, ChatAccount, ChatAccount.telegram_user_id == FAMILY)
    async with session_factory() as session:  # an active family with a visit tomorrow: reminders are planned
        family = await people_repo.get_family(session, family_id=family_id)
        family.status, family.intake_date = "active", date(2026, 9, 1)
        session.add(Visit(family_id=family_id, staff_id=unit.afi_id, at=clock() + timedelta(days=1)))
        await session.commit()
    await harness.plan()
    planned = [r for r in await _rows(session_factory, OutboxMessage, OutboxMessage.account_id == account.id)
               if r.status == "pending"]
    assert planned, "nothing planned for the family before the block: the test would prove nothing"
    async with session_factory() as session:  # and one alert written by a use case
        session.add(OutboxMessage(account_id=account.id, chat_id=FAMILY, kind="catastro_entry", template="visit_x",
                                  scope=f"family:{family_id}", source="event", due_at=clock(),
                                  dedupe_key="waiting-1"))
        await session.commit()

    await harness.say(JEFE, f"/start {unit.jefe_code}")
    card = await _open_card(harness, JEFE)
    assert "🔒 bloqueada" not in card and {"🔒 Bloquear", "🗑️ Anonimizar"} <= set(harness.buttons(JEFE))
    await harness.tap(JEFE, "Bloquear")
    assert "La familia pidió bloquear sus datos" in harness.buttons(JEFE)
    card = (await harness.tap(JEFE, "se opone"))[-1]
    assert "🔒 bloqueada desde el 23-11-2026: La familia se opone al uso de sus datos" in card
    assert "🔓 Desbloquear" in harness.buttons(JEFE) and "🔒 Bloquear" not in harness.buttons(JEFE)
    assert {r.status for r in await _rows(session_factory, OutboxMessage, OutboxMessage.account_id == account.id)
            } == {"cancelled"}
    [waiting] = await _rows(session_factory, OutboxMessage, OutboxMessage.dedupe_key == "waiting-1")
    assert (waiting.status, waiting.last_error) == ("cancelled", "family blocked")
    [event] = await _rows(session_factory, FamilyBlockEvent)
    assert (event.action, event.reason, event.actor) == ("block", "opposition", f"staff:{unit.jefe_id}")

    # The planner plans nothing for it; a row written behind its back is stopped at send time.
    clock.advance(days=3)
    await harness.plan()
    assert not [r for r in await _rows(session_factory, OutboxMessage, OutboxMessage.account_id == account.id)
                if r.status == "pending"]
    async with session_factory() as session:
        session.add(OutboxMessage(account_id=account.id, chat_id=FAMILY, kind="catastro_entry", template="visit_x",
                                  source="event", due_at=clock(), dedupe_key="behind-its-back"))
        await session.commit()
    sent_before = len(harness.api.texts(chat_id=FAMILY))
    result = await harness.delivery().tick()
    assert result.outcomes.get("skipped:family_blocked") == 1
    assert len(harness.api.texts(chat_id=FAMILY)) == sent_before
    [row] = await _rows(session_factory, OutboxMessage, OutboxMessage.dedupe_key == "behind-its-back")
    assert (row.status, row.last_error) == ("skipped", "family_blocked")

    # The AFI sees it and has no button that writes; the family's own write is refused kindly.
    await harness.say(AFI, f"/start {unit.afi_code}")
    card = await _open_card(harness, AFI)
    assert "🔒 bloqueada" in card
    assert not {"📍 Enviar un recurso", "✉️ Invitar a la persona representante"} & set(harness.buttons(AFI))
    main = (await harness.say(FAMILY, "/menu"))[-1]
    assert "🔒 Los datos de tu familia están bloqueados" in main
    await harness.tap(FAMILY, "Mi cuaderno")
    await harness.tap(FAMILY, "Salud")
    await harness.tap(FAMILY, "Agregar")
    await harness.tap(FAMILY, "interés")
    refused = await harness.say(FAMILY, "Hora al dentista")
    assert any("Los datos de tu familia están bloqueados" in text for text in refused)
    assert not await _rows(session_factory, CuadernoEntry)
    async with session_factory() as session:  # every service is refused the same way
        member = await people_repo.representative(session, family_id=family_id)
        actor = Actor(role=Role.FAMILY, unit_id=unit.unit_id, family_id=family_id, member_id=member.id,
                      is_representative=True)
        try:
            await cuaderno.add_entry(session, actor=actor, family_id=family_id, now=clock(),
                                     new=NewEntry(dimension="salud", kind="interest", content_type="text", text="x"))
            raise AssertionError("a blocked family's notebook changed")
        except FamilyBlocked as refused_write:
            assert refused_write.family_id == family_id

    # Lifted with a reason: writes and reminders come back.
    await _open_card(harness, JEFE)
    await harness.tap(JEFE, "Desbloquear")
    card = (await harness.tap(JEFE, "Se resolvió"))[-1]
    assert "🔒 bloqueada" not in card
    assert [(e.action, e.reason) for e in await _rows(session_factory, FamilyBlockEvent)] == [
        ("block", "opposition"), ("unblock", "resolved")]
    assert {"family.block", "family.unblock"} <= set(await _actions(session_factory))
    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Mi cuaderno")
    await harness.tap(FAMILY, "Salud")
    await harness.tap(FAMILY, "Agregar")
    await harness.tap(FAMILY, "interés")
    assert (await harness.say(FAMILY, "Hora al dentista"))[0] == "✅ Guardado en tu cuaderno."


async def test_only_the_jefe_or_the_admin_blocks_or_erases(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    other = await seed.unit_with_families(session_factory, clock(), comuna="Renca")
    family_id = unit.family_ids["F-001"]
    afi = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    foreign_jefe = Actor(role=Role.JEFE, unit_id=other.unit_id, staff_id=other.jefe_id)
    async with session_factory() as session:
        for actor in (afi, foreign_jefe):
            for attempt in (blocking.block_family(session, actor=actor, family_id=family_id, reason="request",
                                                  now=clock()),
                            erasure.erase_family(session, actor=actor, family_id=family_id, now=clock())):
                try:
                    await attempt
                    raise AssertionError("allowed")
                except NotAllowed:
                    pass
        await session.commit()
    actions = await _actions(session_factory)
    assert actions.count("denied.family.block") == 2 and actions.count("denied.family.erase") == 2
    family = await _family(session_factory, family_id)
    assert family.blocked_at is None and family.family_name == "Pérez Soto"


async def _history(session_factory, unit, clock) -> None:
    """What a family leaves behind: a session with a note and a voice note, the Matriz, the Bono with a note,
    its notebook (a text and a photo)."""
    family_id = unit.family_ids["F-001"]
    async with session_factory() as session:
        member = await people_repo.representative(session, family_id=family_id)
        session.add(SessionRecord(family_id=family_id, unit_id=unit.unit_id, track="aps", code="S1",
                                  catalog_version="1", held_on=date(2026, 11, 20), outcome="done",
                                  recorded_by_id=unit.afi_id, note_text="María contó que su pareja…",
                                  note_voice_file_id="voice-note-1", products_done=[0, 1], products_total=2))
        session.add(MatrizState(family_id=family_id, indicator_code="i32", moment="linea_base", state="a_trabajar"))
        session.add(BonoFollowup(family_id=family_id, month="2026-11", answer="problema", note="no tengo cuenta",
                                 source="family"))
        await session.commit()
        actor = Actor(role=Role.FAMILY, unit_id=unit.unit_id, family_id=family_id, member_id=member.id,
                      is_representative=True)
        for new in (NewEntry(dimension="salud", kind="interest", content_type="text", text="Dentista para Pedro"),
                    NewEntry(dimension=None, kind="note", content_type="photo", text="receta", file_id="photo-1",
                             file_unique_id="uphoto-1")):
            await cuaderno.add_entry(session, actor=actor, family_id=family_id, now=clock(), new=new)
        await session.commit()


async def test_the_jefe_anonymises_a_family_after_confirming(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    family_id = unit.family_ids["F-001"]
    await _history(session_factory, unit, clock)
    await harness.tap(FAMILY, "Mi cuaderno")  # a dialog state in the database for the family's chat
    assert await _rows(session_factory, FsmRecord, FsmRecord.key.like(f"fsm:%:{FAMILY}:{FAMILY}:%"))
    await harness.say(JEFE, f"/start {unit.jefe_code}")
    await _open_card(harness, JEFE)
    who = (await harness.tap(JEFE, "Anonimizar"))[-1]
    assert "¿A quién?" in who and harness.buttons(JEFE)[:3] == [
        "👨‍👩‍👧 Toda la familia", "👤 María Pérez Soto", "👤 Pedro Pérez Soto"]
    confirm = (await harness.tap(JEFE, "Toda la familia"))[-1]
    assert "No se puede deshacer" in confirm and "Quedan las sesiones" in confirm
    await harness.tap(JEFE, "No, volver")
    assert (await _family(session_factory, family_id)).anonymised_at is None
    await harness.tap(JEFE, "Anonimizar")
    await harness.tap(JEFE, "Toda la familia")
    card = (await harness.tap(JEFE, "Sí, anonimizar"))[-1]
    assert "Familia anonimizada" in card and "María" not in card and "12.345.678-5" not in card

    family = await _family(session_factory, family_id)
    assert (family.family_name, family.sector, family.code, family.anonymised_at) == (
        "Familia anonimizada", None, "F-001", clock())
    members = await _rows(session_factory, Member, Member.family_id == family_id)
    assert {(m.given_names, m.surnames, m.run, m.birth_date) for m in members} == {
        ("Persona anonimizada", "", None, None)}
    assert {m.relation for m in members} == {"jefa de hogar", "hijo"}  # statistics keep the household's shape
    [record] = await _rows(session_factory, SessionRecord)
    assert (record.note_text, record.note_voice_file_id) == (None, None)
    assert (record.code, record.held_on, record.outcome, record.products_done) == ("S1", date(2026, 11, 20), "done",
                                                                                   [0, 1])
    assert [(m.indicator_code, m.state) for m in await _rows(session_factory, MatrizState)] == [("i32", "a_trabajar")]
    [bono] = await _rows(session_factory, BonoFollowup)
    assert (bono.answer, bono.note) == ("problema", None)
    entries = await _rows(session_factory, CuadernoEntry)
    assert len(entries) == 2 and all(e.text is None and e.file_id is None and e.file_unique_id is None
                                     and e.deleted_at is not None for e in entries)
    [account] = await _rows(session_factory, ChatAccount, ChatAccount.telegram_user_id == FAMILY)
    assert account.member_id is None and account.consent_at is None
    assert not await _rows(session_factory, FsmRecord, FsmRecord.key.like(f"fsm:%:{FAMILY}:{FAMILY}:%"))
    assert "family.erase" in await _actions(session_factory)
    assert "Tu acceso a Acompaña fue desactivado" in (await harness.say(FAMILY, "/menu"))[-1]


async def test_the_admin_erases_a_person_and_blocks_a_family_from_the_cli(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'acompana.sqlite3'}", "BOT_TOKEN": "424242:AAHtestTOKENtestTOKENtestTOKENtest12",
           "BOT_API_BASE_URL": "http://127.0.0.1:9"}
    (tmp_path / "cohorte.csv").write_text(seed.COHORT.format(run1="12.345.678-5", run2="11.111.111-1",
                                                             run3="22.222.222-2"), encoding="utf-8")
    assert (await cli("unit-create", "--comuna", "Conchalí", "--name", "UIF", cwd=tmp_path, **env)).status == 0
    assert (await cli("families-import", "--unit", "1", "cohorte.csv", cwd=tmp_path, **env)).status == 0

    asked = await cli("subject-erase", "--member", "2", cwd=tmp_path, **env)
    assert asked.status == 1 and "--yes" in asked.err and "Traceback" not in asked.err
    done = await cli("subject-erase", "--member", "2", "--yes", cwd=tmp_path, **env)
    assert done.status == 0 and "Anonimizado" in done.out, done
    bad = await cli("family-block", "--family", "1", "--reason", "porque", cwd=tmp_path, **env)
    assert bad.status == 1 and "request, opposition" in bad.err
    missing = await cli("family-block", "--family", "99", "--reason", "request", cwd=tmp_path, **env)
    assert missing.status == 1 and "No existe la familia 99" in missing.err
    assert (await cli("family-block", "--family", "1", "--reason", "request", cwd=tmp_path, **env)).status == 0
    assert (await cli("family-unblock", "--family", "1", "--reason", "mistake", cwd=tmp_path, **env)).status == 0

    with sqlite3.connect(tmp_path / "acompana.sqlite3") as db:
        members = db.execute("SELECT id, given_names, run FROM member ORDER BY id").fetchall()
        events = db.execute("SELECT action, reason, actor FROM family_block_event ORDER BY id").fetchall()
        audit = [row[0] for row in db.execute("SELECT action FROM audit_event ORDER BY id")]
        blocked = db.execute("SELECT blocked_at FROM family WHERE id = 1").fetchone()
    assert members[0][1] == "María" and members[1][1:] == ("Persona anonimizada", None) and members[2][1] == "Jean"
    assert events == [("block", "request", "admin"), ("unblock", "mistake", "admin")] and blocked == (None,)
    assert {"member.erase", "family.block", "family.unblock"} <= set(audit)


async def test_another_member_withdrawing_unlinks_only_their_chat(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    family_id = unit.family_ids["F-001"]
    son = 7002
    async with session_factory() as session:  # Pedro linked his own chat and accepted earlier
        pedro = next(m for m in await people_repo.list_members(session, family_id=family_id) if m.given_names == "Pedro")
        session.add(ChatAccount(telegram_user_id=son, chat_id=son, member_id=pedro.id, consent_at=clock(),
                                consent_version=PRIVACY_NOTICE_VERSION, created_at=clock()))
        await session.commit()
    await harness.say(son, "/menu")
    await harness.tap(son, "Privacidad")
    explained = (await harness.tap(son, "Retirar mi consentimiento"))[-1]
    assert "siguen en el programa" in explained and "quedan bloqueados" not in explained
    done = (await harness.tap(son, "Sí, retirar"))[-1]
    assert "desvinculado" in done and "Bloqueamos" not in done
    assert (await _family(session_factory, family_id)).blocked_at is None
    [own] = await _rows(session_factory, ChatAccount, ChatAccount.telegram_user_id == son)
    [mother] = await _rows(session_factory, ChatAccount, ChatAccount.telegram_user_id == FAMILY)
    assert own.member_id is None and mother.member_id is not None
    assert "Hola, María" in (await harness.say(FAMILY, "/menu"))[-1]


async def test_the_jefe_anonymises_one_person_from_the_card(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    family_id = unit.family_ids["F-001"]
    await harness.say(JEFE, f"/start {unit.jefe_code}")
    await _open_card(harness, JEFE)
    await harness.tap(JEFE, "Anonimizar")
    confirm = (await harness.tap(JEFE, "Pedro"))[-1]
    assert "Anonimizar a 👤 Pedro Pérez Soto" in confirm and "La familia y sus sesiones siguen" in confirm
    card = (await harness.tap(JEFE, "Sí, anonimizar"))[-1]
    assert "Persona anonimizada" in card and "Pedro" not in card and "María Pérez Soto" in card
    members = {m.relation: m for m in await _rows(session_factory, Member, Member.family_id == family_id)}
    assert (members["hijo"].given_names, members["hijo"].run) == ("Persona anonimizada", None)
    assert members["jefa de hogar"].given_names == "María"
    assert (await _family(session_factory, family_id)).family_name == "Pérez Soto"
    assert "member.erase" in await _actions(session_factory)


async def test_erasure_also_blanks_the_rectifications_and_correction_requests(session_factory, clock):
    """The rectification tables hold old and new names, RUNs and birth dates, and what the person wrote."""
    from storage.corrections import CorrectionRequest, MemberChange

    unit = await seed.unit_with_families(session_factory, clock())
    family_id = unit.family_ids["F-001"]
    async with session_factory() as session:
        member = (await people_repo.list_members(session, family_id=family_id))[0]
        session.add(MemberChange(member_id=member.id, family_id=family_id, field="run", old_value="12.345.678-5",
                                 new_value="12.345.679-3"))
        session.add(CorrectionRequest(family_id=family_id, member_id=member.id, text="mi apellido es Soto",
                                      voice_file_id="voice-1"))
        await session.commit()
        member_id = member.id
    async with session_factory() as session:
        await erasure.erase_member(session, actor=Actor(role=Role.ADMIN), member_id=member_id, now=clock())
        await session.commit()
    change = (await _rows(session_factory, MemberChange))[0]
    request = (await _rows(session_factory, CorrectionRequest))[0]
    assert (change.field, change.old_value, change.new_value) == ("run", None, None)
    assert (request.text, request.voice_file_id) == (None, None)
    assert {"member_change.old_value", "correction_request.text"} <= erasure.erased_columns()
