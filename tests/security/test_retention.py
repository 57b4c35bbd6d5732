"""The retention schedule (program/data/retention.yaml, README: Privacy), applied by the nightly job and by
`python -m bot retention-run`, with the clock moved by hand: what is past its time goes, the rest stays, each
run is audited with its counts, and families closed longer than RETENTION_YEARS_AFTER_CLOSURE are anonymised."""
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.scheduler import Scheduler
from program.retention import RetentionError, closed_before, load_schedule, parse
from services import retention
from storage.cuaderno import CuadernoEntry
from storage.models import AuditEvent, CodeAttempt, Family, FsmRecord, Member
from storage.outbox import OutboxMessage
from storage.records import SessionRecord
from tests.e2e.test_cli import cli
from tests.support import seed


async def _rows(session_factory, model, *where):
    async with session_factory() as session:
        return list((await session.exec(select(model).where(*where))).all())


async def _add(session_factory, *rows) -> None:
    async with session_factory() as session:
        session.add_all(rows)
        await session.commit()


def _message(key: str, status: str, at, account_id: int) -> OutboxMessage:
    return OutboxMessage(account_id=account_id, chat_id=1, kind="visit_reminder", template="visit_evening",
                         args={"staff": "Carla Rojas"}, due_at=at, dedupe_key=key, status=status, updated_at=at)


async def _an_account(session_factory, clock) -> int:
    from storage.models import ChatAccount

    account = ChatAccount(telegram_user_id=1, chat_id=1, created_at=clock())
    await _add(session_factory, account)
    return (await _rows(session_factory, ChatAccount))[0].id


async def _close(session_factory, unit, code: str, closed_on: date) -> int:
    family_id = unit.family_ids[code]
    async with session_factory() as session:
        family = await session.get(Family, family_id)
        family.status = "abandoned"
        session.add(family)
        session.add(SessionRecord(family_id=family_id, unit_id=unit.unit_id, track="aps", code="S5",
                                  catalog_version="1", held_on=closed_on, outcome="abandoned",
                                  reason="se cambió de comuna con su pareja", recorded_by_id=unit.afi_id))
        await session.commit()
    return family_id


def test_the_schedule_file_is_valid_and_bad_values_are_listed():
    schedule = load_schedule()
    assert (schedule.outbox_sent_days, schedule.outbox_cancelled_days, schedule.dialog_drafts_days,
            schedule.hidden_cuaderno_days) == (90, 90, 30, 0)
    with pytest.raises(RetentionError) as error:
        parse({"outbox_sent_days": -1, "outbox_cancelled_days": "x", "dialog_drafts_days": 30,
               "hidden_cuaderno_days": 0, "code_attempts_days": 1, "kept_after_erasure": ["nodot"], "extra": 1})
    assert len(error.value.errors) == 4


def test_closure_years_count_from_the_closing_day():
    assert not closed_before(date(2021, 3, 1), date(2026, 2, 28), 5)
    assert closed_before(date(2021, 3, 1), date(2026, 3, 1), 5)
    assert closed_before(date(2020, 2, 29), date(2025, 2, 28), 5)
    assert not closed_before(None, date(2100, 1, 1), 5)


async def test_a_nightly_run_deletes_what_is_past_its_time_and_keeps_the_rest(session_factory, clock):
    account_id = await _an_account(session_factory, clock)
    start = clock()
    await _add(session_factory,
               _message("sent-old", "sent", start, account_id), _message("skipped-old", "skipped", start, account_id),
               _message("cancelled-old", "cancelled", start, account_id),
               _message("pending-old", "pending", start, account_id),
               FsmRecord(key="fsm:1:1:1:default", state="RecordSession:note", data='{"note": "texto"}',
                         updated_at=start),
               CodeAttempt(telegram_user_id=9, at=start))
    clock.advance(days=60)
    await _add(session_factory, _message("sent-recent", "sent", clock(), account_id),
               FsmRecord(key="fsm:1:2:2:default", state="X:y", data="{}", updated_at=clock()))
    clock.advance(days=31)  # 91 days after start, 31 after the recent rows (past the drafts' 30 days)

    async with session_factory() as session:
        result = await retention.run(session, now=clock(), years_after_closure=5)
        await session.commit()
    assert (result.outbox_sent, result.outbox_cancelled, result.dialog_drafts, result.code_attempts) == (2, 1, 2, 1)
    # Pending rows are the dispatcher's (it expires or sends them); a sent row 31 days old waits its 90 days.
    assert sorted(r.dedupe_key for r in await _rows(session_factory, OutboxMessage)) == ["pending-old", "sent-recent"]
    assert not await _rows(session_factory, FsmRecord) and not await _rows(session_factory, CodeAttempt)
    audit = {(e.action, e.record_id) for e in await _rows(session_factory, AuditEvent)}
    assert {("retention.outbox_sent", 2), ("retention.outbox_cancelled", 1), ("retention.dialog_drafts", 2),
            ("retention.code_attempts", 1), ("retention.run", 6)} <= audit
    # A second run the same night finds nothing more, and says so.
    async with session_factory() as session:
        again = await retention.run(session, now=clock(), years_after_closure=5)
        await session.commit()
    assert sum(again.counts().values()) == 0
    assert [e.record_id for e in await _rows(session_factory, AuditEvent, AuditEvent.action == "retention.run")] == [6, 0]


