"""The Catastro (Guía N°19) and the Plan de Redes (Guía N°20) in the chat, through the fake Bot API: the Gestor
Sociocomunitario adds, edits, imports and exports; a family finds a local service in three taps; an AFI
sends an entry from a family's card; forged buttons are refused and audited."""
import pytest
from sqlmodel import select

from program.access import Actor
from program.catastro_csv import parse_catastro
from program.roles import Role
from services import catastro_csv, units
from storage.catastro import CatastroEntry, RedesActivity
from storage.models import AuditEvent
from tests.support import seed, updates

GESTOR, AFI, JEFE, FAMILY, OTHER_GESTOR = 5300, 5001, 5002, 6001, 5400
HEADER = ("nombre;persona_contacto;direccion;sector;telefonos;email_web;poblacion_objetivo;tematica;dimensiones;"
          "programas_servicios;requisitos_acceso;necesidades\n")
GOOD = HEADER + (
    "CESFAM Juanita Aguirre;Ana Pérez;Av. Principal 456;Villa Norte;+56 2 2222 3333;cesfam@example.cl;"
    "Personas inscritas;Salud;salud;Atención dental y controles;Inscripción en FONASA;"
    '"social.dental; social.examenes_controles"\n'
    "OMIL Conchalí;;Calle Larga 10;Centro;+56 2 4444 5555;;Personas que buscan trabajo;Empleo;trabajo;"
    "Bolsa de empleo;Cédula de identidad;laboral.trabajo_dependiente\n")
BAD = HEADER + (
    "Junta de Vecinos 4;;;;;;;;salud;;;social.nada\n"
    ";Sin nombre;;;;;;;;;;\n"
    "Club Deportivo;;;;;;;;deporte;;;social.talleres_deportivos\n"
    "Junta de Vecinos 4;;;;;;;;;;;\n")


def _answers(harness) -> list[str]:
    return [call.params["text"] for call in harness.api.requests("answerCallbackQuery") if call.params.get("text")]


async def _audit(session_factory, action: str) -> list[AuditEvent]:
    async with session_factory() as session:
        return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action))).all())


async def _entries(session_factory) -> list[CatastroEntry]:
    async with session_factory() as session:
        return list((await session.exec(select(CatastroEntry).order_by(CatastroEntry.id))).all())


async def _gestor(harness, session_factory, clock, *, unit=None, user=GESTOR, comuna="Conchalí"):
    unit = unit or await seed.unit_with_families(session_factory, clock(), comuna=comuna)
    async with session_factory() as session:
        gestor, code = await units.add_staff(session, unit_id=unit.unit_id, name="Gloria Muñoz", role="gestor_socio",
                                             now=clock())
        await session.commit()
    await harness.say(user, f"/start {code}")
    return unit, gestor


async def _import(session_factory, clock, unit_id: int, text: str = GOOD) -> None:
    async with session_factory() as session:
        report = await catastro_csv.import_catastro(session, actor=Actor(role=Role.ADMIN, unit_id=unit_id),
                                                    text=text, now=clock(), unit_id=unit_id)
        assert not report.errors
        await session.commit()


async def _linked_family(harness, session_factory, clock, unit) -> None:
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {code}")
    await harness.tap(FAMILY, "Acepto")


