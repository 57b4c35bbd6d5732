"""The shipped session catalog matches the Guías Metodológicas, and bad files are rejected."""
import ast
import copy
from pathlib import Path

import pytest
import yaml

from program import catalog as catalog_module
from program.catalog import CatalogError, Session, load_catalog, validate_catalog

CATALOG_FILE = Path(catalog_module.__file__).parent / "data" / "catalog.yaml"
FAMILY_BONO = ["S7", "S8", "S10", "S12", "S15", "S18", "S19", "S20"]
APS_GROUP = ["S9", "S11", "S13", "S14", "S16", "S17", "S21", "S23"]
ASL_GROUP = ["S2", "S4", "S5", "S7"]


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture
def raw():
    return yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))


def test_shipped_catalog_validates(raw, cat):
    assert validate_catalog(raw) == []
    assert cat.version
    assert [s.id for s in cat.stages] == [
        "ingreso", "construccion_planes", "apoyo_bienestar", "cierre", "transversal"]
    assert cat.stage("ingreso").name == "Ingreso al Programa"
    assert cat.stage("cierre").name == "Cierre del Acompañamiento"


def test_every_session_present(cat):
    assert [s.code for s in cat.by_track("aps")] == [f"S{n}" for n in range(1, 24)]
    assert [s.code for s in cat.by_track("asl")] == [f"S{n}" for n in range(1, 10)]
    assert [s.code for s in cat.by_track("transversal")] == ["G19", "G20"]
    assert len(cat.sessions) == 23 + 9 + 2


def test_first_encounter(cat):
    s1 = cat.session("aps", "S1")
    assert s1.name == "Nuestro Primer Encuentro"
    assert set(s1.roles) == {"afi", "gestor_familiar"}
    assert s1.has("carta_compromiso") and s1.type == "familiar" and s1.stage == "ingreso"
    assert "Carta de Compromiso firmada por el representante familiar, en caso que acepte" \
        in s1.products
    assert [s.key for s in cat.with_flag("carta_compromiso")] == ["aps:S1"]


def test_bono_followup_on_family_sessions_from_s7(cat):
    assert sorted(s.code for s in cat.with_flag("bono_followup")) == sorted(FAMILY_BONO)
    for code in FAMILY_BONO:
        s = cat.session("aps", code)
        assert s.type == "familiar" and s.roles == ("afi",)
        assert "Seguimiento del cobro del Bono de Protección realizado" in s.products


def test_plan_building_stage(cat):
    building = [cat.session("aps", f"S{n}") for n in range(2, 7)]
    for s in building:
        assert s.guide == 2 and s.stage == "construccion_planes"
        assert {"linea_base", "mi_territorio", "plan_familiar", "matriz"} <= s.flags
    assert sorted(s.key for s in cat.with_flag("linea_base")) == sorted(s.key for s in building)
    assert [s.key for s in cat.with_flag("asl_choice")] == ["aps:S6"]
    assert any("Acompañamiento Sociolaboral" in p for p in cat.session("aps", "S6").products)
    assert not any("Sociolaboral" in p for p in cat.session("aps", "S2").products)


def test_exit_line_and_closing(cat):
    assert [s.key for s in cat.with_flag("linea_salida")] == ["aps:S22"]
    s22 = cat.session("aps", "S22")
    assert s22.stage == "cierre" and "Línea de Salida construida" in s22.products
    assert cat.session("asl", "S9").stage == "cierre"
    assert cat.session("aps", "S23").stage == "cierre"


def test_group_sessions_are_run_by_the_gestor_socio(cat):
    groups = [cat.session("aps", c) for c in APS_GROUP] + \
             [cat.session("asl", c) for c in ASL_GROUP]
    for s in groups:
        assert s.type in {"grupal", "comunitaria"}, s.key
        assert "gestor_socio" in s.roles, s.key
    assert {s.key for s in cat.sessions if s.type in {"grupal", "comunitaria"}} == \
        {s.key for s in groups}
    assert {cat.session("aps", c).type for c in ("S13", "S14", "S16", "S21")} == {"comunitaria"}


def test_roles_and_tracks(cat):
    assert {s.key for s in cat.sessions_for_role("gestor_familiar")} == {"aps:S1"}
    afi = {s.key for s in cat.sessions_for_role("afi")}
    assert "asl:S1" in afi and "aps:S22" in afi and "aps:S9" not in afi
    assert cat.session("asl", "S1").type == "individual"
    assert all(s.has("plan_laboral") and s.dimension == ("trabajo",)
               for s in cat.by_track("asl"))
    for code in ("G19", "G20"):
        g = cat.session("transversal", code)
        assert g.type == "transversal" and g.roles == ("gestor_socio",) and g.stage == "transversal"
    assert cat.session("transversal", "G19").guide == 19
    with pytest.raises(KeyError):
        cat.session("aps", "S24")


