"""Session record, the Plan Familiar de Desarrollo (or the Plan Laboral): add a commitment or edit one.

A row being written lives in dialog_data["row"] (a PlanRow as a dict) until its deadline is set; then it
joins draft.plan_rows. dialog_data["row_index"] is its place there when a row of this draft is re-edited.
"""
from dataclasses import asdict

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, ScrollingGroup

from dialogs.common.context import explain
from dialogs.common.record_labels import commitment_status_label, dimension_label
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.session_record.flow import back_button, get_draft, go_next, info, load_form
from program.clock import format_date
from program.session_draft import PlanRow, Responsible
from program.text_split import short
from services import caseload
from services.errors import NotAllowed, NotFound


def plan_kind(manager: DialogManager) -> str:
    return "laboral" if "plan_laboral" in info(manager).get("flags", ()) else "familiar"


def responsible_label(row: PlanRow, members: dict[int, str]) -> str:
    if row.responsible == Responsible.MEMBER:
        return members.get(row.member_id, _("un integrante")) if row.member_id is not None else _("un integrante")
    return _("el programa") if row.responsible == Responsible.PROGRAM else _("la familia")


def row_line(row: PlanRow, members: dict[int, str], limit: int = 80) -> str:
    deadline = format_date(row.deadline) if row.deadline else "—"
    return (f"{dimension_label(row.dimension)} · {short(row.topic, limit)}\n"
            f"   → {short(row.action, limit)} · {responsible_label(row, members)} · {deadline}")


STATUS_MARK = {"in_progress": "🔄", "done": "✅", "not_done": "❌"}  # pending: no mark


async def _family_news(manager: DialogManager) -> str:
    """What the family said about its commitments since the last visit, before the professional reviews them."""
    data, raw = manager.middleware_data, manager.dialog_data.get("draft") or {}
    try:
        news = await caseload.family_news(data["session"], actor=data["viewer"].actor,
                                          family_id=raw.get("family_id", 0), limit=3)
    except (NotAllowed, NotFound):
        return ""
    return "\n".join(f"• {format_date(event.at, data['viewer'].timezone)} · {commitment_status_label(event.status)}"
                     f" · {short(c.topic, 40) or '🎤'}{' 🎤' if event.voice_file_id else ''}" for event, c in news)


async def plan_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    form = await load_form(dialog_manager)
    draft = get_draft(dialog_manager)
    members = {m.member_id: m.name for m in form.members} if form else {}
    edited = {row.commitment_id for row in draft.plan_rows if row.commitment_id}
    existing = [c for c in (form.commitments if form else []) if c.plan == plan_kind(dialog_manager)
                and c.commitment_id not in edited]
    items = [(f"d{index}", f"📝 {short(row.topic, 40)}") for index, row in enumerate(draft.plan_rows)]
    items += [(f"c{c.commitment_id}", f"✏️ {STATUS_MARK.get(c.status, '')} {short(c.topic, 40)}".replace("  ", " "))
              for c in existing]
    lines = [f"{index}. {row_line(row, members)}" for index, row in enumerate(draft.plan_rows, start=1)]
    news = await _family_news(dialog_manager)
    return {"rows": "\n".join(lines), "has_rows": bool(lines), "items": items, "news": news, "has_news": bool(news),
            "laboral": plan_kind(dialog_manager) == "laboral", "familiar": plan_kind(dialog_manager) != "laboral"}


def _start_row(manager: DialogManager, row: PlanRow, index: int | None) -> None:
    manager.dialog_data["row"] = asdict(row)
    manager.dialog_data["row_index"] = index
    manager.dialog_data.pop("row_resources_unknown", None)
    # A new row has no responsible yet (the draft's default is "the family"): no "Mantener" for it.
    manager.dialog_data["row_chosen"] = index is not None or row.commitment_id is not None


async def on_add_row(_callback, _button, manager: DialogManager) -> None:
    _start_row(manager, PlanRow(dimension="", topic="", resources="", action="", plan=plan_kind(manager)), None)
    await manager.switch_to(R.row_dimension)


async def on_plan_item(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    draft, kind, number = get_draft(manager), item_id[:1], item_id[1:]
    if kind == "d" and number.isdigit() and int(number) < len(draft.plan_rows):
        _start_row(manager, draft.plan_rows[int(number)], int(number))
        await manager.switch_to(R.row_dimension)
        return
    form = await load_form(manager)
    view = next((c for c in (form.commitments if form else []) if kind == "c" and str(c.commitment_id) == number), None)
    if view is None:
        await explain(manager, _("Ese compromiso no está en el plan de esta familia. Elige de la lista 👇"))
        return
    member_id = next((m.member_id for m in form.members if m.name == view.member_name), None)
    responsible = view.responsible if view.responsible in set(Responsible) else Responsible.FAMILY
    # The service's CommitmentView may not carry the resources: then they are asked again, since saving
    # an empty text would blank them.
    resources = getattr(view, "resources", None)
    _start_row(manager, PlanRow(dimension=view.dimension, topic=view.topic, resources=resources or "",
                                action=view.action, responsible=responsible, member_id=member_id,
                                deadline=view.deadline, commitment_id=view.commitment_id, plan=view.plan), None)
    manager.dialog_data["row_resources_unknown"] = resources is None
    await manager.switch_to(R.row_dimension)


async def on_plan_done(_callback, _button, manager: DialogManager) -> None:
    await go_next(manager, R.plan)


def plan_windows() -> list[Window]:
    return [
        Window(
            T("🗂 Plan Familiar de Desarrollo", when="familiar"),
            T("🗂 Plan Laboral", when="laboral"),
            T("💬 Lo que contó la familia:\n{news}", when="has_news"),
            T("Compromisos de hoy:\n{rows}", when="has_rows"),
            T("Agrega un compromiso nuevo o toca uno del plan para cambiarlo. Toca «Listo» para seguir."),
            Button(T("➕ Agregar compromiso"), id="row_add", on_click=on_add_row),
            ScrollingGroup(
                choices("plan_item", "items", on_plan_item),
                id="plan_page", width=1, height=5, hide_on_single_page=True,
            ),
            Button(T("✅ Listo"), id="plan_done", on_click=on_plan_done),
            back_button(R.plan, "back_plan"),
            buttons_only(),
            state=R.plan,
            getter=plan_getter,
        ),
    ]
