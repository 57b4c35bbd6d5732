"""Words shared by the chat, the command line and the outbox for the Catastro: an entry as a family reads
it, and the CSV import's summary (its per-row reasons are in texts/csv_rows.py). `_` is the caller's gettext (aiogram's in dialogs, a plain translator elsewhere);
no aiogram here."""
from collections.abc import Mapping

from program.text_split import short
from texts.catalogs import Gettext

def import_summary(report, _: Gettext) -> str:
    return _("Catastro importado: {created} nuevas, {updated} actualizadas, {unchanged} sin cambios.").format(
        created=report.created, updated=report.updated, unchanged=report.unchanged)


def entry_lines(fields: Mapping, _: Gettext, *, limit: int = 0) -> list[str]:
    """An entry in short lines: its name, what it offers and asks for, how to reach it. `limit` shortens
    each line (the families' search shows several entries in one message); 0 keeps them whole."""
    def cut(value):
        return short(value, limit) if limit else (value or "").strip()

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
