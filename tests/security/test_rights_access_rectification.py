"""Ley 21.719, end to end: access and portability (📦 Descargar mis datos, `subject-export`), rectification
(✏️ Corregir datos on the card, ✏️ Pedir una corrección in the privacy menu, the digest), and the
tamper-evident audit trail (`audit-verify`), through the real Dispatcher, the fake Bot API and the CLI."""
import asyncio
import getpass
import io
import json
import sqlite3
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from program.access import Actor
from program.roles import Role
from services import audit, cuaderno, group_sessions, planner_digest, rectification, subject_export, units
from services.cuaderno import NewEntry
from services.errors import NotAllowed
from services.nudge_settings import schedule_for
from storage import people_repo
from storage.corrections import CorrectionRequest, MemberChange
from storage.models import AuditEvent, ChatAccount, Member
from tests.e2e.test_cli import CLOSED_PORT, GOOD_ROWS, HEADER, cli
from tests.support import seed, updates
from tests.support.harness import BotHarness
from tests.support.outbox import enqueue
from tests.support.outbox import row as outbox_row

FAMILY, OTHER_FAMILY, AFI, JEFE = 6001, 6002, 5001, 5002
SECRET = "<script>alert('x')</script> nota privada de los Pérez"


async def _events(session_factory, action: str) -> list[AuditEvent]:
    async with session_factory() as session:
        return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action)
                                        .order_by(AuditEvent.id))).all())


async def _link_family(harness, session_factory, clock, unit, code: str, user_id: int) -> None:
    invite = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids[code])
    await harness.say(user_id, f"/start {invite}")
    await harness.tap(user_id, "Acepto")


async def _family_actor(session_factory, unit, code: str) -> Actor:
    async with session_factory() as session:
        member = await people_repo.representative(session, family_id=unit.family_ids[code])
    return Actor(role=Role.FAMILY, unit_id=unit.unit_id, family_id=unit.family_ids[code], member_id=member.id,
                 is_representative=True)


async def _write_cuaderno(session_factory, clock, actor: Actor, **content) -> None:
    async with session_factory() as session:
        await cuaderno.add_entry(session, actor=actor, family_id=actor.family_id, now=clock(),
                                 new=NewEntry(dimension="salud", kind="interest", **content))
        await session.commit()


def _documents(harness, user_id: int) -> dict[str, bytes]:
    return {call.params["document"].filename: call.params["document"].data
            for call in harness.api.requests("sendDocument", chat_id=user_id) if not call.fault}


# --- Access and portability -------------------------------------------------------------------------------

