"""Trajectory rules: the shipped cadence, stages, what is due/overdue/upcoming, by role."""
import copy
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from program.catalog import load_catalog
from program.trajectory import (
    CadenceError,
    RecordedSession,
    add_months,
    check_cadence,
    load_cadence,
    next_due_by_role,
    progress,
    validate_cadence,
)

CADENCE_FILE = Path(__file__).parents[2] / "program" / "data" / "cadence.yaml"
STAGES = ["ingreso", "construccion_planes", "apoyo_bienestar", "cierre", "egresada"]
INTAKE = date(2025, 3, 10)
CHAIN = [RecordedSession("aps", f"S{n}", INTAKE + timedelta(days=7 * (n - 1)), "done")
         for n in range(2, 8)]   # plan built one visit a week: S2 on day 7 ... S7 on day 42


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def cad(cat):
    return load_cadence(catalog=cat)


@pytest.fixture
def raw():
    return yaml.safe_load(CADENCE_FILE.read_text(encoding="utf-8"))


def rec(code, held_on, outcome="done", track="aps"):
    return RecordedSession(track, code, held_on, outcome)


def codes(dues):
    return [f"{d.track}:{d.code}" for d in dues]


def walk(cat, cad, trajectory, start=INTAKE, step="week"):
    """Visit the family every week/month from the first encounter, recording whatever is due."""
    recorded, seen, k, today = [], [], 0, start
    while today <= add_months(start, 26):
        p = progress(catalog=cat, cadence=cad, trajectory=trajectory, intake=None,
                     recorded=recorded, today=today)
        assert p.overdue == (), (today, codes(p.overdue))
        assert all(d.due_from <= today for d in p.due) and all(d.due_from > today for d in p.upcoming)
        seen.append((today, p))
        recorded += [rec(d.code, today, track=d.track) for d in p.due]
        k += 1
        today = add_months(start, k) if step == "month" else start + timedelta(days=7 * k)
    return recorded, seen


def at(cat, cad, recorded, today, trajectory="aps", intake=INTAKE):
    return progress(catalog=cat, cadence=cad, trajectory=trajectory, intake=intake,
                    recorded=recorded, today=today)


def stage_on(seen, day):
    return [p.stage for t, p in seen if t <= day][-1]


def test_shipped_cadence_validates_and_covers_catalog(cat, cad, raw):
    assert validate_cadence(raw) == [] and check_cadence(cad, cat) == [] and cad.months == 24
    have = {(e.track, e.code) for e in cad.sessions}
    assert have == {(s.track, s.code) for s in cat.sessions if s.track in ("aps", "asl")}


def test_invalid_cadence_reports_every_error(cat, raw, tmp_path):
    bad = {**copy.deepcopy(raw), "version": None, "extra": 1}
    bad["grace_days"]["grupal"] = -1
    bad["sessions"][2]["months"] = [5, 2]
    bad["sessions"][3]["after"] = ["aps:S99"]
    bad["sessions"][4]["colour"] = "red"
    bad["sessions"].append({"track": "aps", "code": "S1", "months": [1, 30]})
    errors = validate_cadence(bad)
    for text in ("falta 'version'", "clave desconocida 'extra'", "grace_days.grupal",
                 "aps:S3: 'months'", "aps:S4: 'after'", "campo desconocido 'colour'",
                 "aps:S1: repetida", "<= 24"):
        assert any(text in e for e in errors), text
    path = tmp_path / "cadence.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(CadenceError) as exc:
        load_cadence(path)
    assert exc.value.errors == errors and validate_cadence([]) and validate_cadence({"version": "x"})
    short = copy.deepcopy(raw)
    short["sessions"] = [e for e in short["sessions"] if e["code"] != "S9"]
    path.write_text(yaml.safe_dump(short), encoding="utf-8")
    with pytest.raises(CadenceError, match="S9: sin cadencia"):
        load_cadence(path, catalog=cat)
    with pytest.raises(CadenceError):
        progress(catalog=cat, cadence=load_cadence(path), trajectory="aps", intake=INTAKE,
                 recorded=[], today=INTAKE)
    path.write_text("version: [", encoding="utf-8")
    with pytest.raises(CadenceError, match="YAML"):
        load_cadence(path)


