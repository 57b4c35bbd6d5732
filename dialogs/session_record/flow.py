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
from program.session_draft import SessionDraft, Step
from services import session_records
from services.errors import InvalidInput, NotAllowed, NotFound

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


# The rule of which steps a session needs and which answers it cannot be saved without lives in
# program.session_draft (the service enforces it too); the dialog only maps its step ids to windows.
STATES = {
    Step.FAMILY: R.family, Step.SESSION: R.session, Step.HELD_ON: R.held_on, Step.OUTCOME: R.outcome,
    Step.PRODUCTS: R.products, Step.PARTICIPANT: R.participant, Step.BONO: R.bono, Step.PLAN: R.plan,
    Step.MATRIZ: R.matriz_dims, Step.ASL: R.asl, Step.CARTA: R.carta, Step.RESCHEDULE: R.reschedule,
    Step.REASON: R.reason, Step.NEXT_VISIT: R.next_date, Step.NOTES: R.notes,
}


def _shape(facts: dict) -> dict:
    """What program.session_draft needs to know of the chosen session (kept in dialog_data["info"])."""
    return {"flags": facts.get("flags", ()), "session_type": facts.get("type", "")}


def steps(draft: SessionDraft, facts: dict) -> list[State]:
    return [STATES[step] for step in draft.steps(**_shape(facts))] + [R.summary]


def first_missing(draft: SessionDraft, facts: dict) -> State | None:
    """The first step whose answer the session cannot be saved without."""
    step = draft.first_missing(**_shape(facts))
    return STATES[step] if step is not None else None


def for_saving(draft: SessionDraft, facts: dict) -> SessionDraft:
    return draft.for_saving(**_shape(facts))


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
