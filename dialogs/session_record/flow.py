"""The session record's draft and its route: which steps a session needs, what "next" and "back" mean.

The whole draft lives in dialog_data["draft"] as SessionDraft.to_dict() after every step, so "Back",
an edit from the summary and a restart never lose what was typed. dialog_data["info"] holds what the
chosen family and session imply (names, catalog flags); dialog_data["review"] is set while the person
edits from the summary, so a finished step returns there.
"""
from aiogram.fsm.state import State
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from dialogs.common.context import today
from dialogs.common.navigation import show_menu
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T
from program.session_draft import Outcome, SessionDraft
from services import session_records
from services.errors import InvalidInput, NotAllowed, NotFound

PLAN_FLAGS = {"plan_familiar", "plan_laboral"}
MATRIZ_FLAGS = {"linea_base", "linea_salida"}
FORM_CACHE = "session_record_forms"  # per update, in middleware data: getters and handlers share one query


def get_draft(manager: DialogManager) -> SessionDraft:
    return SessionDraft.from_dict(manager.dialog_data["draft"])


def put_draft(manager: DialogManager, draft: SessionDraft) -> None:
    manager.dialog_data["draft"] = draft.to_dict()


def info(manager: DialogManager) -> dict:
    return manager.dialog_data.setdefault("info", {})


async def load_form(manager: DialogManager):
    """The service's RecordForm for the draft's family and session, or None when it is no longer allowed."""
    raw = manager.dialog_data.get("draft") or {}
    if not raw.get("code"):
        return None
    key = (raw["family_id"], raw["track"], raw["code"])
    cache = manager.middleware_data.setdefault(FORM_CACHE, {})
    if key not in cache:
        data = manager.middleware_data
        try:
            cache[key] = await session_records.record_form(
                data["session"], actor=data["viewer"].actor, family_id=key[0], track=key[1], code=key[2],
                today=today(manager))
        except (NotAllowed, NotFound, InvalidInput):
            cache[key] = None
    return cache[key]


def needs_participant(flags: set[str], session_type: str) -> bool:
    return "plan_laboral" in flags and session_type == "individual"


def steps(draft: SessionDraft, facts: dict) -> list[State]:
    flags = set(facts.get("flags", ()))
    route = [R.family, R.session, R.held_on, R.outcome]
    if draft.outcome == Outcome.DONE:
        route.append(R.products)
        if needs_participant(flags, facts.get("type", "")):
            route.append(R.participant)
        if "bono_followup" in flags:
            route.append(R.bono)
        if flags & PLAN_FLAGS:
            route.append(R.plan)
        if flags & MATRIZ_FLAGS:
            route.append(R.matriz_dims)
        if "asl_choice" in flags:
            route.append(R.asl)
        route += [R.next_date, R.notes]
    elif draft.outcome == Outcome.NOT_FOUND:
        route += [R.carta, R.next_date, R.notes]
    elif draft.outcome == Outcome.RESCHEDULED:
        route += [R.reschedule, R.notes]
    else:
        route += [R.reason, R.notes]
    return route + [R.summary]


def first_missing(draft: SessionDraft, facts: dict) -> State | None:
    """The first step whose answer the session cannot be saved without."""
    route = steps(draft, facts)
    if draft.held_on is None:
        return R.held_on
    required = {
        R.reason: not draft.reason,
        R.reschedule: draft.rescheduled_to is None,
        R.participant: draft.participant_member_id is None,
        R.bono: not draft.bono,
    }
    for state in route:
        if required.get(state):
            return state
    return None


async def go_next(manager: DialogManager, current: State) -> None:
    draft, facts = get_draft(manager), info(manager)
    if manager.dialog_data.get("review"):
        await manager.switch_to(first_missing(draft, facts) or R.summary)
        return
    route = steps(draft, facts)
    position = route.index(current) if current in route else len(route) - 2
    await manager.switch_to(route[position + 1])


async def go_back(manager: DialogManager, current: State) -> None:
    if manager.dialog_data.get("review"):
        await manager.switch_to(R.summary)
        return
    route = steps(get_draft(manager), info(manager))
    position = route.index(current) if current in route else 1
    await manager.switch_to(route[max(position - 1, 0)])


async def to_menu(manager: DialogManager) -> None:
    """Leave the record for the staff menu. The dialog runs alone on its stack (started with RESET_STACK):
    aiogram-dialog draws context ids from the current second plus a random 0-99, so two contexts created
    within one second can share an id, and done() would then find its parent's context overwritten —
    after the record was saved, failing the update and rolling the save back."""
    await show_menu(manager, manager.middleware_data["viewer"])


def back_button(state: State, id: str) -> Button:
    async def on_back(_callback, _button, manager: DialogManager) -> None:
        await go_back(manager, state)

    return Button(T("⬅️ Atrás"), id=id, on_click=on_back)


def keep_button(state: State, id: str, when: str) -> Button:
    """On a step already answered (after "Back" or a change of outcome): go on without answering again."""

    async def on_keep(_callback, _button, manager: DialogManager) -> None:
        await go_next(manager, state)

    return Button(T("✔️ Mantener"), id=id, on_click=on_keep, when=when)
