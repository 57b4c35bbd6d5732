"""What an outbox row says, rendered when it is sent, in the recipient's language (see storage/outbox.py).

Short messages are msgids here; the digests are Jinja2 templates (texts/templates/*.j2) whose strings
are extracted by Babel like the rest. Args hold ids, ISO dates and the names the text needs.
"""
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from program.clock import format_date, to_local
from storage.outbox import OutboxMessage
from texts.catalogs import DOMAIN, Gettext, compiled_locales
from texts.catastro import entry_lines
from texts.markers import N_
from texts.months import month_label

if TYPE_CHECKING:  # the sender's type only: at run time texts/ imports nothing from services/ (which imports N_)
    from services.sender import Buttons

TEMPLATES_DIR = Path(__file__).parent / "templates"
NEVER_ASK = N_("🔒 El programa nunca te pedirá claves ni números de tarjeta.")


@cache
def _translations(locale: str):
    import gettext

    return gettext.translation(DOMAIN, localedir=compiled_locales(), languages=[locale], fallback=True)


@cache
def _environment(locale: str) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), extensions=["jinja2.ext.i18n"],
                      undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(_translations(locale), newstyle=True)
    return env


def _local(value: str, tz_name: str) -> datetime:
    return to_local(datetime.fromisoformat(value), tz_name)


def _visit(message: OutboxMessage, _: Gettext) -> str:
    at = _local(message.args["visit_at"], message.timezone)
    staff = message.args.get("staff_name") or _("tu Apoyo Familiar")
    if message.template == "visit_evening_before":
        text = _("🔔 Recordatorio: mañana {date} a las {time} tienes visita de {staff}, del Programa Familias.")
    else:
        text = _("🔔 Hoy a las {time} tienes visita de {staff}, del Programa Familias.")
    return text.format(date=format_date(at), time=at.strftime("%H:%M"), staff=staff) + "\n" + \
        _("Si no puedes, avisa a tu unidad (/ayuda).")


def _commitment(message: OutboxMessage, _: Gettext) -> str:
    deadline = format_date(date.fromisoformat(message.args["deadline"]))
    topic = message.args.get("topic", "")
    text = {
        "commitment_soon": _("📌 Se acerca el plazo de un compromiso de tu plan: «{topic}» (hasta el {deadline})."),
        "commitment_today": _("📌 Hoy vence un compromiso de tu plan: «{topic}»."),
        "commitment_overdue": _("📌 ¿Cómo va «{topic}»? El plazo era el {deadline}. Si necesitas ayuda, "
                                "conversa con tu Apoyo Familiar."),
    }[message.template]
    return text.format(topic=topic, deadline=deadline) + "\n" + _("Tu plan está en /menu.")


def _bono(message: OutboxMessage, _: Gettext) -> str:
    month = month_label(message.args["month"], _)
    if message.template == "bono_second_ask":
        text = _("💳 Te preguntamos de nuevo: ¿pudiste cobrar el Bono de Protección de {month}?")
    else:
        text = _("💳 ¿Pudiste cobrar el Bono de Protección de {month}?")
    return text.format(month=month) + "\n\n" + _(NEVER_ASK)


BONO_REASONS = {"no_se_donde": N_("no sabe dónde cobrar"), "sin_cuenta": N_("no tiene la cuenta / CuentaRUT"),
                "no_llego": N_("no le llegó"), "otro": N_("otro motivo")}


def _bono_alert(message: OutboxMessage, _: Gettext) -> str:
    args = message.args
    month = month_label(args["month"], _)
    if message.template == "bono_escalation":
        return _("⚠️ Bono de Protección de {month}: la familia {family} todavía no lo cobra, después de dos "
                 "preguntas. Conviene llamarla antes de que el pago caduque.").format(month=month,
                                                                                   family=args["family"])
    text = _("⚠️ Bono de Protección de {month}: la familia {family} tiene un problema para cobrarlo ({reason})."
             ).format(month=month, family=args["family"], reason=_(BONO_REASONS.get(args.get("reason"), BONO_REASONS["otro"])))
    if args.get("has_voice"):
        text += "\n" + _("Dejó un audio con el detalle.")
    return text


def _group(message: OutboxMessage, _: Gettext) -> str:
    args = message.args
    at = _local(args["starts_at"], message.timezone)
    values = {"code": ("ASL " if args.get("track") == "asl" else "") + args["code"], "name": args.get("name", ""),
              "date": format_date(at), "time": at.strftime("%H:%M"), "place": args.get("place", ""),
              "address": args.get("address") or ""}
    texts = {
        "group_invitation": _("👥 Te invitamos a la sesión grupal {code} «{name}» del Programa Familias.\n"
                              "📅 {date} a las {time}\n📍 {place} {address}\n\n¿Podrás venir?"),
        "group_change": _("👥 Cambió la sesión grupal {code} «{name}».\nAhora: 📅 {date} a las {time}\n"
                          "📍 {place} {address}\n\n¿Podrás venir?"),
        "group_cancelled": _("👥 Se suspendió la sesión grupal {code} «{name}» del {date}. Te avisaremos la nueva "
                             "fecha."),
        "group_reminder": _("🔔 Mañana {date} a las {time} es la sesión grupal {code} «{name}».\n📍 {place} {address}"),
    }
    return texts[message.template].format(**values).replace(" \n", "\n").strip()


def _resource(message: OutboxMessage, _: Gettext) -> str:
    """A Catastro entry a professional sent to the family (services/catastro_send.py)."""
    staff = message.args.get("staff_name") or _("tu Apoyo Familiar")
    return "\n".join([_("📍 {staff} te envía un lugar donde pueden ayudarte:").format(staff=staff), "",
                      *entry_lines(message.args, _)])


def _digest(message: OutboxMessage, _: Gettext, locale: str) -> str:
    args = dict(message.args)
    args["day"] = format_date(date.fromisoformat(args["day"]))
    return _environment(locale).get_template(f"{message.template}.j2").render(**args).strip()


def render(message: OutboxMessage, locale: str) -> tuple[str, "Buttons"]:
    _ = _translations(locale).gettext
    if message.template.startswith("visit_"):
        text = _visit(message, _)
    elif message.template.startswith("commitment_"):
        text = _commitment(message, _)
    elif message.template in ("bono_problem_alert", "bono_escalation"):
        text = _bono_alert(message, _)
    elif message.template.startswith("bono_"):
        text = _bono(message, _)
    elif message.template.startswith("group_"):
        text = _group(message, _)
    elif message.template == "catastro_entry":
        text = _resource(message, _)
    elif message.template in ("digest", "weekly_summary"):
        text = _digest(message, _, locale)
    else:
        raise KeyError(message.template)
    buttons = [[(_(button["text"]), button["data"]) for button in row] for row in message.buttons]
    return text, buttons
