"""The session record's completeness rule (program.session_draft): which steps a session needs and
which answers it cannot be saved without, for every session of the shipped catalog and every outcome."""
from datetime import UTC, date, datetime

import pytest

from program.catalog import load_catalog
from program.session_draft import Outcome, PlanRow, SessionDraft, Step

CATALOG = load_catalog()
RECORDABLE = [s for s in CATALOG.sessions if s.track != "transversal"]
HEAD = [Step.FAMILY, Step.SESSION, Step.HELD_ON, Step.OUTCOME]
HELD = date(2026, 11, 20)


def steps(code: str, track: str = "aps", **fields) -> list[Step]:
    session = CATALOG.session(track, code)
    return SessionDraft(1, track=track, code=code, **fields).steps(flags=session.flags, session_type=session.type)


def missing(code: str, track: str = "aps", **fields) -> list[Step]:
    session = CATALOG.session(track, code)
    draft = SessionDraft(1, track=track, code=code, **({"held_on": HELD} | fields))
    return draft.missing(flags=session.flags, session_type=session.type)


def complete(session, outcome: str) -> SessionDraft:
    """A draft with every required answer given, for this session and outcome."""
    return SessionDraft(1, track=session.track, code=session.code, held_on=HELD, outcome=outcome,
                        reason="se cambió de comuna", rescheduled_to=date(2026, 12, 1),
                        participant_member_id=7, bono="cobrado")


def test_the_shipped_catalog_covers_every_kind_of_session():
    flags = set().union(*(s.flags for s in RECORDABLE))
    assert {"bono_followup", "asl_choice", "plan_familiar", "plan_laboral", "linea_base", "linea_salida"} <= flags
    assert {s.type for s in RECORDABLE} >= {"familiar", "individual", "grupal", "comunitaria"}


def test_a_held_s8_asks_for_the_bono_follow_up_and_cannot_be_saved_without_it():
    assert steps("S8") == HEAD + [Step.PRODUCTS, Step.BONO, Step.PLAN, Step.NEXT_VISIT, Step.NOTES]
    assert missing("S8") == [Step.BONO]
    assert missing("S8", bono="no_cobrado") == []


@pytest.mark.parametrize("code", ["S7", "S8", "S10", "S12", "S15", "S18", "S19", "S20"])
def test_every_session_from_s7_with_the_bono_follow_up_requires_its_answer(code):
    assert Step.BONO in steps(code)
    assert missing(code) == [Step.BONO]


def test_s6_asks_for_the_asl_participants_and_nobody_chosen_means_aps_only():
    assert steps("S6") == HEAD + [Step.PRODUCTS, Step.PLAN, Step.MATRIZ, Step.ASL, Step.NEXT_VISIT, Step.NOTES]
    assert missing("S6") == []  # an empty choice is an answer: the family stays APS only


def test_an_individual_asl_session_needs_its_participant_a_group_one_does_not():
    assert Step.PARTICIPANT in steps("S1", track="asl")
    assert missing("S1", track="asl") == [Step.PARTICIPANT]
    assert missing("S1", track="asl", participant_member_id=3) == []
    assert Step.PARTICIPANT not in steps("S2", track="asl")  # grupal


def test_s1_and_group_sessions_need_only_the_checklist():
    assert steps("S1") == HEAD + [Step.PRODUCTS, Step.NEXT_VISIT, Step.NOTES]
    assert steps("S11") == HEAD + [Step.PRODUCTS, Step.NEXT_VISIT, Step.NOTES]
    assert missing("S1") == missing("S11") == []


def test_other_outcomes_ask_their_own_questions_and_never_the_held_sessions_ones():
    assert steps("S8", outcome=Outcome.NOT_FOUND) == HEAD + [Step.CARTA, Step.NEXT_VISIT, Step.NOTES]
    assert steps("S8", outcome=Outcome.RESCHEDULED) == HEAD + [Step.RESCHEDULE, Step.NOTES]
    assert steps("S8", outcome=Outcome.DECLINED) == HEAD + [Step.REASON, Step.NOTES]
    assert steps("S8", outcome=Outcome.ABANDONED) == HEAD + [Step.REASON, Step.NOTES]
    assert missing("S8", outcome=Outcome.NOT_FOUND) == []  # the Carta de Aviso is a yes/no, never missing
    assert missing("S8", outcome=Outcome.RESCHEDULED) == [Step.RESCHEDULE]
    assert missing("S8", outcome=Outcome.DECLINED) == [Step.REASON]
    assert missing("S8", outcome=Outcome.ABANDONED, reason="   ") == [Step.REASON]  # blanks are no reason