async def test_a_family_downloads_everything_about_it_and_nothing_of_another(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _link_family(harness, session_factory, clock, unit, "F-001", FAMILY)
    await _link_family(harness, session_factory, clock, unit, "F-002", OTHER_FAMILY)
    mine = await _family_actor(session_factory, unit, "F-001")
    await _write_cuaderno(session_factory, clock, mine, content_type="text", text=SECRET)
    await _write_cuaderno(session_factory, clock, mine, content_type="voice", file_id="VOICE-PEREZ-1", duration=7)
    other = await _family_actor(session_factory, unit, "F-002")
    await _write_cuaderno(session_factory, clock, other, content_type="text", text="secreto de la familia Joseph")

    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Privacidad")
    assert {"📦 Descargar mis datos", "✏️ Pedir una corrección"} <= set(harness.buttons(FAMILY))
    await harness.tap(FAMILY, "Descargar mis datos")

    files = _documents(harness, FAMILY)
    assert set(files) == {"mis_datos_acompana.html", "mis_datos_acompana.zip"}
    archive = zipfile.ZipFile(io.BytesIO(files["mis_datos_acompana.zip"]))
    names = set(archive.namelist())
    for table in ("family", "members", "session_records", "commitments", "commitment_events", "cuaderno_entries",
                  "bono_answers", "group_invitations", "group_sessions", "consents", "audit_events",
                  "messages_sent", "member_changes", "correction_requests", "media"):
        assert f"data/{table}.json" in names, table
    members = json.loads(archive.read("data/members.json"))
    assert {(m["given_names"], m["run"]) for m in members} == {("María", "12345678-5"), ("Pedro", "12345679-3")}
    assert [e["text"] for e in json.loads(archive.read("data/cuaderno_entries.json"))] == [SECRET, None]
    assert [m["file_id"] for m in json.loads(archive.read("data/media.json"))] == ["VOICE-PEREZ-1"]
    consents = json.loads(archive.read("data/consents.json"))
    assert [c["accepted_at"] is not None for c in consents] == [True]
    assert {"consent.accept", "cuaderno.add"} <= {e["action"] for e in json.loads(archive.read("data/audit_events.json"))}

    # Nothing of the other family, anywhere in the zip or the document.
    everything = b"".join(archive.read(name) for name in names) + files["mis_datos_acompana.html"]
    for foreign in ("Joseph", "secreto de la familia Joseph", str(OTHER_FAMILY)):
        assert foreign.encode() not in everything, foreign

    html = files["mis_datos_acompana.html"].decode()
    assert "Tus datos en Acompaña" in html and "12.345.678-5" in html and "VOICE-PEREZ-1" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html  # the family's words shown, never run
    assert '<meta name="viewport"' in html  # readable on a phone
    exported = await _events(session_factory, "subject.export")
    assert [(e.actor_type, e.record_id) for e in exported] == [("member", mine.member_id)]


async def test_the_privacy_command_opens_every_right(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _link_family(harness, session_factory, clock, unit, "F-001", FAMILY)
    await harness.say(FAMILY, "/privacidad")
    assert {"📦 Descargar mis datos", "✏️ Pedir una corrección", "🚫 Retirar mi consentimiento"} <= set(
        harness.buttons(FAMILY))
    await harness.tap(FAMILY, "Menú")
    assert "Mi plan" in " ".join(harness.buttons(FAMILY))


async def test_the_document_comes_in_the_persons_language(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _link_family(harness, session_factory, clock, unit, "F-001", FAMILY)
    await harness.say(FAMILY, "/idioma")
    await harness.tap(FAMILY, "English")
    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Privacy")
    await harness.tap(FAMILY, "Download my data")
    html = _documents(harness, FAMILY)["mis_datos_acompana.html"].decode()
    assert 'lang="en"' in html and "Your data in Acompaña" in html


async def test_a_family_cannot_export_another_family_and_the_attempt_is_audited(session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    mine = await _family_actor(session_factory, unit, "F-001")
    other = await _family_actor(session_factory, unit, "F-002")
    afi = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    async with session_factory() as session:
        for actor in (mine, afi):
            with pytest.raises(NotAllowed):
                await subject_export.build(session, actor=actor, member_id=other.member_id, now=clock())
        await session.commit()
    denied = await _events(session_factory, "denied.subject.export")
    assert [(e.actor_type, e.record_id) for e in denied] == [("member", other.member_id), ("staff", other.member_id)]


async def test_subject_export_and_audit_verify_from_the_cli(tmp_path, fake_api):
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}", "BOT_API_BASE_URL": CLOSED_PORT}
    assert (await cli("unit-create", "--comuna", "Conchalí", "--name", "UIF", cwd=tmp_path, **env)).status == 0
    (tmp_path / "c.csv").write_text(HEADER + GOOD_ROWS, encoding="utf-8")
    assert (await cli("families-import", "--unit", "1", str(tmp_path / "c.csv"), cwd=tmp_path, **env)).status == 0
    database = sqlite3.connect(tmp_path / "db.sqlite3")
    database.execute("INSERT INTO cuaderno_entry (family_id, member_id, kind, content_type, file_id, duration, "
                     "created_at) VALUES (1, 1, 'note', 'voice', 'VOICE-CLI', 4, '2026-11-20 12:00:00.000000')")
    database.commit()

    fake_api.file_content = b"OggS-voice-bytes"
    online = env | {"BOT_API_BASE_URL": fake_api.base_url, "BOT_TOKEN": BotHarness.TOKEN}
    result = await cli("subject-export", "--run", "12.345.678-5", str(tmp_path / "out.zip"), "--media",
                       str(tmp_path / "media"), cwd=tmp_path, **online)
    assert result.status == 0 and "out.zip" in result.out and "descargadas" in result.out, result
    assert [p.read_bytes() for p in (tmp_path / "media").iterdir()] == [b"OggS-voice-bytes"]
    assert fake_api.requests("getFile")[0].params["file_id"] == "VOICE-CLI"
    archive = zipfile.ZipFile(tmp_path / "out.zip")
    assert "mis_datos_acompana.html" in archive.namelist()
    assert [m["file_id"] for m in json.loads(archive.read("data/media.json"))] == ["VOICE-CLI"]
    assert [m["given_names"] for m in json.loads(archive.read("data/members.json"))] == ["María", "Pedro"]
    assert "Jean" not in json.dumps([json.loads(archive.read(n)) for n in archive.namelist() if n.endswith(".json")])
    missing = await cli("subject-export", "--member", "999", str(tmp_path / "x.zip"), cwd=tmp_path, **env)
    assert missing.status != 0 and "No existe esa persona" in missing.err and "Traceback" not in missing.err
    bad_run = await cli("subject-export", "--run", "12.345.678-9", str(tmp_path / "x.zip"), cwd=tmp_path, **env)
    assert bad_run.status != 0 and "dígito verificador" in bad_run.err

    # Every CLI action names the operating-system user; the trail verifies.
    rows = database.execute("SELECT id, actor_name, action FROM audit_event ORDER BY id").fetchall()
    assert {name for _id, name, _action in rows} == {getpass.getuser()}
    assert "subject.export" in {action for _id, _name, action in rows}
    ok = await cli("audit-verify", cwd=tmp_path, **env)
    assert ok.status == 0 and f"{len(rows)} eventos" in ok.out, ok

    # Tampering with one row's content is reported at that row; a removed row at the next one.
    second, third = rows[1][0], rows[2][0]
    database.execute("UPDATE audit_event SET record_id = 999 WHERE id = ?", (second,))
    database.commit()
    tampered = await cli("audit-verify", cwd=tmp_path, **env)
    assert tampered.status != 0 and f"evento {second} (su contenido fue modificado)" in tampered.err, tampered
    database.execute("DELETE FROM audit_event WHERE id = ?", (second,))
    database.commit()
    removed = await cli("audit-verify", cwd=tmp_path, **env)
    assert removed.status != 0 and f"evento {third} (el evento anterior fue borrado" in removed.err, removed
    database.close()


async def test_removing_the_newest_events_is_noticed(session_factory, clock):
    await seed.unit_with_families(session_factory, clock())
    async with session_factory() as session:
        report = await audit.verify_chain(session)
        assert report.ok and report.count > 3
        last = (await session.exec(select(AuditEvent).order_by(AuditEvent.id.desc()))).first()
        await session.exec(text("DELETE FROM audit_event WHERE id = :id").bindparams(id=last.id))
        broken = await audit.verify_chain(session)
    assert (broken.ok, broken.reason, broken.broken_id) == (False, "tail", last.id - 1)


async def test_concurrent_writers_keep_a_single_chain(session_factory, clock):
    await seed.unit_with_families(session_factory, clock())

    async def write(n: int) -> None:
        async with session_factory() as session:
            await audit.record(session, actor=None, action="test.concurrent", record_type="unit", record_id=n)
            await asyncio.sleep(0.01)  # hold the transaction open: the next writer must wait, not fork
            await session.commit()

    await asyncio.gather(*(write(n) for n in range(20)))
    async with session_factory() as session:
        report = await audit.verify_chain(session)
        prevs = (await session.exec(select(AuditEvent.prev_hash))).all()
    assert report.ok, report
    assert len(prevs) == len(set(prevs)) == report.count  # nobody chained to the same predecessor


# --- The person's own decisions and group attendance are audited -----------------------------------------

async def test_blocking_unblocking_and_a_403_are_audited(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _link_family(harness, session_factory, clock, unit, "F-001", FAMILY)
    await harness.feed(updates.my_chat_member(FAMILY, "kicked"))
    await harness.feed(updates.my_chat_member(FAMILY, "member", old_status="kicked"))
    blocked, unblocked = await _events(session_factory, "account.blocked"), await _events(session_factory,
                                                                                          "account.unblocked")
    assert [(e.actor_type, e.record_type) for e in blocked + unblocked] == [("member", "chat_account")] * 2

    # Telegram answers 403 to a reminder: the dispatcher marks the account blocked, audited as the system.
    async with session_factory() as session:
        account = (await session.exec(select(ChatAccount).where(ChatAccount.telegram_user_id == FAMILY))).one()
    await enqueue(session_factory, [outbox_row(account.id, FAMILY, clock(), "test:403")])
    harness.api.block_chat(FAMILY)
    assert (await harness.delivery().tick()).outcomes == {"skipped:blocked": 1}
    events = await _events(session_factory, "account.blocked")
    assert [e.actor_type for e in events] == ["member", "system"]
    # Writing to the bot again means they unblocked it: audited as theirs.
    harness.api.unblock_chat(FAMILY)
    await harness.say(FAMILY, "hola")
    assert [e.actor_type for e in await _events(session_factory, "account.unblocked")] == ["member", "member"]


async def test_each_familys_attendance_is_audited(session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    async with session_factory() as session:
        gestor, _code = await units.add_staff(session, unit_id=unit.unit_id, name="Gestora", role="gestor_socio",
                                              now=clock())
        await session.commit()
    actor = Actor(role=Role.GESTOR_SOCIO, unit_id=unit.unit_id, staff_id=gestor.id)
    f1, f2 = unit.family_ids["F-001"], unit.family_ids["F-002"]
    async with session_factory() as session:
        group = await group_sessions.create(session, actor=actor, track="aps", code="S9",
                                            starts_at=clock() + timedelta(days=2), place="Sede vecinal", address=None,
                                            territory=None, family_ids=[f1, f2], now=clock())
        await group_sessions.record(session, actor=actor, group_session_id=group.id, now=clock(),
                                    held_on=clock().date(), data=group_sessions.GroupRecord(
                                        attended=[f1], walk_ins=[], products_done=[]))
        await session.commit()
    attended, absent = await _events(session_factory, "group_session.attended"), await _events(
        session_factory, "group_session.absent")
    assert [(e.record_type, e.actor_id) for e in attended + absent] == [("group_invitation", gestor.id)] * 2


# --- Rectification -----------------------------------------------------------------------------------------

async def _open_card(harness, unit) -> None:
    await harness.say(AFI, f"/start {unit.afi_code}")
    await harness.tap(AFI, "Mis familias")
    await harness.tap(AFI, "Pérez Soto")


async def test_the_afi_corrects_a_members_run_and_birth_date_with_kind_errors(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _open_card(harness, unit)
    await harness.tap(AFI, "Corregir datos")
    assert harness.buttons(AFI)[:2] == ["María Pérez Soto", "Pedro Pérez Soto"]
    await harness.tap(AFI, "Pedro")
    assert "RUN: 12.345.679-3" in harness.buttons(AFI)
    assert "dígito verificador" in (await harness.tap(AFI, "RUN:"))[-1]
    assert "El dígito verificador no corresponde" in (await harness.say(AFI, "11.111.111-2"))[0]
    assert "ya está registrado para otra persona" in (await harness.say(AFI, "12.345.678-5"))[0]
    assert "Corregido · RUN: «12.345.679-3» → «11.111.111-1»" in (await harness.say(AFI, "11111111-1"))[0]
    await harness.tap(AFI, "Fecha de nacimiento")
    assert "No entendí la fecha" in (await harness.say(AFI, "31-02-2010"))[0]
    assert "todavía no llega" in (await harness.say(AFI, "01-01-2030"))[0]
    assert "«—» → «05-03-2010»" in (await harness.say(AFI, "5/3/2010"))[0]

    async with session_factory() as session:
        pedro = (await session.exec(select(Member).where(Member.given_names == "Pedro"))).one()
        changes = (await session.exec(select(MemberChange).order_by(MemberChange.id))).all()
    assert (pedro.run, pedro.birth_date) == ("11111111-1", date(2010, 3, 5))
    assert [(c.field, c.old_value, c.new_value, c.changed_by_id) for c in changes] == [
        ("run", "12345679-3", "11111111-1", unit.afi_id), ("birth_date", None, "2010-03-05", unit.afi_id)]
    events = await _events(session_factory, "member.correct.run") + await _events(session_factory,
                                                                                 "member.correct.birth_date")
    assert [(e.record_type, e.record_id, e.actor_id) for e in events] == [("member", pedro.id, unit.afi_id)] * 2


async def test_only_the_assigned_afi_or_the_jefe_corrects(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _open_card(harness, unit)
    assert "✏️ Corregir datos" in harness.buttons(AFI)  # F-001 is hers
    # F-002 has no AFI: she may not correct it (a forged id reaches the same service), and it is audited.
    async with session_factory() as session:
        other_afi = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
        with pytest.raises(NotAllowed):
            await rectification.correct_member(session, actor=other_afi, member_id=(await people_repo.representative(
                session, family_id=unit.family_ids["F-002"])).id, field="given_names", raw_value="X",
                today=clock().date(), now=clock())
        jefe = Actor(role=Role.JEFE, unit_id=unit.unit_id, staff_id=unit.jefe_id)
        member = await people_repo.representative(session, family_id=unit.family_ids["F-002"])
        await rectification.correct_member(session, actor=jefe, member_id=member.id, field="given_names",
                                           raw_value="  Jean   Baptiste ", today=clock().date(), now=clock())
        await session.commit()
        assert member.given_names == "Jean Baptiste"
    assert [e.record_type for e in await _events(session_factory, "denied.member.correct")] == ["family"]


async def test_a_family_asks_for_a_correction_and_the_afi_sees_it_until_done(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _link_family(harness, session_factory, clock, unit, "F-001", FAMILY)
    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Privacidad")
    assert "Escribe o manda un audio" in (await harness.tap(FAMILY, "Pedir una corrección"))[-1]
    assert "Eso no lo puedo guardar" in harness._texts(await harness.feed(updates.sticker(FAMILY)), FAMILY)[0]
    texts = harness._texts(await harness.feed(updates.voice(FAMILY, file_id="VOICE-FIX")), FAMILY)
    assert "Recibimos tu pedido" in texts[0]
    await harness.tap(FAMILY, "Pedir una corrección")
    assert "Recibimos tu pedido" in (await harness.say(FAMILY, "Mi hijo se llama Pedro Pablo"))[0]

    # The AFI's digest names the family; the card has the requests, to listen to and mark done.
    async with session_factory() as session:
        unit_row = await people_repo.get_unit(session, unit_id=unit.unit_id)
        afi = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
        content = await planner_digest.digest_content(session, actor=afi, unit=unit_row,
                                                      schedule=schedule_for(unit_row), now=clock())
    assert content["corrections"] == [{"family": "Pérez Soto · F-001"}]
    await _open_card(harness, unit)
    await harness.tap(AFI, "Pedidos de corrección: 2")
    listing = harness.last_text(AFI)
    assert "🎤 nota de voz" in listing and "«Mi hijo se llama Pedro Pablo»" in listing
    await harness.tap(AFI, "Escuchar 1")
    assert harness.api.requests("sendVoice", chat_id=AFI)[-1].params["voice"] == "VOICE-FIX"
    await harness.tap(AFI, "✔️ 1")
    await harness.tap(AFI, "✔️ 1")  # the second request is now the first
    assert "No hay pedidos pendientes" in harness.last_text(AFI)
    async with session_factory() as session:
        requests = (await session.exec(select(CorrectionRequest))).all()
        assert [(r.done_by_id is not None, r.voice_file_id) for r in requests] == [(True, "VOICE-FIX"), (True, None)]
        content = await planner_digest.digest_content(session, actor=afi, unit=unit_row,
                                                      schedule=schedule_for(unit_row), now=clock())
    assert content["corrections"] == []
    assert len(await _events(session_factory, "correction.request")) == 2
    assert len(await _events(session_factory, "correction.done")) == 2


def test_the_app_never_updates_or_deletes_audit_rows():
    """Only the migration that introduced the chain writes to stored events; the code appends only."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    forbidden = re.compile(r"(update|delete)\(\s*AuditEvent|(UPDATE|DELETE\s+FROM)\s+audit_event|"
                           r"session\.delete\(\s*(event|audit)", re.IGNORECASE)
    offenders = [f"{path.relative_to(root)}: {match.group(0)}"
                 for folder in ("bot", "handlers", "dialogs", "services", "storage", "program", "texts")
                 for path in (root / folder).rglob("*.py") if "migrations" not in path.parts
                 for match in forbidden.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []
