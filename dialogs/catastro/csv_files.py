"""📥 Importar / 📤 Exportar the Catastro as a CSV file, in the chat.

The Gestor sends a .csv document (in the import window or the list): the bot downloads it from Telegram,
the service imports all rows or none and the report names every bad row. The export is a CSV document
with every active entry, in the same columns, ready to correct in a spreadsheet and send back.
"""
import asyncio

import aiohttp
from aiogram.enums import ContentType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, SwitchTo

from dialogs.catastro.labels import area_label, need_label
from dialogs.common.context import explain, today
from dialogs.common.states import Catastro as C
from dialogs.common.widgets import T
from program.catastro_csv import COLUMNS
from program.needs import needs
from program.text_split import split_message
from services import catastro_csv
from services.errors import NotAllowed, NotFound
from texts.catastro import import_summary
from texts.csv_rows import CATASTRO_REASONS, report_lines

MAX_BYTES = 2_000_000  # a few thousand rows; Telegram lets bots download up to 20 MB
CSV_TYPES = {"text/csv", "text/comma-separated-values", "application/csv", "text/plain", "application/vnd.ms-excel",
             "application/octet-stream"}


async def _say_all(manager: DialogManager, text: str) -> None:
    data = manager.middleware_data
    for part in split_message(text):
        await data["bot"].send_message(data["event_chat"].id, part)
    manager.show_mode = ShowMode.SEND


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or, as Excel saves «CSV» in Chile, Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


async def on_document(message: Message, _widget, manager: DialogManager) -> None:
    document = message.document
    name = (document.file_name or "").lower()
    if not name.endswith(".csv") or (document.mime_type and document.mime_type not in CSV_TYPES):
        await explain(manager, _("Necesito un archivo .csv (en Excel: «Guardar como» → «CSV»)."))
        return
    if (document.file_size or 0) > MAX_BYTES:
        await explain(manager, _("El archivo es muy grande. Divídelo en partes de menos de 2 MB."))
        return
    data = manager.middleware_data
    try:
        buffer = await data["bot"].download(document)
    except (TelegramAPIError, aiohttp.ClientError, asyncio.TimeoutError):
        await explain(manager, _("No pude descargar el archivo. Envíalo de nuevo en un momento, por favor."))
        return
    try:
        report = await catastro_csv.import_catastro(data["session"], actor=data["viewer"].actor,
                                                    text=decode(buffer.read()), now=data["clock"]())
    except (NotAllowed, NotFound):
        await explain(manager, _("Solo el Gestor Sociocomunitario y la jefatura de la unidad editan el Catastro."))
        return
    if report.errors:
        lines = [_("No se importó nada. Corrige estas filas y vuelve a enviar el archivo:"),
                 *report_lines(report.errors, CATASTRO_REASONS, _)]
        await _say_all(manager, "\n".join(lines))
        return
    await explain(manager, "✅ " + import_summary(report, _))
    await manager.switch_to(C.list)


async def on_export(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:
        text, count = await catastro_csv.export_catastro(data["session"], actor=data["viewer"].actor)
    except (NotAllowed, NotFound):
        await callback.answer(_("No puedes exportar este Catastro."), show_alert=True)
        return
    name = f"catastro-{today(manager):%Y-%m-%d}.csv"
    await data["bot"].send_document(
        data["event_chat"].id, BufferedInputFile(text.encode("utf-8-sig"), filename=name),
        caption=_("📤 Catastro: {count} instituciones y organizaciones activas. Puedes corregirlo en una planilla "
                  "y enviármelo de vuelta.").format(count=count))
    manager.show_mode = ShowMode.SEND


async def on_need_ids(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    lines = [_("🔖 Ids de las necesidades, para la columna «necesidades» (separa varias con ;):")]
    for area in needs().areas:
        lines += ["", area_label(area.id), *(f"{need.id} — {need_label(need.id)}" for need in area.needs)]
    await _say_all(manager, "\n".join(lines))


async def _not_a_file(_message: Message, _widget, manager: DialogManager) -> None:
    await explain(manager, _("Aquí necesito un archivo .csv. Envíalo como documento 📎, o usa los botones."))


def csv_windows() -> list[Window]:
    return [
        Window(
            T("📥 Importar el Catastro\nEnvíame el archivo .csv como documento 📎. Columnas:\n{columns}\n\n"
              "Dimensiones: trabajo, ingresos, salud, educacion, vivienda (o sus nombres), separadas por «;». "
              "Necesidades: sus ids, separados por «;».\nSi una fila tiene un error no se importa nada, y te digo "
              "cuáles corregir. Un nombre que ya está en el Catastro se actualiza."),
            Button(T("🔖 Ids de necesidades"), id="need_ids", on_click=on_need_ids),
            SwitchTo(T("⬅️ Catastro"), id="back_import", state=C.list),
            MessageInput(on_document, content_types=ContentType.DOCUMENT),
            MessageInput(_not_a_file, content_types=ContentType.ANY),
            state=C.import_csv, getter={"columns": ", ".join(COLUMNS)},
        ),
    ]
