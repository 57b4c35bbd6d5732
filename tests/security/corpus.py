"""The bad-file corpus, generated here (no binary fixtures): what Excel, old tools, careless people and
attackers hand to the cohort and Catastro importers. Each case says what must come out: "ok" (imported),
a whole-file reason (program.csv_file.BadFile) or a row reason (program.csv_rows.RowError)."""
import random
from dataclasses import dataclass

from program.csv_file import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS

CATASTRO_HEADER = ["nombre", "persona_contacto", "direccion", "sector", "telefonos", "email_web",
                   "poblacion_objetivo", "tematica", "dimensiones", "programas_servicios", "requisitos_acceso",
                   "necesidades"]
CATASTRO_ROWS = [
    ["CESFAM Juanita Aguirre", "Ana Pérez Ñuñoa", "Av. Principal 456", "Villa Norte", "+56 2 2222 3333",
     "cesfam@example.cl", "Personas inscritas", "Salud", "salud", "Atención dental y controles",
     "Inscripción en FONASA", "social.dental"],
    ["OMIL Conchalí", "", "Calle Larga 10", "Centro", "+56 2 4444 5555", "", "Personas que buscan trabajo",
     "Empleo", "trabajo", "Bolsa de empleo", "Cédula de identidad", "laboral.trabajo_dependiente"],
]
COHORT_HEADER = ["codigo_familia", "apellido_familia", "sector", "trayectoria", "nombres", "apellidos", "run",
                 "parentesco", "representante", "cobra_bono"]
COHORT_ROWS = [
    ["F-001", "Pérez Soto", "Villa Norte", "aps", "María José", "Pérez Soto", "12.345.678-5", "jefa de hogar",
     "sí", "sí"],
    ["F-001", "Pérez Soto", "Villa Norte", "aps", "Pedro", "Pérez Soto", "11.111.111-1", "hijo", "no", "no"],
    ["F-002", "Muñoz", "Centro", "aps_asl", "Jean", "Muñoz Núñez", "22.222.222-2", "jefe de hogar", "sí", "sí"],
]
NAMES = {"catastro": "Ana Pérez Ñuñoa", "cohort": "María José"}  # accents that must survive the decoding


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    outcome: str  # "ok", a BadFile reason (empty, too_big, nul_bytes, not_text) or a row reason id


def _text(header, rows, sep=";", end="\r\n") -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if sep in value or '"' in value else value
    return end.join(sep.join(cell(value) for value in row) for row in [header, *rows]) + end


def cases(kind: str) -> list[Case]:
    header, rows = (CATASTRO_HEADER, CATASTRO_ROWS) if kind == "catastro" else (COHORT_HEADER, COHORT_ROWS)
    good = _text(header, rows)
    huge_row = list(rows[0])
    huge_row[-1 if kind == "catastro" else 5] = "x" * 1_000_000  # over csv's own 131,072-character limit
    long_row = list(rows[0])
    long_row[1] = "y" * (MAX_CELL_CHARS + 1)  # under csv's limit, over ours
    many = [list(rows[0][:1]) + [""] * (len(header) - 1) for _ in range(MAX_ROWS + 1)]
    rng = random.Random(21719)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    no_nul_garbage = bytes(rng.randrange(1, 256) for _ in range(4096))
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + no_nul_garbage[:2000]
    return [
        Case("utf8", good.encode("utf-8"), "ok"),
        Case("utf8_bom", good.encode("utf-8-sig"), "ok"),
        Case("cp1252", good.encode("cp1252"), "ok"),
        Case("latin1", good.encode("latin-1"), "ok"),
        Case("utf16_le_bom_tabs", _text(header, rows, sep="\t").encode("utf-16"), "ok"),  # Excel «Unicode text»
        Case("utf16_be_bom", b"\xfe\xff" + good.encode("utf-16-be"), "ok"),
        Case("utf16_le_bom", b"\xff\xfe" + good.encode("utf-16-le"), "ok"),
        Case("cr_only", _text(header, rows, end="\r").encode("cp1252"), "ok"),
        Case("lf_only", _text(header, rows, end="\n").encode("utf-8"), "ok"),
        Case("comma_delimiter", _text(header, rows, sep=",").encode("utf-8"), "ok"),
        Case("semicolon_delimiter", _text(header, rows, sep=";").encode("cp1252"), "ok"),
        Case("dos_eof_marker", good.encode("cp1252") + b"\x1a", "ok"),
        Case("trailing_separator_rows", (good + ";" * (len(header) - 1) + "\r\n").encode("cp1252"), "ok"),
        Case("nul_in_a_cell", good.encode("utf-8").replace(b"Centro", b"Cen\x00tro"), "nul_bytes"),
        Case("utf16_without_bom", good.encode("utf-16-le"), "nul_bytes"),
        Case("empty", b"", "empty"),
        Case("only_a_bom", b"\xef\xbb\xbf", "empty"),
        Case("blank_lines", b"\r\n\r\n  \r\n", "empty"),
        Case("binary_garbage", garbage, "nul_bytes"),
        Case("binary_garbage_without_nul", no_nul_garbage, "not_text"),
        Case("xlsx_renamed_csv", xlsx, "nul_bytes"),
        Case("one_megabyte_cell", _text(header, [huge_row]).encode("utf-8"), "cell_too_long"),
        Case("long_cell", _text(header, [rows[0], long_row]).encode("utf-8"), "cell_too_long"),
        Case("too_many_rows", _text(header, many).encode("utf-8"), "too_many_rows"),
        Case("too_big", good.encode("utf-8") + b"z" * MAX_FILE_BYTES, "too_big"),
        Case("header_only", _text(header, []).encode("utf-8"), "no_rows"),
        Case("wrong_columns", b"fecha;monto\r\n01-11-2026;1000\r\n", "missing_column"),
        # An opening quote never closed swallows the rest of the file into one cell: too long for its column.
        Case("unclosed_quote", good.replace("Villa Norte", '"Villa Norte', 1).encode("utf-8"), "too_long"),
    ]
