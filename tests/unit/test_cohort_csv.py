"""The cohort CSV: a good file, and each way a row can be wrong, reported by the file's own line."""
from datetime import date

import pytest

from program.cohort_csv import RowError, parse_cohort

HEADER = "codigo_familia,apellido_familia,sector,trayectoria,nombres,apellidos,run,parentesco,representante,cobra_bono,fecha_nacimiento\n"
GOOD = HEADER + (
    "F-001,Pérez Soto,Villa Norte,aps,María,Pérez Soto,12.345.678-5,jefa de hogar,sí,sí,05-03-1985\n"
    "F-001,Pérez Soto,Villa Norte,aps,Pedro,Pérez Soto,11.111.111-1,hijo,no,no,2010-07-01\n"
    "F-002,Joseph,Centro,aps+asl,Jean,Joseph,22.222.222-2,jefe de hogar,x,,\n"
)


def reasons(errors: list[RowError]) -> list[tuple[int, str, str]]:
    return [(error.line, error.reason, error.detail) for error in errors]


def test_good_file():
    families, errors = parse_cohort(GOOD)
    assert errors == []
    assert [(f.code, f.family_name, f.sector, f.trajectory, f.first_line) for f in families] == [
        ("F-001", "Pérez Soto", "Villa Norte", "aps", 2), ("F-002", "Joseph", "Centro", "aps_asl", 4)]
    maria, pedro = families[0].members
    assert (maria.given_names, maria.surnames, maria.run, maria.relation) == ("María", "Pérez Soto", "12345678-5",
                                                                               "jefa de hogar")
    assert maria.is_representative and maria.is_bono_collector and maria.birth_date == date(1985, 3, 5)
    assert not pedro.is_representative and pedro.birth_date == date(2010, 7, 1)
    jean = families[1].members[0]
    assert jean.is_representative and not jean.is_bono_collector and jean.birth_date is None


def test_bad_run_check_digit():
    families, errors = parse_cohort(GOOD.replace("11.111.111-1", "11.111.111-2"))
    assert reasons(errors) == [(3, "bad_run", "")]


def test_missing_representative():
    text = GOOD.replace("jefa de hogar,sí,sí", "jefa de hogar,no,sí")
    assert reasons(parse_cohort(text)[1]) == [(2, "no_representative", "F-001")]


def test_two_representatives():
    text = GOOD.replace("hijo,no,no", "hijo,sí,no")
    assert reasons(parse_cohort(text)[1]) == [(2, "two_representatives", "F-001")]


def test_representative_row_with_another_error_is_not_also_missing():
    text = GOOD.replace("12.345.678-5", "12.345.678-4")
    assert reasons(parse_cohort(text)[1]) == [(2, "bad_run", "")]


def test_duplicate_run_in_file():
    text = GOOD.replace("22.222.222-2", "12.345.678-5")
    assert reasons(parse_cohort(text)[1]) == [(4, "run_repeated", "2")]


def test_family_with_another_surname():
    text = GOOD.replace("F-001,Pérez Soto,Villa Norte,aps,Pedro", "F-001,Pérez Rojas,Villa Norte,aps,Pedro")
    assert reasons(parse_cohort(text)[1]) == [(3, "family_name_conflict", "F-001")]


def test_surname_case_and_spacing_do_not_conflict():
    text = GOOD.replace("F-001,Pérez Soto,Villa Norte,aps,Pedro", "F-001,PÉREZ  SOTO,Villa Norte,aps,Pedro")
    assert parse_cohort(text)[1] == []


def test_missing_column():
    text = GOOD.replace(",representante,", ",rep,").replace("codigo_familia,", "familia,", 1)
    families, errors = parse_cohort(text)
    assert families == []
    assert reasons(errors) == [(1, "missing_column", "codigo_familia, representante")]


def test_missing_field():
    text = GOOD.replace(",Pedro,", ",,")
    assert reasons(parse_cohort(text)[1]) == [(3, "missing_field", "nombres")]


def test_bad_trajectory():
    text = GOOD.replace("Centro,aps+asl", "Centro,asl")
    assert reasons(parse_cohort(text)[1]) == [(4, "bad_trajectory", "asl")]


@pytest.mark.parametrize("value", ["31-02-1985", "ayer", "1985"])
def test_bad_date(value):
    text = GOOD.replace("05-03-1985", value)
    assert reasons(parse_cohort(text)[1]) == [(2, "bad_date", "fecha_nacimiento")]


def test_bad_flag():
    text = GOOD.replace("hijo,no,no", "hijo,quizás,no")
    assert reasons(parse_cohort(text)[1]) == [(3, "bad_flag", "representante")]


def test_excel_semicolons_bom_crlf_and_headers_with_accents():
    header = "Código Familia;Apellido Familia;Sector;Trayectoria;Nombres;Apellidos;RUN;Parentesco;Representante;Cobra Bono\r\n"
    text = "\ufeff" + header + (
        "F-001;Pérez Soto;Villa Norte;APS;María;Pérez Soto;12.345.678-5;jefa de hogar;Sí;Sí\r\n"
        "F-001;Pérez Soto;Villa Norte;APS;Pedro;Pérez, Soto;11.111.111-1;hijo;No;No\r\n"
        ";;;;;;;;;\r\n"
    )
    families, errors = parse_cohort(text)
    assert errors == []
    assert [m.surnames for m in families[0].members] == ["Pérez Soto", "Pérez, Soto"]
    assert families[0].members[0].is_representative


def test_tab_separated():
    families, errors = parse_cohort(GOOD.replace(",", "\t"))
    assert errors == [] and len(families) == 2


def test_line_numbers_count_blank_lines():
    text = GOOD.replace("\nF-002", "\n\nF-002").replace("22.222.222-2", "22.222.222-3")
    assert reasons(parse_cohort(text)[1]) == [(5, "bad_run", "")]


def test_errors_sorted_by_line_and_all_reported():
    text = GOOD.replace("11.111.111-1", "11.111.111-2").replace("Centro,aps+asl", "Centro,asl")
    assert [e.line for e in parse_cohort(text)[1]] == [3, 4]


def test_header_only_is_an_error():
    assert reasons(parse_cohort(HEADER)[1]) == [(1, "no_rows", "")]


def test_empty_file():
    families, errors = parse_cohort("")
    assert families == [] and errors[0].reason == "missing_column"


def test_text_longer_than_the_database_column():
    text = GOOD.replace("hijo,no,no", "x" * 41 + ",no,no")
    assert reasons(parse_cohort(text)[1]) == [(3, "too_long", "parentesco")]