def test_the_date_is_always_required_and_comes_first():
    session = CATALOG.session("aps", "S8")
    draft = SessionDraft(1, code="S8")
    assert draft.missing(flags=session.flags, session_type=session.type) == [Step.HELD_ON, Step.BONO]
    assert draft.first_missing(flags=session.flags, session_type=session.type) is Step.HELD_ON


@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("session", RECORDABLE, ids=lambda s: s.key)
def test_every_session_and_outcome(session, outcome):
    """For every catalog session and outcome: the route is ordered and well formed, a complete draft
    misses nothing, an empty one misses exactly the required steps of its route."""
    draft = complete(session, outcome)
    route = draft.steps(flags=session.flags, session_type=session.type)
    assert route[:4] == HEAD and route[-1] is Step.NOTES and len(set(route)) == len(route)
    held = outcome == Outcome.DONE
    assert (Step.PRODUCTS in route) is held
    assert (Step.BONO in route) is (held and session.has("bono_followup"))
    assert (Step.ASL in route) is (held and session.has("asl_choice"))
    assert (Step.PLAN in route) is (held and bool(session.flags & {"plan_familiar", "plan_laboral"}))
    assert (Step.MATRIZ in route) is (held and bool(session.flags & {"linea_base", "linea_salida"}))
    assert (Step.PARTICIPANT in route) is (held and session.has("plan_laboral") and session.type == "individual")
    assert (Step.REASON in route) is (outcome in (Outcome.DECLINED, Outcome.ABANDONED))
    assert (Step.RESCHEDULE in route) is (outcome == Outcome.RESCHEDULED)
    assert (Step.CARTA in route) is (outcome == Outcome.NOT_FOUND)
    assert draft.missing(flags=session.flags, session_type=session.type) == []
    empty = SessionDraft(1, track=session.track, code=session.code, outcome=outcome)
    required = [s for s in route if s in (Step.HELD_ON, Step.REASON, Step.RESCHEDULE, Step.PARTICIPANT, Step.BONO)]
    assert empty.missing(flags=session.flags, session_type=session.type) == required


def test_for_saving_keeps_only_what_the_outcome_and_session_ask_for():
    session = CATALOG.session("aps", "S8")
    row = PlanRow("salud", "control", "cesfam", "pedir hora")
    draft = SessionDraft(1, code="S8", held_on=HELD, outcome=Outcome.RESCHEDULED, reason="x",
                         rescheduled_to=date(2026, 12, 1), bono="cobrado", bono_note="n", plan_rows=[row],
                         matriz={"i32": "logrado"}, asl_participants=[3], products_done=[2, 0],
                         next_visit_at=datetime(2026, 12, 1, 13, tzinfo=UTC), carta_aviso_left=True)
    saved = draft.for_saving(flags=session.flags, session_type=session.type)
    assert (saved.reason, saved.bono, saved.bono_note, saved.plan_rows, saved.matriz, saved.asl_participants,
            saved.products_done, saved.next_visit_at, saved.carta_aviso_left) == (
        None, None, None, [], {}, [], [], None, False)
    assert saved.rescheduled_to == date(2026, 12, 1)
    held = SessionDraft(**(draft.to_dict() | {"outcome": Outcome.DONE, "plan_rows": [row]}))
    saved = held.for_saving(flags=session.flags, session_type=session.type)
    # S8 carries no Línea Base or Salida: Matriz states left in the draft are not saved with it.
    assert (saved.bono, saved.plan_rows, saved.matriz, saved.products_done) == ("cobrado", [row], {}, [0, 2])
    assert (saved.reason, saved.rescheduled_to, saved.asl_participants) == (None, None, [])


def test_the_dialog_has_a_window_for_every_step_id():
    from dialogs.session_record.flow import STATES

    assert set(STATES) == set(Step) and len(set(STATES.values())) == len(Step)