@pytest.mark.parametrize("step", ["month", "week"])
def test_full_aps_family_on_time(cat, cad, step):
    recorded, seen = walk(cat, cad, "aps", step=step)
    assert seen[0][1].stage == "ingreso" and codes(seen[0][1].due) == ["aps:S1"]
    order = [STAGES.index(p.stage) for _, p in seen]
    assert order == sorted(order) and set(order) == set(range(5))   # every stage, in order
    held = {r.code: r.held_on for r in recorded}
    assert sorted(held, key=lambda c: int(c[1:])) == [f"S{n}" for n in range(1, 24)]
    assert len(recorded) == 23 and all(r.track == "aps" for r in recorded)
    for e in (e for e in cad.sessions if e.track == "aps"):     # never before its window
        assert held[e.code] >= add_months(INTAKE, e.month_from - 1), e.code
    assert held["S2"] < held["S3"] < held["S4"] < held["S5"] < held["S6"] < held["S7"] < held["S8"]
    assert held["S6"] <= add_months(INTAKE, 5)               # plan built in the first months
    assert all(p.stage == "egresada" for t, p in seen if t > held["S23"])
    assert add_months(INTAKE, 22) <= held["S22"] < add_months(INTAKE, 24)
    assert stage_on(seen, add_months(INTAKE, 2)) == "construccion_planes"
    assert stage_on(seen, add_months(INTAKE, 12)) == "apoyo_bienestar"
    assert stage_on(seen, held["S22"]) == "cierre"
    assert stage_on(seen, held["S22"] - timedelta(days=7)) == "apoyo_bienestar"
    assert seen[-1][1].stage == "egresada" and seen[-1][1].due == seen[-1][1].upcoming == ()


def test_aps_asl_family(cat, cad):
    recorded, seen = walk(cat, cad, "aps_asl")
    held = {(r.track, r.code): r.held_on for r in recorded}
    assert len(recorded) == 23 + 9
    for day, p in seen:                     # ASL appears only once S6 (ASL choice) is held
        assert day >= held["aps", "S6"] or all(d.track == "aps" for d in p.due + p.upcoming)
    assert min(d for (t, _), d in held.items() if t == "asl") > held["aps", "S6"]
    assert held["asl", "S1"] < held["asl", "S2"] < held["asl", "S3"] < held["asl", "S6"]
    assert held["asl", "S4"] < held["asl", "S5"] < held["asl", "S7"]
    assert seen[-1][1].stage == "egresada"
    some = [r for r in recorded if r.code in ("S1", "S6")]     # aps and asl S1/S6 records
    assert {r.track for r in some} == {"aps", "asl"}
    for k in range(3, 25):                  # an APS-only family never gets ASL sessions
        p = at(cat, cad, some, add_months(INTAKE, k))
        assert all(d.track == "aps" for d in p.due + p.upcoming) and ("asl", "S1") not in p.done


def test_overdue_after_grace_period(cat, cad):
    s2 = (p := at(cat, cad, [], INTAKE + timedelta(days=10))).due[0]
    assert codes(p.due) == ["aps:S2"] and ("aps", "S1") in p.done   # intake given: S1 signed
    assert not at(cat, cad, [], s2.due_by + timedelta(days=15)).overdue
    late = at(cat, cad, [], s2.due_by + timedelta(days=16))
    assert codes(late.overdue) == ["aps:S2"] and late.overdue[0].overdue
    s9 = next(d for d in at(cat, cad, CHAIN, CHAIN[-1].held_on).upcoming if d.code == "S9")
    assert s9.roles == ("gestor_socio",)
    on = at(cat, cad, CHAIN, s9.due_by + timedelta(days=30))       # group sessions: 30 days
    assert "aps:S9" in codes(on.due) and "aps:S9" not in codes(on.overdue)
    assert "aps:S9" in codes(at(cat, cad, CHAIN, s9.due_by + timedelta(days=31)).overdue)


@pytest.mark.parametrize("outcome", ["declined", "abandoned"])
def test_declined_or_abandoned_closes(cat, cad, outcome):
    day = add_months(INTAKE, 8)
    p = at(cat, cad, [rec("S2", INTAKE + timedelta(days=9)), rec("S7", day, outcome)], day)
    assert (p.stage, p.due, p.overdue, p.upcoming) == ("cerrada", (), (), ())
    assert at(cat, cad, [rec("S7", day, outcome)], day - timedelta(days=1)).stage != "cerrada"
    assert at(cat, cad, [rec("S1", INTAKE, outcome)], INTAKE, intake=None).stage == "cerrada"


def test_not_found_and_rescheduled_do_not_count(cat, cad):
    day = INTAKE + timedelta(days=20)
    p = at(cat, cad, [rec("S2", day, "not_found"), rec("S2", day, "rescheduled")], day)
    assert codes(p.due) == ["aps:S2"] and ("aps", "S2") not in p.done
    with pytest.raises(ValueError):
        at(cat, cad, [rec("S2", day, "maybe")], day)