async def test_the_gestor_adds_an_entry_field_by_field_and_edits_one(harness, session_factory, clock):
    await _gestor(harness, session_factory, clock)
    assert "🏛 Catastro" in harness.buttons(GESTOR)
    assert "Aún no hay instituciones" in (await harness.tap(GESTOR, "Catastro"))[-1]
    assert "paso 1 de 12" in (await harness.tap(GESTOR, "Agregar"))[-1]
    assert "persona de contacto" in (await harness.say(GESTOR, "CESFAM Juanita Aguirre"))[-1]
    await harness.say(GESTOR, "Ana Pérez")
    await harness.say(GESTOR, "Av. Principal 456")
    await harness.tap(GESTOR, "Omitir")  # sector
    await harness.say(GESTOR, "+56 2 2222 3333")
    for _ in range(3):  # e-mail, target population, theme
        await harness.tap(GESTOR, "Omitir")
    assert "dimensiones de la Matriz" in harness.last_text(GESTOR)
    await harness.tap(GESTOR, "Salud")
    assert "✅ 🩺 Salud" in harness.buttons(GESTOR)
    await harness.tap(GESTOR, "Listo")
    await harness.say(GESTOR, "Atención dental y controles")
    await harness.say(GESTOR, "Inscripción en FONASA")
    assert "¿Qué necesidades atiende?" in harness.last_text(GESTOR)
    await harness.tap(GESTOR, "Salud, vivienda y hogar")
    await harness.tap(GESTOR, "Dental")
    await harness.tap(GESTOR, "Vacunación")
    await harness.tap(GESTOR, "Ámbitos")
    assert "🤝 Salud, vivienda y hogar (2)" in harness.buttons(GESTOR)
    summary = (await harness.tap(GESTOR, "Listo"))[-1]
    for line in ("🏛 CESFAM Juanita Aguirre", "Persona de contacto: Ana Pérez", "Sector: —",
                 "Dimensiones: 🩺 Salud", "Necesidades que atiende: Dental; Vacunación"):
        assert line in summary, summary
    texts = await harness.tap(GESTOR, "Guardar")
    assert any("«CESFAM Juanita Aguirre» quedó en el Catastro" in t for t in texts)
    [entry] = await _entries(session_factory)
    assert (entry.phones, entry.needs, entry.dimensions, entry.sector) == (
        "+56 2 2222 3333", ["social.dental", "social.vacunacion"], ["salud"], None)

    await harness.tap(GESTOR, "Editar un dato")
    await harness.tap(GESTOR, "Teléfonos")
    assert "Ahora: +56 2 2222 3333" in harness.last_text(GESTOR)
    texts = await harness.say(GESTOR, "+56 2 2999 0000")
    assert any("Cambio guardado" in t for t in texts) and "Teléfonos: +56 2 2999 0000" in texts[-1]
    await harness.tap(GESTOR, "Editar un dato")
    await harness.tap(GESTOR, "Dimensiones")
    await harness.tap(GESTOR, "Educación")
    assert "Dimensiones: 🩺 Salud, 📚 Educación" in (await harness.tap(GESTOR, "Listo"))[-1]
    [entry] = await _entries(session_factory)
    assert entry.phones == "+56 2 2999 0000" and entry.dimensions == ["salud", "educacion"]
    assert {e.action for e in await _audit(session_factory, "catastro.edit.phones")} == {"catastro.edit.phones"}

    # The same name again is refused at once; the search finds the entry by part of its name.
    await harness.tap(GESTOR, "Catastro")
    await harness.tap(GESTOR, "Agregar")
    texts = await harness.say(GESTOR, "cesfam juanita aguirre")
    assert any("Ya hay una institución con ese nombre" in t for t in texts)
    await harness.tap(GESTOR, "Atrás")
    assert "🔎 «juanita»" in (await harness.say(GESTOR, "juanita"))[-1]
    await harness.tap(GESTOR, "CESFAM Juanita Aguirre")
    await harness.tap(GESTOR, "Desactivar")
    texts = await harness.tap(GESTOR, "Sí, desactivar")
    assert any("ya no aparece en el Catastro" in t for t in texts)
    assert not (await _entries(session_factory))[0].active


