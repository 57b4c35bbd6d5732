"""Session record, a session that took place: its products, the ASL participant, the Bono, ASL choice."""

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column

from dialogs.common.context import explain
from dialogs.common.inputs import text_input
from dialogs.common.pickers import DraftMultiselect
from dialogs.common.record_labels import bono_label
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.session_record.flow import back_button, get_draft, go_next, keep_button, load_form, put_draft
from program.session_draft import BonoAnswer
from texts.markers import N_
from texts.months import month_label

ASL_MAX = 2  # the program: at most two ASL participants per family


def _draft_list(name: str):
    def read(manager: DialogManager) -> list:
        return manager.dialog_data["draft"][name]

    def write(manager: DialogManager, values: list[str]) -> None:
        manager.dialog_data["draft"][name] = sorted(int(value) for value in values)

    return read, write


async def _product_ids(manager: DialogManager) -> set[str]:
    form = await load_form(manager)
    return {str(index) for index in range(len(form.session.products))} if form else set()


async def _adult_ids(manager: DialogManager) -> set[str]:
    form = await load_form(manager)
    return {str(member.member_id) for member in form.members if member.adult} if form else set()


async def products_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    form = await load_form(dialog_manager)
    products = list(form.session.products) if form else []
    draft = get_draft(dialog_manager)
    return {"products": [(str(index), name) for index, name in enumerate(products)], "code": draft.code,
            "denied": form is None}


async def on_all_done(_callback, _button, manager: DialogManager) -> None:
    form = await load_form(manager)
    if form is not None:
        draft = get_draft(manager)
        draft.products_done = list(range(len(form.session.products)))
        put_draft(manager, draft)
    await go_next(manager, R.products)


async def on_products_next(_callback, _button, manager: DialogManager) -> None:
    await go_next(manager, R.products)


async def participant_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    form = await load_form(dialog_manager)
    members = list(form.members) if form else []
    chosen = [m for m in members if m.is_asl_participant] or [m for m in members if m.adult]
    draft = get_draft(dialog_manager)
    current = next((m.name for m in members if m.member_id == draft.participant_member_id), "")
    return {"members": [(str(m.member_id), m.name) for m in chosen], "current": current, "has_current": bool(current),
            "denied": form is None}


async def on_participant(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    form = await load_form(manager)
    if form is None or not any(str(m.member_id) == item_id for m in form.members):
        await explain(manager, _("Esa persona no es integrante de esta familia. Elige de la lista 👇"))
        return
    draft = get_draft(manager)
    draft.participant_member_id = int(item_id)
    put_draft(manager, draft)
    await go_next(manager, R.participant)


async def bono_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    form = await load_form(dialog_manager)
    draft = get_draft(dialog_manager)
    answers = [BonoAnswer.COLLECTED, BonoAnswer.NOT_COLLECTED, BonoAnswer.UNKNOWN]
    return {"answers": [(answer.value, bono_label(answer)) for answer in answers],
            "month": month_label(form.bono_month if form else "", _), "answer": bono_label(draft.bono),
            "has_answer": bool(draft.bono), "note": draft.bono_note or "", "has_note": bool(draft.bono_note)}


async def on_bono(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id not in {answer.value for answer in BonoAnswer}:
        return
    draft = get_draft(manager)
    draft.bono = item_id
    put_draft(manager, draft)
    await go_next(manager, R.bono)


async def on_bono_note(_message, manager: DialogManager, text: str) -> None:
    draft = get_draft(manager)
    draft.bono_note = text
    put_draft(manager, draft)


async def asl_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    form = await load_form(dialog_manager)
    adults = [m for m in form.members if m.adult] if form else []
    return {"adults": [(str(m.member_id), m.name) for m in adults], "none": not adults, "denied": form is None}


async def on_asl_limit(manager: DialogManager) -> None:
    await explain(manager, _("Pueden ser dos participantes ASL como máximo por familia. "
                             "Quita a una persona para elegir a otra."))


async def on_asl_next(_callback, _button, manager: DialogManager) -> None:
    await go_next(manager, R.asl)


DENIED = N_("Ya no puedes registrar sesiones de esta familia. Escribe /menu para volver.")


def done_windows() -> list[Window]:
    products_read, products_write = _draft_list("products_done")
    asl_read, asl_write = _draft_list("asl_participants")
    return [
        Window(
            T("✅ Productos de la sesión {code}\nMarca lo que se logró. Lo que quede sin marcar queda pendiente."),
            T(DENIED, when="denied"),
            Column(DraftMultiselect("products", "products", read=products_read, write=products_write,
                                    valid=_product_ids)),
            Button(T("☑️ Todo realizado, seguir"), id="products_all", on_click=on_all_done),
            Button(T("➡️ Continuar"), id="products_next", on_click=on_products_next),
            back_button(R.products, "back_products"),
            buttons_only(),
            state=R.products,
            getter=products_getter,
        ),
        Window(
            T("👤 Plan Laboral: ¿con qué participante ASL fue la sesión?"),
            T("Elegida: {current}", when="has_current"),
            T(DENIED, when="denied"),
            Column(choices("participant", "members", on_participant)),
            keep_button(R.participant, "keep_participant", "has_current"),
            back_button(R.participant, "back_participant"),
            buttons_only(),
            state=R.participant,
            getter=participant_getter,
        ),
        Window(
            T("💳 Bono de Protección ({month})\n¿La familia lo cobró?\n"
              "Si quieres, escribe una nota antes de elegir (opcional)."),
            T("Ahora: {answer}", when="has_answer"),
            T("📝 Nota: {note}", when="has_note"),
            Column(choices("bono", "answers", on_bono)),
            keep_button(R.bono, "keep_bono", "has_answer"),
            back_button(R.bono, "back_bono"),
            *text_input("bono_note", on_bono_note),
            state=R.bono,
            getter=bono_getter,
        ),
        Window(
            T("👥 Participantes del Acompañamiento Sociolaboral (ASL)\nElige hasta dos personas adultas. "
              "Si la familia sigue solo en APS, toca «Continuar» sin marcar a nadie."),
            T("No hay personas adultas registradas en esta familia.", when="none"),
            T(DENIED, when="denied"),
            Column(DraftMultiselect("asl", "adults", read=asl_read, write=asl_write, valid=_adult_ids,
                                    limit=ASL_MAX, on_limit=on_asl_limit)),
            Button(T("➡️ Continuar"), id="asl_next", on_click=on_asl_next),
            back_button(R.asl, "back_asl"),
            buttons_only(),
            state=R.asl,
            getter=asl_getter,
        ),
    ]
