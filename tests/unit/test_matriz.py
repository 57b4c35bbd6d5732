"""The Matriz de Bienestar data and the CSV import of the official indicator list."""
from pathlib import Path

import pytest
import yaml

from program import catalog, matriz
from program.matriz import (
    DIMENSIONS,
    Dimension,
    Indicator,
    MatrizError,
    load_matriz,
    merge_indicators_csv,
)

MATRIZ_FILE = Path(matriz.__file__).parent / "data" / "matriz.yaml"


@pytest.fixture(scope="module")
def mz():
    return load_matriz()


def test_five_dimensions(mz):
    assert [(d.id, d.name) for d in mz.dimensions] == [
        ("trabajo", "Trabajo y Seguridad Social"),
        ("ingresos", "Ingresos"),
        ("salud", "Salud"),
        ("educacion", "Educación"),
        ("vivienda", "Vivienda y Entorno"),
    ]
    assert mz.dimensions == DIMENSIONS
    assert len({d.emoji for d in mz.dimensions}) == 5 and all(d.emoji for d in mz.dimensions)
    assert {d.id for d in mz.dimensions} == catalog.DIMENSIONS


def test_seed_indicators(mz):
    assert [i.code for i in mz.indicators] == ["i32", "i33", "i41", "i42", "i43"]
    assert mz.indicator("i32").text == (
        "La familia conoce y dispone de mecanismos de resolución de conflictos que "
        "promueven el bienestar psicosocial de sus integrantes.")
    assert mz.indicator("i43").text == (
        "Los integrantes de la familia insertos en el sistema educativo postulan a las "
        "becas y programas para las cuales cumplen requisitos")
    assert "sistema de protección y/o cuidado especial fuera del hogar" in mz.indicator("i33").text
    assert [i.code for i in mz.indicators_for("educacion")] == ["i41", "i42", "i43"]
    assert {i.dimension for i in mz.indicators} <= {d.id for d in mz.dimensions}


def test_states_and_moments(mz):
    assert [(s.id, s.name) for s in mz.states] == [("a_trabajar", "A trabajar"),
                                                   ("logrado", "Logrado")]
    assert [(m.id, m.name) for m in mz.moments] == [("linea_base", "Línea Base"),
                                                    ("linea_salida", "Línea de Salida")]


def test_unit_matriz_file_is_validated(tmp_path):
    raw = yaml.safe_load(MATRIZ_FILE.read_text(encoding="utf-8"))
    raw["indicators"].append({"code": "i99", "dimension": "deporte", "text": "x"})
    raw["states"] = [{"id": "logrado", "name": "Logrado"}]
    path = tmp_path / "matriz.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MatrizError) as exc:
        load_matriz(path)
    assert any("i99" in e and "deporte" in e for e in exc.value.errors)
    assert any("'states'" in e for e in exc.value.errors)


def test_csv_good_rows_by_id_or_name():
    text = (
        "code,dimension,text\n"
        "i1,salud,Los integrantes están inscritos en el sistema de salud\n"
        "I2,  Educacion ,\"Los niños asisten, todos, a la escuela\"\n"
        "i3,VIVIENDA Y ENTORNO,La familia cuenta con agua potable\n"
        "i4,Trabajo y seguridad social,Los adultos cotizan\n"
        "\n"
        "i5,ingresos,La familia conoce sus transferencias\n"
    )
    indicators, errors = merge_indicators_csv(text)
    assert errors == []
    assert indicators == [
        Indicator("i1", "salud", "Los integrantes están inscritos en el sistema de salud"),
        Indicator("i2", "educacion", "Los niños asisten, todos, a la escuela"),
        Indicator("i3", "vivienda", "La familia cuenta con agua potable"),
        Indicator("i4", "trabajo", "Los adultos cotizan"),
        Indicator("i5", "ingresos", "La familia conoce sus transferencias"),
    ]


def test_csv_bad_rows_are_reported_and_skipped():
    text = (
        "code,dimension,text\n"
        "i32,Salud,Mecanismos de resolución de conflictos\n"
        "i33,x,Buen trato\n"
        "i34,salud,\n"
        "treinta,salud,Texto\n"
        "i32,salud,Otra vez\n"
        "i35,salud\n"
        "i41,Educación,Nivelación de estudios\n"
    )
    indicators, errors = merge_indicators_csv(text)
    assert [i.code for i in indicators] == ["i32", "i41"]
    assert errors == [
        "fila 3: dimensión desconocida 'x'",
        "fila 4: texto vacío",
        "fila 5: código inválido 'treinta' (ej. 'i32')",
        "fila 6: código 'i32' repetido (ya en fila 2)",
        "fila 7: se esperaban 3 columnas y hay 2",
    ]


def test_csv_semicolons_bom_and_custom_dimensions():
    text = "\ufeffCode;Dimension;Text\ni1;Salud;Control sano al día\n"
    assert merge_indicators_csv(text) == ([Indicator("i1", "salud", "Control sano al día")], [])
    only = [Dimension("salud", "Salud", "🩺")]
    assert merge_indicators_csv("code,dimension,text\ni1,ingresos,x\n", only) == (
        [], ["fila 2: dimensión desconocida 'ingresos'"])


def test_csv_bad_header():
    assert merge_indicators_csv("") == ([], ["fila 1: el encabezado debe ser 'code,dimension,text'"])
    indicators, errors = merge_indicators_csv("codigo,texto\ni1,x\n")
    assert indicators == [] and errors[0].startswith("fila 1:")
