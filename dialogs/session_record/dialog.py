"""📝 Registrar sesión: a professional records a session right after the home visit, from a phone.

The windows live in dialogs/session_record/steps/, one module per part of the flow:
start (family, session) → when (date, outcome) → outcome (Carta de Aviso, new date, reason) →
done (products, ASL participant, Bono, ASL choice) → plan and row (Plan Familiar / Laboral
commitments) → matriz (Línea Base / Salida) → next (next visit, note) → summary (edit any step) →
save. The route between them, and the draft kept in dialog_data, are in flow.py; the save in save.py.
"""
from aiogram_dialog import Dialog

from dialogs.session_record.steps.done import done_windows
from dialogs.session_record.steps.matriz import matriz_windows
from dialogs.session_record.steps.next import next_windows
from dialogs.session_record.steps.outcome import outcome_windows
from dialogs.session_record.steps.plan import plan_windows
from dialogs.session_record.steps.row import row_windows
from dialogs.session_record.steps.start import start_windows
from dialogs.session_record.steps.summary import summary_windows
from dialogs.session_record.steps.when import when_windows


def session_record_dialog() -> Dialog:
    return Dialog(*start_windows(), *when_windows(), *outcome_windows(), *done_windows(), *plan_windows(),
                  *row_windows(), *matriz_windows(), *next_windows(), *summary_windows())
