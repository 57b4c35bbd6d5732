"""Nudge rules: the shipped schedule, visit/commitment/Bono messages, staff digests, DST and horizon."""
import dataclasses
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from program.nudge_rules import (
    BonoFact,
    CommitmentFact,
    Recipient,
    VisitFact,
    bono_questions,
    commitment_nudges,
    digest,
    visit_reminders,
    weekly_summary,
)
from program.nudge_schedule import NudgeScheduleError, load_schedule, validate_schedule

SCHEDULE_FILE = Path(__file__).parents[2] / "program" / "data" / "nudges.yaml"
UTC = UTC
SCL, MAG, AYS, EAS = "America/Santiago", "America/Punta_Arenas", "America/Coyhaique", "Pacific/Easter"
FAMILY = (Recipient(11),)


@pytest.fixture(scope="module")
def sched():
    return load_schedule()


@pytest.fixture
def raw():
    return yaml.safe_load(SCHEDULE_FILE.read_text(encoding="utf-8"))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(tz, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def visit(at, recipients=FAMILY, visit_id=7):
    return VisitFact(visit_id=visit_id, family_id=3, at=at, recipients=recipients, staff_name="Ana")


def commitment(deadline, status="pending", recipients=FAMILY):
    return CommitmentFact(commitment_id=5, family_id=3, topic="Inscribir a Tomás en el liceo",
                          deadline=deadline, status=status, recipients=recipients)


def bono(answers=None, since=None, recipients=FAMILY):
    return BonoFact(family_id=3, answers=answers or {}, recipients=recipients, since=since)


def when(planned):
    return [(p.template, p.due_at) for p in planned]


def to_local_hm(moment, tz):
    return moment.astimezone(ZoneInfo(tz)).strftime("%H:%M")


# --- the schedule file ---------------------------------------------------------------------

def test_shipped_schedule(sched, raw):
    assert validate_schedule(raw) == []
    assert dataclasses.asdict(sched) == dict(
        quiet_start=time(21), quiet_end=time(9), visit_evening_before=time(19),
        visit_morning_of=time(9), visit_min_lead_minutes=60, commitment_days_before=3,
        commitment_at=time(10), commitment_overdue_days=2, bono_day=10, bono_at=time(10),
        bono_second_ask_days=5, digest_at=time(9, 0), digest_weekdays=(0, 1, 2, 3, 4),
        weekly_weekday=0, weekly_at=time(9, 15), horizon_days=14, version=raw["version"])


def test_overrides_are_merged_over_the_file(sched):
    unit = load_schedule(overrides={"bono_day": 15, "quiet_start": "20:00"})
    assert (unit.bono_day, unit.quiet_start) == (15, time(20))
    assert dataclasses.replace(unit, bono_day=10, quiet_start=time(21)) == sched


def test_every_error_is_reported():
    bad = {"bono_day": 29, "quiet_end": "9:00", "bono_at": 600, "visit_min_lead_minutes": -1,
           "digest_weekdays": [0, 7], "weekly_weekday": "lunes", "horizon_days": True,
           "version": "", "bono_second_ask_days": 28, "colour": "red"}
    with pytest.raises(NudgeScheduleError) as exc:
        load_schedule(overrides=bad)
    errs = exc.value.errors
    assert len(errs) == len(bad)
    for key in bad:
        assert sum(f"'{key}'" in e for e in errs) == 1, key
    assert "clave desconocida 'colour'" in errs


def test_missing_and_unknown_keys(raw):
    del raw["bono_at"], raw["digest_weekdays"]
    raw["bono_hour"] = "10:00"
    assert validate_schedule(raw) == ["clave desconocida 'bono_hour'", "falta 'bono_at'",
                                      "falta 'digest_weekdays'"]
    assert validate_schedule(["bono_day", 10]) != []


def test_a_units_file_with_unquoted_times_or_bad_yaml(tmp_path):
    text = SCHEDULE_FILE.read_text(encoding="utf-8").replace('bono_at: "10:00"', "bono_at: 10:00")
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(NudgeScheduleError) as exc:
        load_schedule(tmp_path / "mine.yaml")
    assert len(exc.value.errors) == 1 and "comillas" in exc.value.errors[0]
    (tmp_path / "broken.yaml").write_text("bono_day: [10\n", encoding="utf-8")
    with pytest.raises(NudgeScheduleError, match="YAML inválido"):
        load_schedule(tmp_path / "broken.yaml")


# --- visits ----------------------------------------------------------------------------------

def test_visit_reminders(sched):
    at = local(SCL, 2026, 7, 15, 15)
    planned = visit_reminders(visit(at), utc(2026, 7, 10), SCL, sched)
    assert when(planned) == [("visit_evening_before", local(SCL, 2026, 7, 14, 19)),
                             ("visit_morning_of", local(SCL, 2026, 7, 15, 9))]
    for p in planned:
        assert (p.kind, p.account_id, p.essential, p.scope) == ("visit_reminder", 11, False, "family:3")
        assert p.args["visit_at"] == "2026-07-15T19:00:00+00:00" and p.args["staff_name"] == "Ana"
        assert json.loads(json.dumps(p.args)) == p.args and p.due_at.tzinfo == UTC
    assert planned[0].key == "visit:7:2026-07-15T19:00:00+00:00:eve:11"


@pytest.mark.parametrize("visit_day, eve_utc, morning_utc", [
    # Visit on Sunday 5 April at 11:00: the evening before is still -03, the morning already -04.
    (date(2026, 4, 5), utc(2026, 4, 4, 22), utc(2026, 4, 5, 13)),
    (date(2026, 4, 6), utc(2026, 4, 5, 23), utc(2026, 4, 6, 13)),
    # Visit on Sunday 6 September at 11:00: the evening before -04, the morning -03.
    (date(2026, 9, 6), utc(2026, 9, 5, 23), utc(2026, 9, 6, 12)),
    (date(2026, 9, 7), utc(2026, 9, 6, 22), utc(2026, 9, 7, 12)),
])
def test_visit_reminders_across_the_santiago_changes(sched, visit_day, eve_utc, morning_utc):
    at = datetime.combine(visit_day, time(11), tzinfo=ZoneInfo(SCL)).astimezone(UTC)
    planned = visit_reminders(visit(at), at - timedelta(days=5), SCL, sched)
    assert [p.due_at for p in planned] == [eve_utc, morning_utc]


@pytest.mark.parametrize("tz, eve_utc, morning_utc", [
    (MAG, utc(2026, 4, 5, 22), utc(2026, 4, 6, 12)),    # UTC-3 all year
    (AYS, utc(2026, 4, 5, 22), utc(2026, 4, 6, 12)),    # UTC-3 all year since 2025
    (EAS, utc(2026, 4, 6, 1), utc(2026, 4, 6, 15)),     # UTC-6 in winter
    (SCL, utc(2026, 4, 5, 23), utc(2026, 4, 6, 13)),
])
def test_visit_reminders_in_each_units_zone(sched, tz, eve_utc, morning_utc):
    at = local(tz, 2026, 4, 6, 11)
    planned = visit_reminders(visit(at), utc(2026, 4, 1), tz, sched)
    assert [p.due_at for p in planned] == [eve_utc, morning_utc]


@pytest.mark.parametrize("hour, minute, morning", [(9, 30, False), (9, 59, False), (10, 0, True),
                                                   (8, 0, False), (0, 30, False)])
def test_morning_reminder_needs_the_lead(sched, hour, minute, morning):
    at = local(SCL, 2026, 7, 15, hour, minute)
    templates = [p.template for p in visit_reminders(visit(at), utc(2026, 7, 10), SCL, sched)]
    assert templates == ["visit_evening_before"] + (["visit_morning_of"] if morning else [])


def test_quiet_hours_move_or_drop_visit_reminders():
    at = local(SCL, 2026, 7, 15, 15)
    now = utc(2026, 7, 10)
    # 19:00 is quiet from 18:00: held to 09:00 on the visit's day, it would repeat the morning one.
    early_night = load_schedule(overrides={"quiet_start": "18:00"})
    assert when(visit_reminders(visit(at), now, SCL, early_night)) == [
        ("visit_morning_of", local(SCL, 2026, 7, 15, 9))]
    # A visit at 08:00: held until after the visit, the reminder is dropped (and no morning one).
    assert visit_reminders(visit(local(SCL, 2026, 7, 15, 8)), now, SCL, early_night) == []
    # A quiet window within the evening: the reminder waits until it ends, still the day before.
    dinner = load_schedule(overrides={"quiet_start": "18:00", "quiet_end": "20:00"})
    assert when(visit_reminders(visit(at), now, SCL, dinner))[0] == (
        "visit_evening_before", local(SCL, 2026, 7, 14, 20))
    # No quiet hours at all: a 22:00 reminder stays at 22:00; with the usual ones it is dropped.
    late = {"visit_evening_before": "22:00"}
    none = load_schedule(overrides={**late, "quiet_start": "09:00", "quiet_end": "09:00"})
    assert when(visit_reminders(visit(at), now, SCL, none))[0] == (
        "visit_evening_before", local(SCL, 2026, 7, 14, 22))
    assert [p.template for p in visit_reminders(visit(at), now, SCL, load_schedule(overrides=late))
            ] == ["visit_morning_of"]


def test_past_and_imminent_visits(sched):
    at = local(SCL, 2026, 7, 15, 15)
    assert visit_reminders(visit(at), at, SCL, sched) == []
    assert visit_reminders(visit(at), at + timedelta(days=1), SCL, sched) == []
    on_the_day = visit_reminders(visit(at), local(SCL, 2026, 7, 15, 7), SCL, sched)
    assert [p.template for p in on_the_day] == ["visit_morning_of"]
    assert visit_reminders(visit(at), local(SCL, 2026, 7, 15, 9), SCL, sched) == []


def test_nudges_off_and_blocked_recipients(sched):
    people = (Recipient(1), Recipient(2, nudges_off=True), Recipient(3, blocked=True), Recipient(1))
    at = local(SCL, 2026, 7, 15, 15)
    assert {p.account_id for p in visit_reminders(visit(at, people), utc(2026, 7, 10), SCL, sched)
            } == {1}
    planned = commitment_nudges(commitment(date(2026, 7, 20), recipients=people),
                                utc(2026, 7, 10), SCL, sched)
    assert {p.account_id for p in planned} == {1}
    asks = bono_questions(bono(recipients=people), utc(2026, 7, 2), SCL, sched)
    assert {p.account_id for p in asks} == {1, 2} and all(p.essential for p in asks)
    assert len({p.key for p in asks}) == len(asks) == 4
    assert bono_questions(bono(recipients=(Recipient(3, blocked=True),)), utc(2026, 7, 1), SCL,
                          sched) == []


def test_keys_are_stable_and_follow_a_rescheduled_visit(sched):
    at = local(SCL, 2026, 7, 15, 15)
    first = visit_reminders(visit(at), utc(2026, 7, 10), SCL, sched)
    again = visit_reminders(visit(at), utc(2026, 7, 12, 18, 33), SCL, sched)
    assert first == again and len({p.key for p in first}) == 2
    moved = visit_reminders(visit(at + timedelta(days=1)), utc(2026, 7, 10), SCL, sched)
    assert not {p.key for p in moved} & {p.key for p in first}
    other = visit_reminders(visit(at, visit_id=8), utc(2026, 7, 10), SCL, sched)
    assert not {p.key for p in other} & {p.key for p in first}


def test_horizon(sched):
    at = local(SCL, 2026, 7, 30, 15)
    eve = local(SCL, 2026, 7, 29, 19)
    edge = eve - timedelta(days=14)
    assert when(visit_reminders(visit(at), edge, SCL, sched)) == [("visit_evening_before", eve)]
    assert visit_reminders(visit(at), edge - timedelta(seconds=1), SCL, sched) == []
    assert [p.template for p in visit_reminders(visit(at), eve, SCL, sched)] == ["visit_morning_of"]
    assert visit_reminders(visit(local(SCL, 2026, 9, 1, 15)), utc(2026, 7, 1), SCL, sched) == []


# --- commitments -------------------------------------------------------------------------------

def test_commitment_due_on_the_31st(sched):
    planned = commitment_nudges(commitment(date(2026, 1, 31)), utc(2026, 1, 20), SCL, sched)
    assert [(p.kind, p.template, p.due_at) for p in planned] == [
        ("commitment_deadline", "commitment_soon", utc(2026, 1, 28, 13)),
        ("commitment_deadline", "commitment_today", utc(2026, 1, 31, 13)),
        ("commitment_overdue", "commitment_overdue", utc(2026, 2, 2, 13)),
    ]
    assert planned[0].args == {"commitment_id": 5, "topic": "Inscribir a Tomás en el liceo",
                               "deadline": "2026-01-31"}
    assert planned[0].key == "commitment:5:2026-01-31:commitment_soon:11"
    assert all(not p.essential and p.scope == "family:3" for p in planned)
    later = commitment_nudges(commitment(date(2026, 1, 31)), utc(2026, 1, 29), SCL, sched)
    assert later == planned[1:]
    moved = commitment_nudges(commitment(date(2026, 2, 3)), utc(2026, 1, 20), SCL, sched)
    assert not {p.key for p in moved} & {p.key for p in planned}


def test_commitment_across_the_september_change(sched):
    planned = commitment_nudges(commitment(date(2026, 9, 7), "in_progress"), utc(2026, 9, 1), SCL,
                                sched)
    assert [p.due_at for p in planned] == [utc(2026, 9, 4, 14), utc(2026, 9, 7, 13),
                                           utc(2026, 9, 9, 13)]


def test_closed_commitments_and_quiet_commitment_time(sched):
    for status in ("done", "not_done"):
        assert commitment_nudges(commitment(date(2026, 7, 20), status), utc(2026, 7, 10), SCL,
                                 sched) == []
    with pytest.raises(ValueError):
        commitment_nudges(commitment(date(2026, 7, 20), "late"), utc(2026, 7, 10), SCL, sched)
    early = load_schedule(overrides={"commitment_at": "07:00"})
    planned = commitment_nudges(commitment(date(2026, 7, 20)), utc(2026, 7, 10), MAG, early)
    assert {to_local_hm(p.due_at, MAG) for p in planned} == {"09:00"}


# --- Bono --------------------------------------------------------------------------------------

def test_bono_questions(sched):
    planned = bono_questions(bono(), utc(2026, 3, 5), SCL, sched)
    assert [(p.template, p.due_at, p.args) for p in planned] == [
        ("bono_question", utc(2026, 3, 10, 13), {"month": "2026-03", "family_id": 3, "ask": 1}),
        ("bono_second_ask", utc(2026, 3, 15, 13), {"month": "2026-03", "family_id": 3, "ask": 2}),
    ]
    assert [p.key for p in planned] == ["bono:3:2026-03:1:11", "bono:3:2026-03:2:11"]
    assert all(p.kind == "bono_question" and p.essential and p.scope == "family:3" for p in planned)
    assert bono_questions(bono(), utc(2026, 3, 7, 21, 5), SCL, sched) == planned


def test_bono_next_month_after_the_april_change(sched):
    planned = bono_questions(bono({"2026-03": "cobrado"}), utc(2026, 3, 30), SCL, sched)
    assert when(planned) == [("bono_question", utc(2026, 4, 10, 14))]
    easter = bono_questions(bono({"2026-03": "cobrado"}), utc(2026, 3, 30), EAS, sched)
    assert when(easter) == [("bono_question", utc(2026, 4, 10, 16))]


@pytest.mark.parametrize("answer, templates", [
    (None, ["bono_question", "bono_second_ask"]), ("todavia_no", ["bono_second_ask"]),
    ("cobrado", []), ("problema", []), ("no_cobrado", []), ("no_sabe", []),
])
def test_bono_answers(sched, answer, templates):
    answers = {"2026-03": answer} if answer else {"2026-02": "cobrado"}
    assert [p.template for p in bono_questions(bono(answers), utc(2026, 3, 5), SCL, sched)
            ] == templates


def test_bono_in_february_and_its_second_ask_in_march():
    last_day = load_schedule(overrides={"bono_day": 28})
    feb = bono_questions(bono(), utc(2026, 2, 20), SCL, last_day)
    assert [(p.args["month"], p.args["ask"], p.due_at) for p in feb] == [
        ("2026-02", 1, utc(2026, 2, 28, 13)), ("2026-02", 2, utc(2026, 3, 5, 13))]
    spill = bono_questions(bono({"2026-02": "todavia_no"}), utc(2026, 3, 1), SCL, last_day)
    assert [(p.args["month"], p.args["ask"]) for p in spill] == [("2026-02", 2)]
    assert spill[0].key == feb[1].key


def test_bono_not_before_intake(sched):
    assert bono_questions(bono(since=date(2026, 4, 2)), utc(2026, 3, 5), SCL, sched) == []
    assert len(bono_questions(bono(since=date(2026, 3, 20)), utc(2026, 3, 5), SCL, sched)) == 2
    with pytest.raises(ValueError):
        bono_questions(bono({"2026-03": "si"}), utc(2026, 3, 5), SCL, sched)


# --- staff digests -----------------------------------------------------------------------------

CONTENT = {"visits_today": [{"family": "Pérez", "at": "2026-04-06T14:00:00+00:00"}], "overdue": []}


def test_digest_next_workday(sched):
    friday = local(SCL, 2026, 4, 3, 12)
    planned = digest(21, 4, friday, SCL, sched, CONTENT)
    # Monday 09:00, the first weekday after the Friday, already -04 after April's change.
    assert [(p.key, p.kind, p.template, p.due_at, p.scope, p.essential) for p in planned] == [
        ("digest:4:2026-04-06:21", "digest", "digest", utc(2026, 4, 6, 13), "staff:4", False)]
    assert planned[0].args == CONTENT and json.loads(json.dumps(planned[0].args)) == CONTENT
    assert digest(21, 4, local(SCL, 2026, 4, 4, 18), SCL, sched, CONTENT) == planned
    early = load_schedule(overrides={"quiet_end": "08:00", "digest_at": "08:30"})
    assert digest(21, 4, friday, SCL, early, CONTENT)[0].due_at == utc(2026, 4, 6, 12, 30)
    monday = digest(21, 4, local(SCL, 2026, 4, 6, 5), SCL, early, CONTENT)
    assert monday[0].key == "digest:4:2026-04-06:21"
    after = digest(21, 4, local(SCL, 2026, 4, 6, 8, 30), SCL, early, CONTENT)
    assert after[0].key == "digest:4:2026-04-07:21"


def test_digest_with_nothing_to_say_or_nobody_to_read_it(sched):
    friday = local(SCL, 2026, 4, 3, 12)
    assert digest(21, 4, friday, SCL, sched, {"visits_today": [], "overdue": [], "name": "Ana"}) == []
    assert digest(21, 4, friday, SCL, sched, CONTENT, nudges_off=True) == []
    assert digest(21, 4, friday, SCL, sched, CONTENT, blocked=True) == []
    short = load_schedule(overrides={"horizon_days": 1})
    assert digest(21, 4, friday, SCL, short, CONTENT) == []


def test_weekly_summary(sched):
    monday_noon = local(MAG, 2026, 4, 6, 12)
    planned = weekly_summary(21, 4, monday_noon, MAG, sched, CONTENT)
    assert [(p.key, p.kind, p.template, p.due_at) for p in planned] == [
        ("weekly:4:2026-04-13:21", "weekly_summary", "weekly_summary", utc(2026, 4, 13, 12, 15))]
    wednesday = load_schedule(overrides={"weekly_weekday": 2, "weekly_at": "16:00"})
    assert weekly_summary(21, 4, monday_noon, MAG, wednesday, CONTENT)[0].due_at == utc(2026, 4, 8, 19)
    assert weekly_summary(21, 4, monday_noon, MAG, sched, {"overdue": []}) == []
