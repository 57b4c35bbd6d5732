"""Session record, the save: record_session in this update's transaction (the DB middleware commits), the
service's refusals (InvalidInput reason ids) turned into kind messages on the step to fix."""
from dataclasses import replace

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from dialogs.caseload.invite import send_invitation
from dialogs.common.context import explain
from dialogs.common.states import RecordSession as R
from dialogs.session_record.flow import get_draft, info, steps, to_menu
from program.clock import format_date
from program.session_draft import Outcome, SessionDraft
from services import session_records
from services.errors import InvalidInput, NotAllowed, NotFound


def for_saving(draft: SessionDraft, facts: dict) -> SessionDraft:
    """Only what the chosen outcome and session ask for: answers left from a branch the person took
    and then changed (another outcome, a step the session does not carry) are not saved."""
    route = steps(draft, facts)
    done = draft.outcome == Outcome.DONE
    return replace(
        draft,
        reason=draft.reason if R.reason in route else None,
        carta_aviso_left=draft.carta_aviso_left if R.carta in route else False,
        rescheduled_to=draft.rescheduled_to if R.reschedule in route else None,
        participant_member_id=draft.participant_member_id if R.participant in route else None,
        products_done=sorted(draft.products_done) if done else [],
        bono=draft.bono if R.bono in route else None,
        bono_note=draft.bono_note if R.bono in route else None,
        plan_rows=list(draft.plan_rows) if R.plan in route else [],
        matriz=dict(draft.matriz) if R.matriz_dims in route else {},
        asl_participants=list(draft.asl_participants) if R.asl in route else [],
        next_visit_at=draft.next_visit_at if R.next_date in route else None,
    )


def refusal(reason: str):
    """(message, step to show) for a service's InvalidInput reason id."""
    if reason in ("date_in_future", "missing_date"):
        return _("La fecha de la sesión tiene que ser de hoy o de antes. Revísala, por favor."), R.held_on
    if reason == "missing_reason":
        return _("Falta el motivo. Elige uno o escríbelo, por favor."), R.reason
    if reason in ("missing_new_date", "new_date_in_past"):
        return _("La nueva fecha tiene que ser hoy o después. Elígela de nuevo, por favor."), R.reschedule
    if reason == "next_visit_in_past":
        return _("La hora de la próxima visita ya pasó. Elige otra, por favor."), R.next_date
    if reason == "deadline_in_past":
        return _("Un compromiso tiene un plazo que ya pasó. Cámbialo, por favor."), R.plan
    if reason in ("too_many_asl", "asl_not_adult"):
        return _("Revisa los participantes ASL: hasta dos personas adultas."), R.asl
    if reason == "missing_participant":
        return _("Falta elegir con qué participante ASL fue la sesión."), R.participant
    if reason in ("unknown_commitment", "unknown_dimension", "missing_topic", "unknown_responsible", "unknown_plan"):
        return _("Hay un compromiso del plan incompleto o que ya no existe. Revísalo, por favor."), R.plan
    if reason == "unknown_product":
        return _("La lista de productos cambió. Márcalos de nuevo, por favor."), R.products
    if reason in ("unknown_indicator", "unknown_state"):
        return _("Los indicadores de la Matriz cambiaron. Regístralos de nuevo, por favor."), R.matriz_dims
    if reason == "unknown_member":
        return _("Una de las personas elegidas ya no es integrante de la familia. Revisa, por favor."), R.summary
    if reason in ("unknown_session", "not_in_trajectory", "not_allowed_for_role", "unknown_outcome"):
        return _("Esa sesión no se puede registrar para esta familia. Elige otra, por favor."), R.session
    return _("No pude guardar con estos datos. Revisa el resumen, por favor."), R.summary


async def save_draft(manager: DialogManager) -> None:
    data = manager.middleware_data
    draft, facts = get_draft(manager), info(manager)
    try:
        await session_records.record_session(data["session"], actor=data["viewer"].actor,
                                             draft=for_saving(draft, facts), now=data["clock"]())
    except InvalidInput as error:
        text, state = refusal(error.reason)
        manager.dialog_data["review"] = True
        await explain(manager, text)
        if state is R.session:
            manager.dialog_data.pop("review", None)
        await manager.switch_to(state)
        return
    except (NotAllowed, NotFound):
        await explain(manager, _("Ya no puedes registrar sesiones de esta familia. Si crees que es un error, "
                                 "habla con tu jefatura."))
        await to_menu(manager)
        return
    await data["bot"].send_message(data["event_chat"].id, _("Guardado ✅ {code} · {family} · {date}").format(
        code=draft.code, family=facts.get("family_name", ""), date=format_date(draft.held_on)))
    if draft.outcome == Outcome.DONE and "carta_compromiso" in facts.get("flags", ()):
        # The Carta de Compromiso is signed: the representative can link their phone right there, in the visit.
        await send_invitation(manager, draft.family_id, unless_linked=True)
    await to_menu(manager)
