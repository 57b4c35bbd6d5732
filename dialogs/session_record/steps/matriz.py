"""Session record, Línea Base / Línea de Salida: the dimensions worked that day, then each indicator's state."""
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row

from dialogs.common.context import explain
from dialogs.common.pickers import DraftMultiselect
from dialogs.common.record_labels import dimension_label
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, buttons_only
from dialogs.session_record.flow import back_button, get_draft, go_next, info, load_form, put_draft
from program.matriz import DIMENSIONS, STATES


def state_label(state: str | None) -> str:
    return {"a_trabajar": _("🔧 A trabajar"), "logrado": _("🏆 Logrado")}.get(state, "")


def moment_label(manager: DialogManager) -> str:
    return _("Línea de Salida") if "linea_salida" in info(manager).get("flags", ()) else _("Línea Base")


def _read_dims(manager: DialogManager) -> list:
    return manager.dialog_data.setdefault("matriz_dims", [])


def _write_dims(manager: DialogManager, values: list[str]) -> None:
    order = [d.id for d in DIMENSIONS]
    manager.dialog_data["matriz_dims"] = sorted(values, key=lambda value: order.index(value) if value in order else 9)


async def _indicators(manager: DialogManager) -> dict:
    form = await load_form(manager)
    return {key: list(values) for key, values in (form.indicators if form else {}).items() if values}


async def _dimension_ids(manager: DialogManager) -> set[str]:
    return set(await _indicators(manager))


async def dims_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    indicators = await _indicators(dialog_manager)
    dims = [(d.id, f"{dimension_label(d.id)} ({len(indicators[d.id])})") for d in DIMENSIONS if d.id in indicators]
    return {"dims": dims, "moment": moment_label(dialog_manager), "none": not dims,
            "answered": len(get_draft(dialog_manager).matriz)}


async def on_dims_next(_callback, _button, manager: DialogManager) -> None:
    indicators = await _indicators(manager)
    queue = [ind.code for dim in _read_dims(manager) for ind in indicators.get(dim, [])]
    if not queue:
        await explain(manager, _("Marca al menos una dimensión, o toca «Omitir» si hoy no trabajaron la Matriz."))
        return
    manager.dialog_data.update(matriz_queue=queue, matriz_pos=0)
    await manager.switch_to(R.matriz_item)


async def on_dims_skip(_callback, _button, manager: DialogManager) -> None:
    await go_next(manager, R.matriz_dims)


async def item_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    queue = dialog_manager.dialog_data.get("matriz_queue") or []
    position = min(dialog_manager.dialog_data.get("matriz_pos", 0), max(len(queue) - 1, 0))
    code = queue[position] if queue else ""
    found = next((ind for values in (await _indicators(dialog_manager)).values() for ind in values if ind.code == code),
                 None)
    current = state_label(get_draft(dialog_manager).matriz.get(code))
    return {"moment": moment_label(dialog_manager), "position": position + 1, "total": len(queue),
            "dimension": dimension_label(found.dimension) if found else "", "code": code,
            "text": found.text if found else "", "current": current, "has_current": bool(current)}


async def _advance(manager: DialogManager, step: int) -> None:
    position = manager.dialog_data.get("matriz_pos", 0) + step
    if position < 0:
        await manager.switch_to(R.matriz_dims)
    elif position >= len(manager.dialog_data.get("matriz_queue") or []):
        await go_next(manager, R.matriz_dims)
    else:
        manager.dialog_data["matriz_pos"] = position


def _state_button(state: str, label: str) -> Button:
    async def on_state(_callback, _button, manager: DialogManager) -> None:
        queue = manager.dialog_data.get("matriz_queue") or []
        position = manager.dialog_data.get("matriz_pos", 0)
        if state in STATES and 0 <= position < len(queue):
            draft = get_draft(manager)
            draft.matriz[queue[position]] = state
            put_draft(manager, draft)
        await _advance(manager, 1)

    return Button(T(label), id=f"matriz_{state}", on_click=on_state)


async def on_item_skip(_callback, _button, manager: DialogManager) -> None:
    await _advance(manager, 1)


async def on_item_back(_callback, _button, manager: DialogManager) -> None:
    await _advance(manager, -1)


def matriz_windows() -> list[Window]:
    return [
        Window(
            T("📊 Matriz de Bienestar · {moment}\n¿Qué dimensiones trabajaron hoy? Márcalas y toca «Continuar»."),
            T("No hay indicadores cargados en tu unidad para registrar la Matriz.", when="none"),
            Column(DraftMultiselect("matriz_dims", "dims", read=_read_dims, write=_write_dims, valid=_dimension_ids)),
            Row(Button(T("➡️ Continuar"), id="dims_next", on_click=on_dims_next),
                Button(T("⏭ Omitir"), id="dims_skip", on_click=on_dims_skip)),
            back_button(R.matriz_dims, "back_dims"),
            buttons_only(),
            state=R.matriz_dims,
            getter=dims_getter,
        ),
        Window(
            T("📊 {moment} · {position}/{total}\n{dimension}\n\n{code}: {text}"),
            T("Ahora: {current}", when="has_current"),
            Row(_state_button("a_trabajar", "🔧 A trabajar"), _state_button("logrado", "🏆 Logrado")),
            Button(T("⏭ Sin registrar"), id="matriz_skip", on_click=on_item_skip),
            Button(T("⬅️ Atrás"), id="matriz_back", on_click=on_item_back),
            buttons_only(),
            state=R.matriz_item,
            getter=item_getter,
        ),
    ]
