"""What the CSV imports say about a bad row, in one place for the cohort (python -m bot families-import)
and the Catastro (the chat and the command line). Keys are the reason ids program/ reports
(program/csv_rows.RowError); `_` is the caller's gettext."""
from collections.abc import Iterable, Mapping

from program.csv_rows import RowError
from texts.catalogs import Gettext
from texts.markers import N_

# Reasons every import can report.
COMMON_REASONS = {
    "missing_column": N_("faltan columnas: {detail}"),
    "missing_field": N_("falta el dato «{detail}»"),
    "too_long": N_("el dato «{detail}» es demasiado largo"),
}
COHORT_REASONS = COMMON_REASONS | {
    "bad_run": N_("RUN inválido (revisa el dígito verificador)"),
    "run_repeated": N_("RUN repetido (ya aparece en la fila {detail})"),
    "run_in_use": N_("RUN ya registrado en otra familia"),
    "bad_date": N_("fecha inválida en «{detail}» (usa dd-mm-aaaa)"),
    "bad_flag": N_("en «{detail}» escribe sí o no"),
    "bad_trajectory": N_("trayectoria desconocida «{detail}» (aps o aps_asl)"),
    "family_name_conflict": N_("la familia {detail} aparece con otro apellido"),
    "family_code_exists": N_("el código de familia {detail} ya existe en la unidad"),
    "no_representative": N_("la familia {detail} no tiene persona representante"),
    "two_representatives": N_("la familia {detail} tiene más de una persona representante"),
    "no_rows": N_("el archivo no tiene filas de integrantes"),
}
CATASTRO_REASONS = COMMON_REASONS | {
    "bad_dimension": N_("dimensión desconocida «{detail}» (usa trabajo, ingresos, salud, educacion o vivienda)"),
    "bad_need": N_("necesidad desconocida «{detail}» (usa los ids de la lista de necesidades)"),
    "duplicate": N_("nombre repetido (ya aparece en la fila {detail})"),
    "extra_cells": N_("tiene más celdas que columnas (pon entre comillas un texto con el separador, o separa "
                      "la lista con «,»)"),
    "no_rows": N_("el archivo no tiene filas de instituciones"),
}


def report_lines(errors: Iterable[RowError], reasons: Mapping[str, str], _: Gettext) -> list[str]:
    """One line per problem, in the file's order: "fila 4: necesidad desconocida «x»"."""
    return [_("fila {line}: {reason}").format(line=error.line, reason=_(reasons[error.reason]).format(
        detail=error.detail)) for error in errors]
