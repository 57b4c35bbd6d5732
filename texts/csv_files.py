"""What the CSV imports (the cohort, the Catastro; chat and command line) say about a file refused as a
whole (program.csv_file.BadFile). `_` is the caller's gettext."""
from program.csv_file import MAX_FILE_BYTES, BadFile
from texts.catalogs import Gettext
from texts.markers import N_

FILE_REASONS = {
    "empty": N_("El archivo está vacío. Revisa que sea el correcto y vuelve a intentar."),
    "too_big": N_("El archivo es muy grande (el máximo es {megabytes} MB). Divídelo en partes más pequeñas."),
    "nul_bytes": N_("El archivo tiene caracteres nulos, así que no es un CSV de texto. En Excel: «Guardar como» "
                    "→ «CSV UTF-8» y vuelve a intentar."),
    "not_text": N_("Esto no parece un archivo CSV de texto (¿una planilla .xlsx o una foto?). En Excel: "
                   "«Guardar como» → «CSV UTF-8» y vuelve a intentar."),
}


def file_problem(error: BadFile, _: Gettext) -> str:
    return _(FILE_REASONS[error.reason]).format(megabytes=MAX_FILE_BYTES // 1_000_000)
