"""The readable half of a subject export: one HTML page in the person's language (Jinja2 + gettext).

HTML rather than PDF: it opens in the phone's browser or Telegram's viewer with no extra app, reflows to
a small screen, a screen reader reads it, and it needs no PDF library on the server; the person can
still print it. Everything is escaped (autoescape): the family's own words are shown, never run.
"""
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from program.clock import format_date, format_datetime
from program.run import InvalidRun, format_run
from services.subject_export import SubjectExport

TEMPLATES_DIR = Path(__file__).parent / "templates"
DOCUMENT_NAME = "mis_datos_acompana.html"
ZIP_NAME = "mis_datos_acompana.zip"


def _environment() -> Environment:
    # A fresh one per document (exports are rare): the gettext callables installed are the person's.
    return Environment(loader=FileSystemLoader(TEMPLATES_DIR), extensions=["jinja2.ext.i18n"],
                       undefined=StrictUndefined, autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def _when(value: str | None, tz_name: str) -> str:
    if not value:
        return ""
    if len(value) == 10:
        return format_date(date.fromisoformat(value))
    return format_datetime(datetime.fromisoformat(value), tz_name)


def _run(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_run(value)
    except InvalidRun:
        return value


def render(export: SubjectExport, *, gettext: Callable[[str], str], ngettext: Callable, language: str,
           timezone: str) -> str:
    env = _environment()
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]  # by ext.i18n
    tables = export.tables
    members = {m["id"]: f'{m["given_names"]} {m["surnames"]}'.strip() for m in tables["members"]}
    return env.get_template("subject_export.html.j2").render(
        language=language, family=tables["family"][0], members=tables["members"], member_names=members,
        me=members.get(export.member_id, ""), created=format_datetime(export.created_at, timezone),
        tables=tables, media=export.media, count=export.count(),
        when=lambda value: _when(value, timezone), run=_run,
        zip_name=ZIP_NAME,
    )
