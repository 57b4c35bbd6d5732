"""The needs of the "Tabla organizadora para el levantamiento de recursos municipales y comunales", as data:
the four áreas, their needs exactly as the table names them, stable ids, and the validation of the file."""
import copy
from pathlib import Path

import pytest
import yaml

from program import needs as needs_module
from program.needs import AREAS, NeedsError, build_needs, load_needs

NEEDS_FILE = Path(needs_module.__file__).parent / "data" / "needs.yaml"


@pytest.fixture(scope="module")
def shipped():
    return load_needs()


@pytest.fixture
def raw():
    return yaml.safe_load(NEEDS_FILE.read_text(encoding="utf-8"))


def test_four_areas_as_the_table_orders_them(shipped):
    assert [(a.id, a.name) for a in shipped.areas] == [
        ("laboral", "Ámbito laboral/capacitacional"), ("social", "Ámbito social"),
        ("familiar", "Ámbito familiar vincular"), ("juridico", "Ámbito jurídico")]
    assert [len(a.needs) for a in shipped.areas] == [12, 14, 20, 7]
    assert len({a.emoji for a in shipped.areas}) == 4


def test_needs_named_as_in_the_table(shipped):
    assert [n.name for n in shipped.area("laboral").needs] == [
        "Apoyo al emprendimiento", "Apoyo a la formación de cooperativas", "Capacitación (en algún oficio)",
        "Habilitación sociolaboral", "Ofertas en trabajos dependientes", "Acreditación de oficios",
        "Nivelación de estudios", "Subvención o becas", "Reforzamiento escolar", "Alfabetización",
        "Alfabetización digital", "Transporte"]
    assert [n.name for n in shipped.area("juridico").needs] == [
        "Omisión de antecedentes", "Eliminación de antecedentes", "Trámites legales", "Acreditación CONADI",
        "Acreditación SENADIS", "Certificados y acreditaciones", "Cuidado parental"]
    assert shipped.need("laboral.nivelacion_estudios").name == "Nivelación de estudios"
    assert shipped.need("social.ayudas_tecnicas").name == (
        "Ayudas técnicas (provisión de prótesis, andaderas, silla de ruedas, bastón, colchón anti escara, etc.)")
    familiar = [n.name for n in shipped.area("familiar").needs]
    assert familiar[0] == "Salud mental" and familiar[-1] == "Apoyo al aprendizaje de hijos(as)"
    assert "Alimentación hijos (as) escolarizados" in familiar and "Salas cuna" in familiar
    assert [n.name for n in shipped.area("social").needs][-4:] == [
        "Mejoramiento, ampliación o reparación de vivienda", "Adquisición de vivienda", "Regularización de vivienda",
        "Equipamiento básico del hogar"]


def test_ids_are_unique_and_carry_their_area(shipped):
    ids = shipped.ids
    assert len(ids) == len(set(ids)) == 53
    for area in shipped.areas:
        assert all(n.id.startswith(f"{area.id}.") and n.area == area.id for n in area.needs)
    # The same need in two áreas is two ids (the table lists "Transporte" in both).
    assert {"laboral.transporte", "familiar.transporte", "laboral.becas", "familiar.becas"} <= set(ids)
    with pytest.raises(KeyError):
        shipped.need("laboral.nada")


def test_every_problem_is_reported_at_once(raw):
    broken = copy.deepcopy(raw)
    broken["areas"][0]["needs"].append({"id": "social.dental", "name": "Dental"})  # wrong área and repeated
    broken["areas"][1]["needs"][0] = {"id": "social.x"}  # no name
    broken["areas"][2]["needs"].append({"id": "familiar.y", "name": "Y", "color": "rojo"})
    broken["areas"][3]["emoji"] = ""
    broken["extra"] = 1
    with pytest.raises(NeedsError) as error:
        build_needs(broken)
    messages = "\n".join(error.value.errors)
    for expected in ("id inválido 'social.dental'", "necesidad #1 requiere 'id' y 'name'",
                     "campos desconocidos ['color']", "ámbito juridico: falta 'emoji'", "clave desconocida 'extra'"):
        assert expected in messages, messages
    assert len(error.value.errors) == 5


def test_areas_are_fixed(raw):
    raw["areas"] = raw["areas"][::-1]
    with pytest.raises(NeedsError, match="los ámbitos deben ser"):
        build_needs(raw)
    with pytest.raises(NeedsError, match="repetida"):
        again = yaml.safe_load(NEEDS_FILE.read_text(encoding="utf-8"))
        again["areas"][0]["needs"].append(dict(again["areas"][0]["needs"][0]))
        build_needs(again)
    assert AREAS == ("laboral", "social", "familiar", "juridico")


def test_bad_yaml_and_other_files(tmp_path):
    path = tmp_path / "needs.yaml"
    path.write_text("areas: [", encoding="utf-8")
    with pytest.raises(NeedsError, match="YAML inválido"):
        load_needs(path)
    path.write_text(NEEDS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_needs(path) == load_needs()


def test_the_chat_labels_follow_the_file(shipped):
    """The names families read are msgids in dialogs/catastro/labels.py: the same Spanish as the file."""
    from dialogs.catastro.labels import AREA_LABELS, NEED_LABELS

    assert NEED_LABELS == {n.id: n.name for a in shipped.areas for n in a.needs}
    assert list(AREA_LABELS) == list(AREAS)
