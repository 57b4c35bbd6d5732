"""The family's rights in the privacy menu (Ley 21.719): 📦 Descargar mis datos (access and portability:
a zip of JSON files and a readable HTML page, as Telegram documents) and ✏️ Pedir una corrección
(rectification: typed or a voice note, for the family's AFI)."""
from aiogram.enums import ContentType
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram_dialog import DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, SwitchTo

from dialogs.common.context import explain
from dialogs.common.states import FamilyMenu
from dialogs.common.widgets import T
from services import rectification, subject_document, subject_export
from services.errors import InvalidInput, NotAllowed

MAX_TEXT = rectification.MAX_REQUEST_TEXT


async def on_download(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.middleware_data
    viewer = data["viewer"]
    try:
        export = await subject_export.build(data["session"], actor=viewer.actor, member_id=viewer.member.id,
                                            now=data["clock"]())
    except NotAllowed:
        await callback.answer(_("No pude preparar tu copia. Pídela en tu unidad."), show_alert=True)
        return
    await callback.answer(_("Preparando tu copia…"))
    language = data["i18n"].current_locale
    document = subject_document.render(export, gettext=_, ngettext=ngettext, language=language,
                                       timezone=viewer.timezone)
    archive = subject_export.zip_bytes(export, document_name=subject_document.DOCUMENT_NAME, document=document)
    bot, chat_id = data["bot"], data["event_chat"].id
    await bot.send_document(chat_id, BufferedInputFile(document.encode(), filename=subject_document.DOCUMENT_NAME),
                            caption=_("📄 Tus datos para leer: ábrelo en el teléfono."))
    await bot.send_document(chat_id, BufferedInputFile(archive, filename=subject_document.ZIP_NAME),
                            caption=_("📦 Los mismos datos en formato para computadores (JSON), para llevarlos a "
                                      "otro servicio."))
    manager.show_mode = ShowMode.SEND


async def _ask(manager: DialogManager, *, text: str | None = None, voice_file_id: str | None = None,
               voice_duration: int | None = None) -> None:
    data = manager.middleware_data
    try:
        await rectification.ask_correction(data["session"], actor=data["viewer"].actor, text=text,
                                           voice_file_id=voice_file_id, voice_duration=voice_duration,
                                           now=data["clock"]())
    except InvalidInput as error:
        if error.reason == "too_long":
            await explain(manager, _("Es muy largo: escribe hasta {max} caracteres, o mándalo en un audio 🎤.")
                       .format(max=MAX_TEXT))
        else:
            await explain(manager, _("Cuéntanos qué dato está mal: escribe o manda un audio 🎤."))
        return
    await explain(manager, _("✅ Recibimos tu pedido. Tu Apoyo Familiar lo verá y corregirá tus datos."))
    await manager.switch_to(FamilyMenu.privacy)


async def on_text(_message: Message, _widget, manager: DialogManager, value: str) -> None:
    await _ask(manager, text=value)


async def on_voice(message: Message, _widget, manager: DialogManager) -> None:
    voice = message.voice
    assert voice is not None  # MessageInput(content_types=VOICE)
    await _ask(manager, voice_file_id=voice.file_id, voice_duration=voice.duration)


async def on_other(_message: Message, _widget, manager: DialogManager) -> None:
    await explain(manager, _("Eso no lo puedo guardar. Escribe qué dato está mal o manda un audio 🎤."))


def rights_buttons() -> list:
    return [
        Button(T("📦 Descargar mis datos"), id="download_data", on_click=on_download),
        SwitchTo(T("✏️ Pedir una corrección"), id="ask_correction", state=FamilyMenu.correction),
    ]


def rights_windows() -> list[Window]:
    return [
        Window(
            T("✏️ Pedir una corrección\n\nCuéntanos qué dato tuyo o de tu familia está mal y cómo debe decir "
              "(por ejemplo: «mi segundo apellido es Soto, no Sotto»). Escribe o manda un audio 🎤.\n"
              "Tu Apoyo Familiar lo revisará y lo corregirá."),
            SwitchTo(T("⬅️ Atrás"), id="back_correction", state=FamilyMenu.privacy),
            TextInput(id="correction_text", on_success=on_text),  # the service checks the length, kindly
            MessageInput(on_voice, content_types=ContentType.VOICE),
            MessageInput(on_other, content_types=ContentType.ANY),
            state=FamilyMenu.correction,
        ),
    ]