async def test_the_gestor_imports_a_csv_document_and_exports_the_catastro(harness, session_factory, clock):
    await _gestor(harness, session_factory, clock)
    await harness.tap(GESTOR, "Catastro")
    assert "Columnas:\nnombre, persona_contacto" in (await harness.tap(GESTOR, "Importar CSV"))[-1]
    assert any("laboral.nivelacion_estudios — Nivelación de estudios" in t
               for t in await harness.tap(GESTOR, "Ids de necesidades"))
    harness.api.fail_next("getFile", "400")  # Telegram could not hand the file over: try again
    texts = harness._texts(await harness.feed(updates.document(GESTOR, "catastro.csv", "text/csv")), GESTOR)
    assert any("No pude descargar el archivo" in t for t in texts)
    harness.api.file_content = BAD.encode("utf-8")
    texts = harness._texts(await harness.feed(updates.document(GESTOR, "catastro.csv", "text/csv")), GESTOR)
    report = next(t for t in texts if "No se importó nada" in t)
    assert report.splitlines()[1:] == [
        "fila 2: necesidad desconocida «social.nada» (usa los ids de la lista de necesidades)",
        "fila 3: falta el dato «nombre»",
        "fila 4: dimensión desconocida «deporte» (usa trabajo, ingresos, salud, educacion o vivienda)",
        "fila 5: nombre repetido (ya aparece en la fila 2)",
    ]
    assert await _entries(session_factory) == [] and harness.api.requests("getFile")
    # Not a CSV: a kind word, nothing downloaded.
    downloads = len(harness.api.requests("getFile"))
    texts = harness._texts(await harness.feed(updates.document(GESTOR, "foto.pdf", "application/pdf")), GESTOR)
    assert any("Necesito un archivo .csv" in t for t in texts) and len(harness.api.requests("getFile")) == downloads

    # Excel's way: Windows-1252; sent from the list itself this time.
    await harness.tap(GESTOR, "Catastro")
    harness.api.file_content = GOOD.encode("cp1252")
    texts = harness._texts(await harness.feed(updates.document(GESTOR, "Catastro 2026.CSV", "text/csv")), GESTOR)
    assert any("Catastro importado: 2 nuevas, 0 actualizadas, 0 sin cambios." in t for t in texts)
    assert harness.buttons(GESTOR)[:2] == ["CESFAM Juanita Aguirre", "OMIL Conchalí"]
    assert [e.name for e in await _entries(session_factory)] == ["CESFAM Juanita Aguirre", "OMIL Conchalí"]

    await harness.tap(GESTOR, "Exportar")
    [sent] = harness.api.requests("sendDocument", chat_id=GESTOR)
    assert "📤 Catastro: 2 instituciones y organizaciones activas" in sent.params["caption"]
    upload = sent.params["document"]
    assert upload.filename == "catastro-2026-11-23.csv" and upload.data.startswith(b"\xef\xbb\xbf")
    rows, errors = parse_catastro(upload.data.decode("utf-8-sig"))
    assert errors == [] and [r.data.name for r in rows] == ["CESFAM Juanita Aguirre", "OMIL Conchalí"]
    assert rows[0].data.needs == ("social.dental", "social.examenes_controles")


async def test_the_gestor_keeps_the_plan_de_redes(harness, session_factory, clock):
    await _gestor(harness, session_factory, clock)
    await harness.tap(GESTOR, "Catastro")
    assert "Aún no hay actividades" in (await harness.tap(GESTOR, "Plan de Redes"))[-1]
    await harness.tap(GESTOR, "Agregar actividad")
    await harness.say(GESTOR, "Taller de liderazgo en la sede vecinal")
    await harness.say(GESTOR, "Junta de Vecinos 4")
    await harness.say(GESTOR, "20 personas participan")
    await harness.tap(GESTOR, "Omitir")  # resources
    assert any("No entendí la fecha" in t for t in await harness.say(GESTOR, "el martes"))
    texts = await harness.say(GESTOR, "15-01-2027")
    assert any("quedó en el Plan de Redes" in t for t in texts)
    assert ("1. 15-01-2027 · Taller de liderazgo en la sede vecinal\n   👤 Junta de Vecinos 4\n"
            "   📏 Indicador: 20 personas participan") in texts[-1]
    await harness.tap(GESTOR, "Agregar actividad")
    await harness.say(GESTOR, "Feria de servicios")
    await harness.say(GESTOR, "Municipalidad")
    await harness.tap(GESTOR, "Omitir")
    await harness.say(GESTOR, "Stands y folletos")
    listing = (await harness.tap(GESTOR, "Sin fecha"))[-1]
    assert "2. sin fecha · Feria de servicios" in listing and "🧰 Recursos: Stands y folletos" in listing
    await harness.tap(GESTOR, "Borrar una actividad")
    await harness.tap(GESTOR, "1. Taller")
    assert "¿Borrar «Taller de liderazgo en la sede vecinal» del Plan de Redes?" in harness.last_text(GESTOR)
    texts = await harness.tap(GESTOR, "Sí, borrar")
    assert any("se borró del Plan de Redes" in t for t in texts) and "1. sin fecha · Feria" in texts[-1]
    async with session_factory() as session:
        assert [a.description for a in (await session.exec(select(RedesActivity))).all()] == ["Feria de servicios"]


