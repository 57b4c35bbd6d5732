"""Every dialog's states in one place."""
from aiogram.fsm.state import State, StatesGroup


class StaffMenu(StatesGroup):
    main = State()
    families = State()
    family = State()
    unit = State()


class FamilyMenu(StatesGroup):
    main = State()
    family = State()
    team = State()
    privacy = State()


class Language(StatesGroup):
    choose = State()


class RecordSession(StatesGroup):
    """dialogs/session_record*.py: a professional records one session after a visit."""

    family = State()
    session = State()
    held_on = State()
    outcome = State()
    carta = State()
    reschedule = State()
    reason = State()
    reason_text = State()
    products = State()
    participant = State()
    bono = State()
    plan = State()
    row_dimension = State()
    row_topic = State()
    row_resources = State()
    row_action = State()
    row_responsible = State()
    row_deadline = State()
    matriz_dims = State()
    matriz_item = State()
    asl = State()
    next_date = State()
    next_time = State()
    notes = State()
    summary = State()
    discard = State()


class Caseload(StatesGroup):
    """dialogs/caseload*.py: 👥 Mis familias, a family's card and its sections, the jefe's reassignment."""

    families = State()
    family = State()
    sessions = State()
    plan = State()
    matriz = State()
    reassign_role = State()
    reassign_person = State()
    reassign_confirm = State()
