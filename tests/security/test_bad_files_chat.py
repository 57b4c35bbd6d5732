"""The bad-file corpus sent to the bot as documents (the Catastro import; the cohort has no chat upload),
through the real Dispatcher and the fake Bot API: a kind answer for each, never "algo salió mal", and
the import window goes on taking files."""
from sqlmodel import select

from storage.catastro import CatastroEntry
from tests.e2e.test_catastro import GESTOR, _gestor
from tests.security.corpus import NAMES, cases
from tests.security.test_bad_files_cli import FILE_MESSAGES, ROW_MESSAGES
from tests.support import updates

ERROR_HANDLER = "algo salió mal"


async def _send(harness, data: bytes, name: str = "catastro.csv") -> list[str]:
    harness.api.file_content = data
    return harness._texts(await harness.feed(updates.document(GESTOR, name, "text/csv")), GESTOR)


async def test_bad_files_sent_in_the_chat(harness, session_factory, clock):
    await _gestor(harness, session_factory, clock)
    await harness.tap(GESTOR, "Catastro")
    await harness.tap(GESTOR, "Importar CSV")
    corpus = cases("catastro")
    for case in corpus:
        texts = await _send(harness, case.data)
        said = "\n".join(texts)
        assert texts and ERROR_HANDLER not in said.lower(), (case.name, said)
        if case.outcome == "ok":
            assert "Catastro importado:" in said, (case.name, said)
            await harness.tap(GESTOR, "Importar CSV")  # a good import shows the list: back to the window
        elif case.outcome in FILE_MESSAGES:
            assert FILE_MESSAGES[case.outcome] in said and "No se importó nada" not in said, (case.name, said)
        else:
            assert "No se importó nada" in said and ROW_MESSAGES[case.outcome] in said, (case.name, said)
        assert "Importar el Catastro" in harness.last_text(GESTOR), case.name  # the window goes on
    async with session_factory() as session:
        entries = (await session.exec(select(CatastroEntry))).all()
    assert sorted(e.name for e in entries) == ["CESFAM Juanita Aguirre", "OMIL Conchalí"]
    assert {e.contact_person for e in entries} == {NAMES["catastro"], None}
    assert len(corpus) >= 28


async def test_the_upload_limit_is_on_the_bytes_received_not_the_size_declared(harness, session_factory, clock):
    """The document says 2,048 bytes (tests/support/updates.document); Telegram hands over 2 MB and one byte."""
    await _gestor(harness, session_factory, clock)
    await harness.tap(GESTOR, "Catastro")
    await harness.tap(GESTOR, "Importar CSV")
    texts = await _send(harness, b"nombre\r\n" + b"x" * 2_000_000)
    assert any(FILE_MESSAGES["too_big"] in t for t in texts)
    declared = updates.document(GESTOR, "grande.csv", "text/csv")
    declared["message"]["document"]["file_size"] = 25_000_000  # declared too big: not even downloaded
    downloads = len(harness.api.requests("getFile"))
    texts = harness._texts(await harness.feed(declared), GESTOR)
    assert any(FILE_MESSAGES["too_big"] in t for t in texts) and len(harness.api.requests("getFile")) == downloads


async def test_a_report_of_many_bad_rows_is_cut_not_flooding_the_chat(harness, session_factory, clock):
    await _gestor(harness, session_factory, clock)
    await harness.tap(GESTOR, "Catastro")
    await harness.tap(GESTOR, "Importar CSV")
    header = ";".join(["nombre", "persona_contacto", "direccion", "sector", "telefonos", "email_web",
                       "poblacion_objetivo", "tematica", "dimensiones", "programas_servicios", "requisitos_acceso",
                       "necesidades"])
    rows = "".join(f"Sede {i};;;;;;;;deporte;;;\r\n" for i in range(500))
    texts = await _send(harness, (header + "\r\n" + rows).encode("cp1252"))
    said = "\n".join(texts)
    assert len(texts) <= 3 and "… y 460 problemas más." in said
    assert said.count("dimensión desconocida «deporte»") == 40
