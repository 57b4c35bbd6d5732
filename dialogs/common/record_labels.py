"""Translated names for what the session record, "Mis familias", the family card, the plan and the Catastro
show: stages, outcomes, Bono answers, commitment states, Matriz dimensions and states."""
from aiogram.utils.i18n import gettext as _

from program.clock import format_date
from program.matriz import DIMENSIONS
from texts.months import month_label


def stage_label(stage: str) -> str:
    return {
        "ingreso": _("Ingreso"),
        "construccion_planes": _("Construcción de Planes"),
        "apoyo_bienestar": _("Apoyo al Bienestar"),
        "cierre": _("Cierre"),
        "egresada": _("egresada"),
        "cerrada": _("caso cerrado"),
    }.get(stage, stage)


def outcome_label(outcome: str) -> str:
    return {
        "done": _("✅ Realizada"),
        "not_found": _("🚪 Familia no encontrada"),
        "rescheduled": _("📅 Reprogramada"),
        "declined": _("🙅 La familia no acepta participar"),
        "abandoned": _("🛑 Abandono del programa"),
    }.get(outcome, outcome)


def outcome_mark(outcome: str) -> str:
    return {"done": "✅", "not_found": "🚪", "rescheduled": "📅", "declined": "🙅", "abandoned": "🛑"}.get(outcome, "")


def bono_label(answer: str | None) -> str:
    return {"cobrado": _("✅ Cobrado"), "no_cobrado": _("❌ No cobrado"), "no_sabe": _("❓ No sabe")}.get(
        answer, answer or "")


def dimension_label(dimension_id: str) -> str:
    names = {"trabajo": _("Trabajo y Seguridad Social"), "ingresos": _("Ingresos"), "salud": _("Salud"),
             "educacion": _("Educación"), "vivienda": _("Vivienda y Entorno")}
    emoji = next((d.emoji for d in DIMENSIONS if d.id == dimension_id), "")
    return f"{emoji} {names.get(dimension_id, dimension_id)}".strip()


def matriz_state_label(state: str | None) -> str:
    return {"a_trabajar": _("🔧 A trabajar"), "logrado": _("🏆 Logrado")}.get(state, "—")


def commitment_status_label(status: str) -> str:
    return {"pending": _("⏳ pendiente"), "in_progress": _("🔄 en curso"), "done": _("✅ cumplido"),
            "not_done": _("❌ no cumplido")}.get(status, status)


def responsible_label(responsible: str, member_name: str | None) -> str:
    if responsible == "member":
        return member_name or _("un integrante")
    return _("el programa") if responsible == "program" else _("la familia")


def session_code(track: str, code: str) -> str:
    """"S1" alone is ambiguous for APS + ASL families: ASL sessions carry their track."""
    return f"ASL {code}" if track == "asl" else code


def last_session_label(last) -> str:
    """"S2 27-06-2026" (with the outcome's mark when the visit was not held)."""
    if last is None:
        return "—"
    mark = "" if last.outcome == "done" else f" {outcome_mark(last.outcome)}"
    return f"{session_code(last.track, last.code)} {format_date(last.held_on)}{mark}"


def next_due_label(due, today) -> str:
    """"S3 hasta 20-07-2026" when it is due now, "S8 desde 17-12-2026" when it comes later."""
    if due is None:
        return "—"
    code = session_code(due.track, due.code)
    if due.due_from > today:
        return _("{code} desde {date}").format(code=code, date=format_date(due.due_from))
    late = " ⚠️" if due.overdue else ""
    return _("{code} hasta {date}").format(code=code, date=format_date(due.due_by)) + late


def bono_line(bono: tuple[str, str] | None) -> str:
    return f"{month_label(bono[0], _)} {bono_label(bono[1])}" if bono else "—"


def fit(lines: list[str], limit: int = 3300) -> str:
    """Telegram takes 4096 characters per message: keep whole lines and say how many were left out."""
    kept, size = [], 0
    for index, line in enumerate(lines):
        if size + len(line) + 1 > limit:
            return "\n".join(kept + [_("… y {count} líneas más").format(count=len(lines) - index)])
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)