async def test_a_family_finds_a_local_service_for_a_need_in_three_taps(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    other = await seed.unit_with_families(session_factory, clock(), comuna="Recoleta")
    await _import(session_factory, clock, unit.unit_id)
    await _import(session_factory, clock, other.unit_id, GOOD.replace("CESFAM Juanita Aguirre", "CESFAM Recoleta"))
    await _linked_family(harness, session_factory, clock, unit)
    assert "🔎 ¿Dónde encuentro ayuda?" in harness.buttons(FAMILY)

    await harness.tap(FAMILY, "¿Dónde encuentro ayuda?")  # 1
    assert harness.buttons(FAMILY)[:4] == ["🛠 Trabajo y capacitación (1)", "🤝 Salud, vivienda y hogar (1)",
                                           "👪 Familia y cuidados", "⚖️ Trámites legales y certificados"]
    await harness.tap(FAMILY, "Salud, vivienda y hogar")  # 2
    assert harness.buttons(FAMILY)[0] == "Dental (1)"
    found = (await harness.tap(FAMILY, "Dental"))[-1]  # 3
    assert found.splitlines()[:3] == ["🔎 Dental", "Lugares que pueden ayudarte: 1", ""]
    for line in ("🏛 CESFAM Juanita Aguirre", "Ofrece: Atención dental y controles",
                 "Requisitos: Inscripción en FONASA", "📞 +56 2 2222 3333", "📍 Av. Principal 456, Villa Norte",
                 "👤 Preguntar por: Ana Pérez"):
        assert line in found.splitlines(), found
    assert "Recoleta" not in found and "OMIL" not in found
    details = (await harness.tap(FAMILY, "🏛 CESFAM Juanita Aguirre"))[-1]
    assert "Atiende a: Personas inscritas" in details

    # By a theme of their plan, and a need nobody serves yet.
    await harness.tap(FAMILY, "Menú")
    await harness.tap(FAMILY, "¿Dónde encuentro ayuda?")
    assert "OMIL Conchalí" in (await harness.tap(FAMILY, "Trabajo y Seguridad Social"))[-1]
    await harness.tap(FAMILY, "Volver")
    await harness.tap(FAMILY, "Familia y cuidados")
    assert "Aún no tenemos un lugar registrado para esto" in (await harness.tap(FAMILY, "Salas cuna"))[-1]


async def test_a_family_forging_another_units_entry_is_refused_and_audited(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    other = await seed.unit_with_families(session_factory, clock(), comuna="Recoleta")
    await _import(session_factory, clock, unit.unit_id)
    await _import(session_factory, clock, other.unit_id, GOOD.replace("CESFAM Juanita Aguirre", "CESFAM Recoleta"))
    foreign = next(e for e in await _entries(session_factory) if e.name == "CESFAM Recoleta")
    await _linked_family(harness, session_factory, clock, unit)
    await harness.tap(FAMILY, "¿Dónde encuentro ayuda?")
    await harness.tap(FAMILY, "Salud, vivienda y hogar")
    await harness.tap(FAMILY, "Dental")
    message_id, data = harness.find_button(FAMILY, "CESFAM Juanita Aguirre")
    texts = await harness.press(FAMILY, data.rsplit(":", 1)[0] + f":{foreign.id}", message_id)
    assert not any("Recoleta" in t for t in texts)
    assert "Ese lugar no está disponible. Elige otro de la lista." in _answers(harness)
    [event] = await _audit(session_factory, "denied.catastro_entry")
    assert (event.actor_type, event.record_id) == ("member", foreign.id)


async def test_an_afi_sends_an_entry_from_the_family_card_and_the_family_receives_it(harness, session_factory,
                                                                                    clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _import(session_factory, clock, unit.unit_id)
    await _linked_family(harness, session_factory, clock, unit)
    await harness.say(AFI, f"/start {unit.afi_code}")
    await harness.tap(AFI, "Mis familias")
    await harness.tap(AFI, "Pérez Soto")
    assert "📍 Enviar un recurso" in harness.buttons(AFI)
    picking = (await harness.tap(AFI, "Enviar un recurso"))[-1]
    assert "📍 Enviar un recurso a la familia Pérez Soto" in picking
    assert harness.buttons(AFI)[:2] == ["CESFAM Juanita Aguirre", "OMIL Conchalí"]
    assert harness.buttons(AFI)[0] == "CESFAM Juanita Aguirre"
    await harness.say(AFI, "omil")
    assert harness.buttons(AFI)[0] == "OMIL Conchalí"
    await harness.tap(AFI, "Quitar búsqueda")
    preview = (await harness.tap(AFI, "CESFAM Juanita Aguirre"))[-1]
    assert "La familia recibirá esto en Acompaña" in preview and "📞 +56 2 2222 3333" in preview
    texts = await harness.tap(AFI, "Enviar")
    assert any("✅ Listo: se lo enviamos a la familia." in t for t in texts)
    assert "👨‍👩‍👧 Familia Pérez Soto · F-001" in texts[-1]  # back on the card
    await harness.delivery().tick()
    received = [c.params["text"] for c in harness.api.requests("sendMessage", chat_id=FAMILY)
                if "te envía un lugar" in c.params["text"]]
    assert len(received) == 1
    assert received[0].splitlines()[:4] == ["📍 Carla Rojas te envía un lugar donde pueden ayudarte:", "",
                                            "🏛 CESFAM Juanita Aguirre", "Ofrece: Atención dental y controles"]
    [event] = await _audit(session_factory, "resource.send")
    assert event.actor_id == unit.afi_id


async def test_forged_entry_and_family_ids_on_the_afis_side(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    other = await seed.unit_with_families(session_factory, clock(), comuna="Recoleta")
    await _import(session_factory, clock, unit.unit_id)
    await _import(session_factory, clock, other.unit_id, GOOD.replace("CESFAM Juanita Aguirre", "CESFAM Recoleta"))
    foreign = next(e for e in await _entries(session_factory) if e.name == "CESFAM Recoleta")
    await _linked_family(harness, session_factory, clock, unit)
    await harness.say(AFI, f"/start {unit.afi_code}")
    await harness.tap(AFI, "Mis familias")
    await harness.tap(AFI, "Pérez Soto")
    await harness.tap(AFI, "Enviar un recurso")
    message_id, data = harness.find_button(AFI, "CESFAM Juanita Aguirre")
    texts = await harness.press(AFI, data.rsplit(":", 1)[0] + f":{foreign.id}", message_id)
    assert not any("La familia recibirá esto" in t for t in texts)
    assert "Esa institución no está en el Catastro de tu unidad." in _answers(harness)
    [event] = await _audit(session_factory, "denied.catastro_entry")
    assert (event.actor_id, event.record_id) == (unit.afi_id, foreign.id)

    # A Gestor of this unit forging the other unit's id in the Catastro list.
    await _gestor(harness, session_factory, clock, unit=unit)
    await harness.tap(GESTOR, "Catastro")
    message_id, data = harness.find_button(GESTOR, "CESFAM Juanita Aguirre")
    texts = await harness.press(GESTOR, data.rsplit(":", 1)[0] + f":{foreign.id}", message_id)
    assert not any("CESFAM Recoleta" in t for t in texts)
    assert len(await _audit(session_factory, "denied.catastro_entry")) == 2
    async with session_factory() as session:
        assert (await session.exec(select(CatastroEntry).where(CatastroEntry.id == foreign.id))).one().active


async def test_an_afi_cannot_open_the_catastro_editor(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI, f"/start {unit.afi_code}")
    assert "🏛 Catastro" not in harness.buttons(AFI)
    message_id, data = harness.find_button(AFI, "Mis familias")
    texts = await harness.press(AFI, data.rsplit("\x1d", 1)[0] + "\x1dcatastro", message_id)
    assert not any("Catastro de instituciones" in t for t in texts)
    assert "Solo el Gestor Sociocomunitario y la jefatura de la unidad editan el Catastro." in _answers(harness)
    [event] = await _audit(session_factory, "denied.catastro.edit")
    assert (event.actor_type, event.actor_id) == ("staff", unit.afi_id)
    # The jefe/a gets in.
    await harness.say(JEFE, f"/start {unit.jefe_code}")
    assert "Catastro de instituciones y organizaciones: 0" in (await harness.tap(JEFE, "Catastro"))[-1]


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    from tests.e2e.test_cli import SETTINGS_VARIABLES

    monkeypatch.chdir(tmp_path)
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'acompana.sqlite3'}")
    monkeypatch.setenv("BOT_API_BASE_URL", "http://127.0.0.1:9")
    return tmp_path


def _cli(argv: list[str], capsys) -> tuple[int, str, str]:
    from bot.cli import main

    with pytest.raises(SystemExit) as raised:
        main(argv)
    captured = capsys.readouterr()
    return raised.value.code, captured.out, captured.err


def test_catastro_import_and_export_from_the_command_line(cli_env, capsys):
    assert _cli(["unit-create", "--comuna", "Conchalí", "--name", "UIF Conchalí"], capsys)[0] == 0
    (cli_env / "malo.csv").write_text(BAD, encoding="utf-8")
    status, _out, err = _cli(["catastro-import", "--unit", "1", str(cli_env / "malo.csv")], capsys)
    assert status == 1 and "No se importó nada" in err and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("fila")] == [
        "fila 2: necesidad desconocida «social.nada» (usa los ids de la lista de necesidades)",
        "fila 3: falta el dato «nombre»",
        "fila 4: dimensión desconocida «deporte» (usa trabajo, ingresos, salud, educacion o vivienda)",
        "fila 5: nombre repetido (ya aparece en la fila 2)"]
    (cli_env / "bueno.csv").write_bytes(GOOD.encode("cp1252"))
    status, out, _err = _cli(["catastro-import", "--unit", "1", str(cli_env / "bueno.csv")], capsys)
    assert status == 0 and "Catastro importado: 2 nuevas, 0 actualizadas, 0 sin cambios." in out
    status, out, _err = _cli(["catastro-export", "--unit", "1", str(cli_env / "salida.csv")], capsys)
    assert status == 0 and "Catastro exportado: 2 instituciones y organizaciones" in out
    exported = (cli_env / "salida.csv").read_text(encoding="utf-8-sig")
    rows, errors = parse_catastro(exported)
    assert errors == [] and [r.data.name for r in rows] == ["CESFAM Juanita Aguirre", "OMIL Conchalí"]
    status, out, _err = _cli(["catastro-import", "--unit", "1", str(cli_env / "salida.csv")], capsys)
    assert status == 0 and "0 nuevas, 0 actualizadas, 2 sin cambios" in out
    status, _out, err = _cli(["catastro-export", "--unit", "7", str(cli_env / "x.csv")], capsys)
    assert status == 1 and "No existe la unidad 7" in err
