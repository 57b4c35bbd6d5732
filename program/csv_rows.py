"""What the CSV importers (the cohort, the Catastro) share: how a column's name is read, which separator a
file uses, and the per-row problem they report. Pure: no I/O."""
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str  # an id the caller translates (texts/csv_rows.py): bad_run, missing_field, no_representative ...
    detail: str = ""


def column_name(name: str) -> str:
    """`Código familia`, `CODIGO_FAMILIA` and ` codigo-familia ` all name `codigo_familia`."""
    plain = unicodedata.normalize("NFKD", name.strip().lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "_".join(plain.replace("-", " ").split())


def delimiter(text: str) -> str:
    """Excel in Chile (decimal comma) saves «CSV» with `;`; the header line tells which one."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)
