"""`catastro-import` / `catastro-export`: a unit's Catastro from and to a CSV file (see bot/admin.py).

The import is all or nothing: with any bad row it prints every problem and writes nothing."""
import sys
from pathlib import Path

from program.access import Actor
from program.roles import Role
from services.catastro_csv import export_catastro, import_catastro
from storage.types import utc_now
from texts.catastro import import_summary
from texts.csv_rows import CATASTRO_REASONS, report_lines


class CatastroFileError(Exception):
    """One sentence for the admin (already translated)."""


async def run_catastro(args, session, _, text: str) -> int:
    admin = Actor(role=Role.ADMIN, unit_id=args.unit)
    if args.command == "catastro-import":
        report = await import_catastro(session, actor=admin, text=text, now=utc_now(), unit_id=args.unit)
        if report.errors:
            lines = [_("No se importó nada. Corrige estas filas y vuelve a intentar:"), *report_lines(report.errors, CATASTRO_REASONS, _),
                     _("Las necesidades válidas están en program/data/needs.yaml (por ejemplo "
                       "laboral.nivelacion_estudios).")]
            print("\n".join(lines), file=sys.stderr)
            return 1
        print(import_summary(report, _))
        return 0
    csv_text, count = await export_catastro(session, actor=admin, unit_id=args.unit)
    path: Path = args.file
    try:
        path.write_text(csv_text, encoding="utf-8-sig", newline="")  # with BOM: Excel then reads the accents
    except OSError as error:
        raise CatastroFileError(_("No pude escribir el archivo {path}: {reason}").format(
            path=path, reason=error.strerror or type(error).__name__)) from None
    print(_("Catastro exportado: {count} instituciones y organizaciones en {path}.").format(count=count, path=path))
    return 0
