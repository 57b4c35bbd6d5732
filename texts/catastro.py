"""Words shared by the chat and the command line for the Catastro: an entry as a family reads it, and the
CSV import's report. `_` is the caller's gettext (aiogram's in dialogs, a plain translator elsewhere);
no aiogram here."""
from collections.abc import Callable, Mapping

from texts.markers import N_

Gettext = Callable[[str], str]

# Ids of the import's per-row reasons, as program/catastro_csv.py reports them.
ROW_REASONS = {
    "missing_column": N_("faltan columnas: {detail}"),
    "missing_field": N_("falta el dato «{detail}»"),
    "too_long": N_("el dato «{detail}» es demasiado largo"),
    "bad_dimension": N_("dimensión desconocida «{detail}» (usa trabajo, ingresos, salud, educacion o vivienda)"),
    "bad_need": N_("necesidad desconocida «{detail}» (usa los ids de la lista de necesidades)"),
    "duplicate": N_("nombre repetido (ya aparece en la fila {detail})"),
    "extra_cells": N_("tiene más celdas que columnas (pon entre comillas un texto con el separador, o separa "
                      "la lista con «,»)"),
    "no_rows": N_("el archivo no tiene filas de instituciones"),
}


def report_lines(errors, _: Gettext) -> list[str]:
    """One line per problem, in the file's order: "fila 4: necesidad desconocida «x»"."""
    return [_("fila {line}: {reason}").format(line=error.line, reason=_(ROW_REASONS[error.reason]).format(
        detail=error.detail)) for error in errors]


def import_summary(report, _: Gettext) -> str:
    return _("Catastro importado: {created} nuevas, {updated} actualizadas, {unchanged} sin cambios.").format(
        created=report.created, updated=report.updated, unchanged=report.unchanged)


def _short(text: str | None, limit: int) -> str:
    value = " ".join((text or "").split())
    return value if len(value) <= limit else value[:limit - 1].rstrip() + "…"


def entry_lines(fields: Mapping, _: Gettext, *, limit: int = 0) -> list[str]:
    """An entry in short lines: its name, what it offers and asks for, how to reach it. `limit` shortens
    each line (the families' search shows several entries in one message); 0 keeps them whole."""
    def cut(value):
        return _short(value, limit) if limit else (value or "").strip()

    lines = [f"🏛 {cut(fields.get('name'))}"]
    place = ", ".join(part for part in (fields.get("address"), fields.get("sector")) if part)
    if fields.get("programs_services"):
        lines.append(_("Ofrece: {value}").format(value=cut(fields["programs_services"])))
    if fields.get("access_requirements"):
        lines.append(_("Requisitos: {value}").format(value=cut(fields["access_requirements"])))
    lines += [f"{mark} {cut(value)}" for mark, value in (("📞", fields.get("phones")), ("📍", place),
                                                          ("✉️", fields.get("email_web"))) if value]
    if fields.get("contact_person"):
        lines.append(_("👤 Preguntar por: {value}").format(value=cut(fields["contact_person"])))
    return lines
