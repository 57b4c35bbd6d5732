"""Session record, first steps: which family (a search or the list), which session (a list or its code)."""
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, ScrollingGroup

from dialogs.common.context import explain, today
from dialogs.common.inputs import text_input
from dialogs.common.search import SEARCH_MAX
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, choices
from dialogs.session_record.flow import (
    back_button,
    get_draft,
    go_next,
    info,
    load_form,
    put_draft,
    to_menu,
)
from program.session_draft import SessionDraft
from services import session_records
from services.errors import NotAllowed, NotFound

SESSION_FIELDS = ("participant_member_id", "products_done", "bono", "bono_note", "plan_rows", "matriz",
                  "asl_participants")


def _family_label(row) -> str:
    mark = "⚠️ " if row.overdue else "🕐 " if row.due else ""
    track = "ASL " if getattr(row, "next_track", None) == "asl" else ""
    due = f" · {track}{row.next_code}" if row.next_code else ""
    return f"{mark}{row.family_name} · {row.code}{due}"


async def _families(manager: DialogManager, query: str | None):
    data = manager.middleware_data
    try:
        return await session_records.families_for_recording(data["session"], actor=data["viewer"].actor,
                                                            today=today(manager), query=query)
    except NotAllowed:
        return []


async def families_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    query = dialog_manager.dialog_data.get("query")
    rows = await _families(dialog_manager, query)
    return {"families": [(str(row.family_id), _family_label(row)) for row in rows], "query": query or "",
            "searching": bool(query), "count": len(rows), "none": not rows}


async def on_search(_message, manager: DialogManager, text: str) -> None:
    manager.dialog_data["query"] = text


async def on_cancel(_callback, _button, manager: DialogManager) -> None:
    await to_menu(manager)


async def on_clear_search(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data.pop("query", None)


async def on_family(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    data = manager.middleware_data
    family_id = int(item_id) if item_id.isdigit() else 0
    try:
        # The service checks the id again: a forged or stale button is refused (and audited) there.
        await session_records.session_choices(data["session"], actor=data["viewer"].actor, family_id=family_id,
                                              today=today(manager))
    except (NotAllowed, NotFound):
        await explain(manager, _("Esa familia no está en tu lista. Elige una de la lista 👇"))
        return
    row = next((r for r in await _families(manager, None) if r.family_id == family_id), None)
    previous = manager.dialog_data.get("draft")
    if not previous or previous.get("family_id") != family_id:
        put_draft(manager, SessionDraft(family_id=family_id))
        manager.dialog_data["info"] = {}
        manager.dialog_data.pop("review", None)
    info(manager).update(family_name=row.family_name if row else "", family_code=row.code if row else "")
    await manager.switch_to(R.session)


async def _choose_session(manager: DialogManager, track: str, code: str) -> None:
    draft = get_draft(manager)
    if (draft.track, draft.code) != (track, code):
        fresh = SessionDraft(family_id=draft.family_id)
        for name in SESSION_FIELDS:
            setattr(draft, name, getattr(fresh, name))
        draft.track, draft.code = track, code
        manager.dialog_data.pop("matriz_dims", None)
        put_draft(manager, draft)
    form = await load_form(manager)
    if form is None:
        await explain(manager, _("No puedes registrar esa sesión para esta familia."))
        return
    info(manager).update(flags=sorted(form.session.flags), type=form.session.type, session_name=form.session.name)
    await go_next(manager, R.session)


async def _choices(manager: DialogManager):
    data = manager.middleware_data
    try:
        return await session_records.session_choices(data["session"], actor=data["viewer"].actor,
                                                     family_id=get_draft(manager).family_id, today=today(manager))
    except (NotAllowed, NotFound):
        return []


async def sessions_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    items = []
    for choice in await _choices(dialog_manager):
        track = "" if choice.track == "aps" else f"{choice.track.upper()} "
        items.append((f"{choice.track}.{choice.code}",
                      f"{'⭐ ' if choice.suggested else ''}{track}{choice.code} · {choice.name}"))
    facts = info(dialog_manager)
    return {"sessions": items, "family_name": facts.get("family_name", ""), "family_code": facts.get("family_code", ""),
            "none": not items}


async def on_session(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    track, _dot, code = item_id.partition(".")
    if not any(c.track == track and c.code == code for c in await _choices(manager)):
        await explain(manager, _("Esa sesión no está disponible para esta familia. Elige una de la lista 👇"))
        return
    await _choose_session(manager, track, code)


def _fold_code(text: str) -> str:
    return "".join(text.casefold().split())


async def on_session_typed(_message, manager: DialogManager, text: str) -> None:
    """A code typed instead of paging the list: "s8", "S 10", "ASL S1" (APS is the default track)."""
    wanted = _fold_code(text)
    choices = await _choices(manager)
    found = [c for c in choices if wanted in (_fold_code(f"{c.track}{c.code}"), _fold_code(c.code))]
    if len(found) > 1:
        found = [c for c in found if c.track == "aps"]
    if len(found) != 1:
        await explain(manager, _("No encontré esa sesión. Escribe el código, por ejemplo S8 o ASL S1, "
                                 "o elige de la lista 👇"))
        return
    await _choose_session(manager, found[0].track, found[0].code)


def start_windows() -> list[Window]:
    return [
        Window(
            T("📝 Registrar sesión\n¿Con qué familia fue? Elige de la lista o escribe parte del nombre o el código.\n"
              "⚠️ sesión atrasada · 🕐 sesión que toca ahora"),
            T("🔎 «{query}»: {count}", when="searching"),
            T("No encontré familias con eso. Prueba con otra parte del nombre o el código.", when="none"),
            ScrollingGroup(
                choices("family", "families", on_family),
                id="families_page", width=1, height=6, hide_on_single_page=True,
            ),
            Button(T("✖️ Quitar búsqueda"), id="clear_search", on_click=on_clear_search, when="searching"),
            Button(T("⬅️ Menú"), id="record_cancel", on_click=on_cancel),
            *text_input("search", on_search, limit=SEARCH_MAX),
            state=R.family,
            getter=families_getter,
        ),
        Window(
            T("👨‍👩‍👧 {family_name} · {family_code}\n¿Qué sesión fue? ⭐ = la que corresponde ahora. "
              "También puedes escribir el código (S8, ASL S1)."),
            T("No hay sesiones que puedas registrar para esta familia.", when="none"),
            ScrollingGroup(
                choices("session", "sessions", on_session),
                id="sessions_page", width=1, height=8, hide_on_single_page=True,
            ),
            back_button(R.session, "back_session"),
            *text_input("session_code", on_session_typed, limit=SEARCH_MAX),
            state=R.session,
            getter=sessions_getter,
        ),
    ]