def test_shared_guides_share_content(cat):
    pot = [cat.session("aps", c) for c in ("S8", "S10", "S12", "S15", "S18", "S19", "S20")]
    assert {(s.name, s.guide, s.products) for s in pot} == {
        ("Potenciando Nuestro Bienestar", 4, pot[0].products)}
    juntos = [cat.session("aps", c) for c in ("S13", "S14", "S16")]
    assert {s.name for s in juntos} == {"Avanzando Juntos"}
    asl = [cat.session("asl", c) for c in ("S3", "S6", "S8")]
    assert {s.name for s in asl} == {"Avanzando en Nuestro Plan Laboral"}


def test_texts_are_clean(cat):
    for s in cat.sessions:
        assert s.products and all(p and p == p.strip() for p in s.products), s.key
        assert "\n" not in s.objective and "  " not in s.objective, s.key
        assert s.name and s.name == s.name.strip(), s.key
    assert "Construcción" in cat.stage("construccion_planes").name  # accents kept


def _session(raw, track, code):
    return next(s for s in raw["sessions"] if s["track"] == track and s["code"] == code)


def test_duplicate_code_is_an_error(raw):
    raw["sessions"].append(copy.deepcopy(_session(raw, "aps", "S7")))
    errors = validate_catalog(raw)
    assert any("aps/S7" in e and "repetido" in e for e in errors), errors


def test_unknown_role_type_stage_flag(raw):
    s = _session(raw, "aps", "S9")
    s["roles"] = ["gestor_socio", "psicologo"]
    s["type"] = "taller"
    s["stage"] = "seguimiento"
    s["flags"] = ["bono"]
    errors = validate_catalog(raw)
    for needle in ("rol desconocido 'psicologo'", "tipo desconocido 'taller'",
                   "etapa desconocida 'seguimiento'", "flag desconocido 'bono'"):
        assert any(needle in e for e in errors), (needle, errors)


def test_empty_product_and_missing_products(raw):
    _session(raw, "aps", "S7")["products"].append("  ")
    _session(raw, "aps", "S11")["products"] = []
    _session(raw, "transversal", "G19")["products"] = []  # allowed for transversal work
    errors = validate_catalog(raw)
    assert any("aps/S7" in e and "texto vacío en 'products'" in e for e in errors), errors
    assert any("aps/S11" in e and "sin productos" in e for e in errors), errors
    assert not any("G19" in e for e in errors), errors


def test_other_structural_errors(raw):
    s = _session(raw, "aps", "S12")
    s["month_from"], s["month_to"] = 20, 3
    s["dimension"] = ["deporte"]
    s["checklist"] = []
    del s["objective"]
    errors = validate_catalog(raw)
    assert any("falta el campo 'objective'" in e for e in errors), errors
    assert any("campo desconocido 'checklist'" in e for e in errors), errors
    del s["checklist"]
    s["objective"] = "x"
    errors = validate_catalog(raw)
    assert any("month_from es posterior" in e for e in errors), errors
    assert any("dimensión desconocida 'deporte'" in e for e in errors), errors
    assert validate_catalog([]) and validate_catalog({"version": "x"})


def test_load_raises_catalog_error(tmp_path, raw):
    _session(raw, "asl", "S2")["roles"] = ["nadie"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load_catalog(bad)
    assert any("rol desconocido 'nadie'" in e for e in exc.value.errors)
    (tmp_path / "broken.yaml").write_text("sessions: [\n", encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(str(tmp_path / "broken.yaml"))


def test_unit_can_load_its_own_catalog(tmp_path):
    own = {
        "version": "unidad-conchali-1",
        "stages": [{"id": "apoyo_bienestar", "name": "Apoyo al Bienestar Familiar"}],
        "sessions": [{
            "track": "aps", "code": "S8", "name": "Potenciando Nuestro Bienestar", "guide": 4,
            "type": "familiar", "roles": ["afi"], "stage": "apoyo_bienestar",
            "objective": "Trabajar los indicadores de bienestar relevados por la familia.",
            "products": ["Compromisos de acción revisados"],
            "materials_family": [], "materials_professional": [],
            "flags": ["bono_followup"], "month_from": 4, "month_to": 18,
        }],
    }
    path = tmp_path / "catalogo.yaml"
    path.write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    cat = load_catalog(path)
    s = cat.session("aps", "S8")
    assert isinstance(s, Session) and cat.version == "unidad-conchali-1"
    assert (s.month_from, s.month_to) == (4, 18) and s.has("bono_followup")


def test_program_catalog_is_pure():
    for name in ("catalog.py", "matriz.py"):
        tree = ast.parse((CATALOG_FILE.parent.parent / name).read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert not imported & {"aiogram", "sqlalchemy", "sqlmodel", "bot", "handlers",
                               "dialogs", "storage", "services"}, (name, imported)
