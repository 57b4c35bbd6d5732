"""Longer texts shared by handlers and dialogs."""
from aiogram.utils.i18n import gettext as _

from storage.models import Unit


def unit_contact(unit: Unit | None) -> str:
    if unit is None:
        return ""
    lines = [f"{unit.name} · {unit.comuna}"]
    for icon, value in (("📞", unit.contact_phone), ("✉️", unit.contact_email), ("📍", unit.contact_address),
                        ("🕘", unit.contact_hours)):
        if value:
            lines.append(f"{icon} {value}")
    return "\n".join(lines)


def privacy_notice(unit: Unit | None) -> str:
    return _(
        "🔒 Tus datos y tus derechos\n\n"
        "Qué guardamos: los datos de tu familia en el programa (nombres, RUN, sesiones, compromisos, "
        "respuestas sobre el bono) y lo que tú escribas o envíes aquí.\n"
        "Quién lo ve: solo tu familia y el equipo del Programa Familias de tu municipalidad. "
        "Nunca otra familia.\n"
        "Para qué: acompañar a tu familia en el programa y recordarte citas y compromisos.\n\n"
        "Según la Ley 21.719 puedes pedir ver, corregir, borrar o llevarte tus datos, oponerte a su uso "
        "o pedir que se bloqueen. Pídelo a tu Apoyo Familiar o en la unidad:\n{contact}\n\n"
        "Nunca te pediremos claves ni números de tarjeta."
    ).format(contact=unit_contact(unit))
