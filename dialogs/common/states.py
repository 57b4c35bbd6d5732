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
    """dialogs/session_record/: a professional records one session after a visit."""

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
    """dialogs/caseload/: 👥 Mis familias, a family's card and its sections, the jefe's reassignment."""

    families = State()
    family = State()
    sessions = State()
    plan = State()
    matriz = State()
    reassign_role = State()
    reassign_person = State()
    reassign_confirm = State()


class Cuaderno(StatesGroup):
    """dialogs/cuaderno/dialog.py: the family's notebook, per dimension: interests and worries, resources (Mi
    Territorio), free notes; text, voice notes and photos."""

    dimensions = State()
    entries = State()
    entry = State()
    add_kind = State()
    add_content = State()
    resource_kind = State()
    resource_level = State()


class FamilyPlan(StatesGroup):
    """dialogs/family/plan*.py: the family's Plan Familiar (and a participant's Plan Laboral): commitments by
    dimension, their progress, and a commitment of the family's own."""

    plan = State()
    commitment = State()
    progress_note = State()
    add_dimension = State()
    add_topic = State()
    add_action = State()
    add_who = State()
    add_deadline = State()
    add_confirm = State()


class FamilyBono(StatesGroup):
    """dialogs/family/bono.py: this month's Bono de Protección, answered from the menu or from the monthly
    question's buttons; a problem says what happened."""

    status = State()
    problem = State()
    problem_note = State()


class Appointments(StatesGroup):
    list = State()


class GroupSessions(StatesGroup):
    """dialogs/group_session/: the Gestor Sociocomunitario's group and community sessions."""

    list = State()
    detail = State()
    new_session = State()
    new_when = State()
    new_time = State()
    new_place = State()
    new_families = State()
    new_pick = State()
    new_confirm = State()
    change_time = State()
    change_place = State()
    cancel_confirm = State()
    attendance = State()
    walk_in = State()
    products = State()
    agreements = State()
    notes = State()
    record_confirm = State()


class Catastro(StatesGroup):
    """dialogs/catastro/: the Gestor Sociocomunitario's Catastro de Instituciones
    (Guía N°19): list and search, an entry, adding one field by field, editing one field, deactivating,
    CSV import and export; and the Plan de Redes (Guía N°20)."""

    list = State()
    entry = State()
    fields = State()
    text = State()
    dimensions = State()
    areas = State()
    needs = State()
    confirm = State()
    deactivate = State()
    import_csv = State()
    redes = State()
    redes_text = State()
    redes_date = State()
    redes_delete = State()


class CatastroSend(StatesGroup):
    """dialogs/catastro/send.py: 📍 Enviar un recurso, from a family's card: pick an entry, confirm."""

    pick = State()
    confirm = State()


class Resources(StatesGroup):
    """dialogs/family/resources.py: 🔎 ¿Dónde encuentro ayuda?, the family's search of its unit's Catastro."""

    start = State()
    needs = State()
    entries = State()
    entry = State()