def test_group_attendance_and_later_sessions(cat, cad):
    day = add_months(INTAKE, 8)
    p = at(cat, cad, CHAIN + [rec("S9", day)], day)                 # attendance to S9
    assert ("aps", "S9") in p.done and "aps:S9" not in codes(p.due + p.upcoming)
    assert codes(p.due)[:2] == ["aps:S8", "aps:S10"] and "aps:S8" in codes(p.overdue)
    p = at(cat, cad, CHAIN + [rec("S10", day)], day)                # S10 held says nothing of S8
    assert "aps:S8" in codes(p.overdue) and p.stage == "apoyo_bienestar"
    p = at(cat, cad, [rec("S3", INTAKE + timedelta(days=30))], INTAKE + timedelta(days=31))
    assert codes(p.due) == ["aps:S2"] and ("aps", "S3") in p.done  # S2 still due; S4 follows S3
    assert "aps:S4" in codes(p.upcoming)
    assert at(cat, cad, [rec("S22", add_months(INTAKE, 23))], add_months(INTAKE, 23)).stage == "cierre"


def test_next_due_by_role(cat, cad):
    nobody = next_due_by_role(at(cat, cad, [], INTAKE, intake=None))
    assert {r: d.code for r, d in nobody.items()} == {"afi": "S1", "gestor_familiar": "S1"}
    p = at(cat, cad, CHAIN, add_months(INTAKE, 4) + timedelta(days=2))
    nxt = next_due_by_role(p)
    assert nxt["afi"].code == "S8" and nxt["afi"] in p.due
    assert nxt["gestor_socio"].code == "S9" and nxt["gestor_socio"] in p.upcoming
    p = at(cat, cad, CHAIN, add_months(INTAKE, 6), trajectory="aps_asl")
    assert {d.code for d in p.due if d.track == "asl"} == {"S1"}
    assert next_due_by_role(p)["afi"].code == "S8"                  # trajectory order: S8 first


def test_month_end_intake(cat, cad):
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2025, 8, 31), 24) == date(2027, 8, 31)
    intake = date(2025, 1, 31)
    recorded, seen = walk(cat, cad, "aps", start=intake)
    assert seen[-1][1].stage == "egresada"
    p = at(cat, cad, [rec("S2", date(2025, 2, 7))], date(2025, 2, 7), intake=intake)
    s3 = next(d for d in p.upcoming if d.code == "S3")
    assert (s3.due_from, s3.due_by) == (date(2025, 2, 28), date(2025, 3, 30))
    s22 = next(d for d in at(cat, cad, [], intake, intake=intake).upcoming if d.code == "S22")
    assert (s22.due_from, s22.due_by) == (date(2026, 11, 30), date(2027, 1, 30))  # months 23-24


def test_no_intake(cat, cad):
    p = at(cat, cad, [rec("S1", INTAKE, "not_found")], INTAKE, intake=None)
    assert p.stage == "ingreso" and p.upcoming == () and p.overdue == ()
    assert [(d.code, d.roles, d.due_from, d.due_by) for d in p.due] == [
        ("S1", ("afi", "gestor_familiar"), INTAKE, INTAKE)]
    p = at(cat, cad, [rec("S1", INTAKE)], INTAKE, intake=None)      # S1 held sets intake
    assert p.stage == "construccion_planes" and ("aps", "S1") in p.done
    assert p.upcoming[0].code == "S2" and p.upcoming[0].due_from == INTAKE + timedelta(days=7)
    assert at(cat, cad, [rec("S1", INTAKE + timedelta(days=3))], INTAKE, intake=None).stage == "ingreso"


def test_far_past_24_months(cat, cad):
    day = add_months(INTAKE, 60)
    p = at(cat, cad, [], day)
    assert p.stage == "cierre" and p.due == p.overdue
    assert codes(p.due) == ["aps:S2", "aps:S22", "aps:S23"]
    assert at(cat, cad, [rec("S22", add_months(INTAKE, 23))], day).stage == "egresada"
    assert at(cat, cad, [rec("S22", add_months(INTAKE, 23))], add_months(INTAKE, 23)).stage == "cierre"
    closing = CHAIN + [rec("S1", add_months(INTAKE, 5), track="asl"),
                       rec("S22", add_months(INTAKE, 23)), rec("S23", add_months(INTAKE, 23))]
    p = at(cat, cad, closing, add_months(INTAKE, 23), trajectory="aps_asl")   # ASL S9 still due
    assert p.stage == "cierre" and "asl:S9" in codes(p.due)
    assert at(cat, cad, closing, add_months(INTAKE, 23)).stage == "egresada"


def test_unit_cadence_file(cat, raw, tmp_path):
    mine = copy.deepcopy(raw)
    mine["version"] = "unidad-1"
    mine["grace_days"]["default"] = 0
    next(e for e in mine["sessions"] if e["code"] == "S2")["months"] = [2, 2]
    path = tmp_path / "cadencia.yaml"
    path.write_text(yaml.safe_dump(mine, allow_unicode=True), encoding="utf-8")
    cad = load_cadence(path, catalog=cat)
    assert cad.version == "unidad-1"
    s2 = at(cat, cad, [], INTAKE).upcoming[0]
    assert (s2.code, s2.due_from) == ("S2", add_months(INTAKE, 1))
