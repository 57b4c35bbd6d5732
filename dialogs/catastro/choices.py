"""The Catastro entry's lists: the Matriz dimensions it works on and the needs it serves (by área), ticked
with buttons, while adding an entry (steps 9 and 12) or editing one (saved with «Listo»)."""
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.catastro.edit import back_button, draft, header, save_field
from dialogs.catastro.labels import area_label, need_label
from dialogs.common.pickers import DraftMultiselect
from dialogs.common.record_labels import dimension_label
from dialogs.common.states import Catastro as C
from dialogs.common.widgets import T, buttons_only, choices
from program.matriz import DIMENSIONS
from program.needs import needs


def _list_field(field: str):
    def read(manager: DialogManager) -> list:
        return draft(manager).setdefault(field, [])

    def write(manager: DialogManager, values: list[str]) -> None:
        order = [d.id for d in DIMENSIONS] if field == "dimensions" else list(needs().ids)
        draft(manager)[field] = sorted(set(values), key=lambda v: order.index(v) if v in order else len(order))

    return read, write


async def _dimension_ids(_manager: DialogManager) -> set[str]:
    return {d.id for d in DIMENSIONS}


async def _area_need_ids(manager: DialogManager) -> set[str]:
    area = manager.dialog_data.get("area")
    return {n.id for n in needs().area(area).needs} if area in {a.id for a in needs().areas} else set()


def _done(field: str):
    async def on_click(_callback, _button, manager: DialogManager) -> None:
        await save_field(manager, field, list(draft(manager).get(field) or []))

    return on_click


async def dims_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    return header(dialog_manager, "dimensions") | {"dims": [(d.id, dimension_label(d.id)) for d in DIMENSIONS]}


async def areas_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    chosen = set(draft(dialog_manager).get("needs") or [])
    areas = []
    for area in needs().areas:
        count = sum(n.id in chosen for n in area.needs)
        areas.append((area.id, f"{area_label(area.id)} ({count})" if count else area_label(area.id)))
    return header(dialog_manager, "needs") | {"areas": areas, "chosen": len(chosen)}


async def on_area(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in {a.id for a in needs().areas}:
        manager.dialog_data["area"] = item_id
        await manager.switch_to(C.needs)


async def needs_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    area = dialog_manager.dialog_data.get("area", "laboral")
    return {"area": area_label(area), "needs": [(n.id, need_label(n.id)) for n in needs().area(area).needs]}


def choice_windows() -> list[Window]:
    return [
        Window(
            T("➕ Nueva institución · paso {step} de {steps}", when="new"),
            T("¿Con qué dimensiones de la Matriz de Bienestar trabaja? Marca una o más y toca «Listo»."),
            Column(DraftMultiselect("catastro_dims", "dims", read=_list_field("dimensions")[0],
                                    write=_list_field("dimensions")[1], valid=_dimension_ids)),
            Button(T("✅ Listo"), id="dims_done", on_click=_done("dimensions")),
            Button(T("⬅️ Atrás"), id="back_dims", on_click=back_button("dimensions")),
            buttons_only(), state=C.dimensions, getter=dims_getter,
        ),
        Window(
            T("➕ Nueva institución · paso {step} de {steps}", when="new"),
            T("¿Qué necesidades atiende? Elige un ámbito, marca las necesidades y vuelve; al final toca «Listo».\n"
              "Marcadas: {chosen}"),
            Column(choices("area", "areas", on_area)),
            Button(T("✅ Listo"), id="needs_done", on_click=_done("needs")),
            Button(T("⬅️ Atrás"), id="back_needs", on_click=back_button("needs")),
            buttons_only(), state=C.areas, getter=areas_getter,
        ),
        Window(
            Format("{area}"),
            Column(DraftMultiselect("catastro_needs", "needs", read=_list_field("needs")[0],
                                    write=_list_field("needs")[1], valid=_area_need_ids)),
            SwitchTo(T("⬅️ Ámbitos"), id="back_areas", state=C.areas),
            buttons_only(), state=C.needs, getter=needs_getter,
        ),
    ]
