"""Translated names for the Catastro: the need áreas and needs of program/data/needs.yaml (the msgids are the
file's Spanish names; tests/unit/test_needs.py keeps them in step), and the guide's fields."""
from aiogram.utils.i18n import gettext as _

from dialogs.common.record_labels import dimension_label, fit
from program.catastro import TEXT_LIMITS
from program.needs import needs
from texts.markers import N_

# For the editor's list and the AFI's "📍 Enviar un recurso" (dialogs/common/search.py fills in the limit).
SEARCH_HINT = N_("Para buscar, escribe parte del nombre (hasta {limit} caracteres).")
# An entry of another unit (a forged button) is refused, and audited by the service.
NOT_IN_UNIT = N_("Esa institución no está en el Catastro de tu unidad.")
AREA_LABELS = {
    "laboral": N_("🛠 Trabajo y capacitación"),
    "social": N_("🤝 Salud, vivienda y hogar"),
    "familiar": N_("👪 Familia y cuidados"),
    "juridico": N_("⚖️ Trámites legales y certificados"),
}
NEED_LABELS = {
    "laboral.emprendimiento": N_("Apoyo al emprendimiento"),
    "laboral.cooperativas": N_("Apoyo a la formación de cooperativas"),
    "laboral.capacitacion_oficio": N_("Capacitación (en algún oficio)"),
    "laboral.habilitacion_sociolaboral": N_("Habilitación sociolaboral"),
    "laboral.trabajo_dependiente": N_("Ofertas en trabajos dependientes"),
    "laboral.acreditacion_oficios": N_("Acreditación de oficios"),
    "laboral.nivelacion_estudios": N_("Nivelación de estudios"),
    "laboral.becas": N_("Subvención o becas"),
    "laboral.reforzamiento_escolar": N_("Reforzamiento escolar"),
    "laboral.alfabetizacion": N_("Alfabetización"),
    "laboral.alfabetizacion_digital": N_("Alfabetización digital"),
    "laboral.transporte": N_("Transporte"),
    "social.dental": N_("Dental"),
    "social.oftalmologico": N_("Oftalmológico"),
    "social.vacunacion": N_("Vacunación"),
    "social.examenes_controles": N_("Exámenes o controles"),
    "social.talleres_deportivos": N_("Talleres deportivos"),
    "social.rehabilitacion_discapacidad": N_("Rehabilitación discapacitados"),
    "social.tratamiento_enfermedades": N_("Tratamiento enfermedades"),
    "social.salud_publica": N_("Incorporación en sistema de salud pública"),
    "social.capacitacion_servicios_publicos": N_("Capacitación sobre servicios públicos"),
    "social.ayudas_tecnicas": N_("Ayudas técnicas (provisión de prótesis, andaderas, silla de ruedas, bastón, "
                                 "colchón anti escara, etc.)"),
    "social.mejoramiento_vivienda": N_("Mejoramiento, ampliación o reparación de vivienda"),
    "social.adquisicion_vivienda": N_("Adquisición de vivienda"),
    "social.regularizacion_vivienda": N_("Regularización de vivienda"),
    "social.equipamiento_hogar": N_("Equipamiento básico del hogar"),
    "familiar.salud_mental": N_("Salud mental"),
    "familiar.violencia_intrafamiliar": N_("Violencia intrafamiliar"),
    "familiar.vulneracion_derechos": N_("Vulneración de derechos"),
    "familiar.alcohol_drogas": N_("Alcohol y drogas"),
    "familiar.mediacion": N_("Mediación"),
    "familiar.apoyo_psicologico": N_("Apoyo psicológico"),
    "familiar.becas": N_("Subvención o becas"),
    "familiar.economia_domestica": N_("Economía doméstica"),
    "familiar.apoyos_monetarios": N_("Apoyos monetarios"),
    "familiar.cuidado_adultos_mayores": N_("Cuidado adultos mayores"),
    "familiar.reforzamiento_escolar": N_("Reforzamiento escolar"),
    "familiar.alimentacion": N_("Alimentación"),
    "familiar.residencia_escolar": N_("Residencia escolar"),
    "familiar.transporte": N_("Transporte"),
    "familiar.educacion_diferencial": N_("Educación diferencial"),
    "familiar.salas_cuna": N_("Salas cuna"),
    "familiar.jardin_infantil": N_("Jardín infantil"),
    "familiar.alimentacion_escolar": N_("Alimentación hijos (as) escolarizados"),
    "familiar.cupo_escolar": N_("Cupo escolar"),
    "familiar.apoyo_aprendizaje": N_("Apoyo al aprendizaje de hijos(as)"),
    "juridico.omision_antecedentes": N_("Omisión de antecedentes"),
    "juridico.eliminacion_antecedentes": N_("Eliminación de antecedentes"),
    "juridico.tramites_legales": N_("Trámites legales"),
    "juridico.acreditacion_conadi": N_("Acreditación CONADI"),
    "juridico.acreditacion_senadis": N_("Acreditación SENADIS"),
    "juridico.certificados": N_("Certificados y acreditaciones"),
    "juridico.cuidado_parental": N_("Cuidado parental"),
}
FIELD_LABELS = {
    "name": N_("Nombre"),
    "contact_person": N_("Persona de contacto"),
    "address": N_("Dirección"),
    "sector": N_("Sector"),
    "phones": N_("Teléfonos"),
    "email_web": N_("Correo o página web"),
    "target_population": N_("Población objetivo"),
    "theme": N_("Temática"),
    "dimensions": N_("Dimensiones"),
    "programs_services": N_("Programas, prestaciones y servicios"),
    "access_requirements": N_("Requisitos y procedimiento de acceso"),
    "needs": N_("Necesidades que atiende"),
}
QUESTIONS = {
    "name": N_("¿Cómo se llama el programa, organización, institución o red?"),
    "contact_person": N_("¿Quién es la persona de contacto o encargada?"),
    "address": N_("¿Cuál es la dirección (calle, número, comuna)?"),
    "sector": N_("¿En qué sector o territorio está?"),
    "phones": N_("¿Qué teléfonos tiene (institucional y de la persona encargada)?"),
    "email_web": N_("¿Qué correo electrónico o página web tiene?"),
    "target_population": N_("¿A quiénes atiende (población objetivo)?"),
    "theme": N_("¿Qué temática aborda?"),
    "programs_services": N_("¿Qué programas, prestaciones y servicios ofrece?"),
    "access_requirements": N_("¿Cuáles son los requisitos y el procedimiento de acceso?"),
}


def area_label(area_id: str) -> str:
    return _(AREA_LABELS[area_id]) if area_id in AREA_LABELS else area_id


def need_label(need_id: str) -> str:
    if need_id in NEED_LABELS:
        return _(NEED_LABELS[need_id])
    try:
        return needs().need(need_id).name
    except KeyError:
        return need_id


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def dimensions_text(ids) -> str:
    return ", ".join(dimension_label(d) for d in ids or ()) or "—"


def needs_text(ids) -> str:
    return "; ".join(need_label(n) for n in ids or ()) or "—"


def entry_details(entry) -> str:
    """Every field of the guide, for the professionals (an entry, or a draft with the same attributes)."""
    lines = [f"🏛 {entry.name}" + ("" if entry.active else " · " + _("🚫 desactivada"))]
    for field in TEXT_LIMITS:
        if field != "name":
            lines.append(f"{field_label(field)}: {getattr(entry, field) or '—'}")
        if field == "theme":
            lines.append(f"{field_label('dimensions')}: {dimensions_text(entry.dimensions)}")
    lines.append(f"{field_label('needs')}: {needs_text(entry.needs)}")
    return fit(lines)