async def test_hidden_notebook_entries_go_for_real_and_closed_families_are_anonymised_in_time(session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    f1, f2 = unit.family_ids["F-001"], unit.family_ids["F-002"]
    await _add(session_factory,
               CuadernoEntry(family_id=f1, kind="note", content_type="photo", text="receta", file_id="photo-1",
                             created_at=clock(), deleted_at=clock()),
               CuadernoEntry(family_id=f1, kind="note", content_type="text", text="sigue a la vista",
                             created_at=clock()))
    today = clock().date()
    await _close(session_factory, unit, "F-001", today.replace(year=today.year - 6))
    await _close(session_factory, unit, "F-002", today.replace(year=today.year - 4) - timedelta(days=100))

    async with session_factory() as session:
        result = await retention.run(session, now=clock(), years_after_closure=5)
        await session.commit()
    assert result.hidden_cuaderno == 1 and result.anonymised_ids == [f1]
    [kept] = await _rows(session_factory, CuadernoEntry)  # the photo's row and file id are gone
    # F-001's visible entry was blanked and hidden by the erasure: its row goes at the next run.
    assert (kept.text, kept.file_id, kept.deleted_at) == (None, None, clock())
    first = await _rows(session_factory, Member, Member.family_id == f1)
    assert {m.given_names for m in first} == {"Persona anonimizada"} and {m.run for m in first} == {None}
    [record] = await _rows(session_factory, SessionRecord, SessionRecord.family_id == f1)
    assert (record.reason, record.outcome, record.code) == (None, "abandoned", "S5")
    second = await _rows(session_factory, Member, Member.family_id == f2)
    assert {m.given_names for m in second} == {"Jean"}
    audit = [(e.action, e.actor_type, e.record_id) for e in await _rows(session_factory, AuditEvent)]
    assert ("family.erase", "system", f1) in audit and ("retention.families_anonymised", "system", 1) in audit

    # A year on (the controllable clock), the second family's five years are over too.
    clock.advance(days=366)
    async with session_factory() as session:
        result = await retention.run(session, now=clock(), years_after_closure=5)
        await session.commit()
    assert result.anonymised_ids == [f2] and result.hidden_cuaderno == 1
    assert not await _rows(session_factory, CuadernoEntry)
    assert {m.given_names for m in await _rows(session_factory, Member, Member.family_id == f2)} == {
        "Persona anonimizada"}
    # The setting decides: with 10 years nothing would have gone.
    assert not closed_before(today.replace(year=today.year - 6), clock().date(), 10)


async def test_the_scheduler_runs_retention_every_night(session_factory, clock):
    scheduler = Scheduler(session_factory.kw["bind"], session_factory, clock=clock, retention_years=7)
    job = scheduler.scheduler.get_job("retention")
    assert job is not None and "cron" in str(job.trigger) and "hour='7'" in str(job.trigger)
    try:
        await scheduler._retain()  # what the job calls (as the leader: on PostgreSQL it takes the lock)
    finally:
        await scheduler.leadership.release()
    [run] = await _rows(session_factory, AuditEvent, AuditEvent.action == "retention.run")
    assert (run.actor_type, run.record_type, run.record_id) == ("system", "count", 0)


async def test_the_admin_runs_retention_from_the_cli(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'acompana.sqlite3'}", "BOT_API_BASE_URL": "http://127.0.0.1:9"}
    result = await cli("retention-run", cwd=tmp_path, **env)
    assert result.status == 0 and "Conservación aplicada: 0 mensajes enviados" in result.out, result
    assert "retention-run" in (await cli("--help", cwd=tmp_path)).out
