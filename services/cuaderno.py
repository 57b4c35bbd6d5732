"""The Cuaderno Familiar: what a family keeps about itself, per Matriz dimension — its interests and worries,
the resources it found (Mi Territorio) and free notes — as text, voice notes or photos.

Reading follows program.access.can_view_family (the family itself; its assigned professionals and the jefe/a,
for the family card; each such opening is audited). Writing is the family's own: only a family account that
can_edit_family (the representative) adds or deletes, never staff. Entries are always looked up by id AND
family, and every refusal is audited without saying whether the record exists elsewhere.
"""
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_edit_family, can_view_family
from program.matriz import DIMENSIONS
from program.roles import Role
from services import audit
from services.errors import InvalidInput, NotAllowed
from services.onboarding import family_scope
from storage import cuaderno_repo, people_repo
from storage.cuaderno import CONTENT_TYPES, KINDS, RESOURCE_KINDS, RESOURCE_LEVELS, CuadernoEntry
from storage.models import Family

TEXT_MAX = 1000  # a text entry: a few sentences; longer is easier (and kinder) as a voice note
CAPTION_MAX = 1024  # what Telegram itself allows under a photo: a caption is never refused for length
FILE_ID_MAX, UNIQUE_ID_MAX = 200, 100  # the columns' sizes
PAGE_MAX = 50
_DIMENSIONS = frozenset(d.id for d in DIMENSIONS)


@dataclass(frozen=True)
class NewEntry:
    dimension: str | None  # None: a free note outside every dimension
    kind: str  # storage.cuaderno.KINDS
    content_type: str  # storage.cuaderno.CONTENT_TYPES
    text: str | None = None  # the text, or a photo's caption
    file_id: str | None = None
    file_unique_id: str | None = None
    duration: int | None = None  # seconds, voice notes
    resource_kind: str | None = None  # resources only: person | organization | institution
    resource_level: str | None = None  # resources only: family | community | comuna | region


@dataclass(frozen=True)
class EntryPage:
    entries: list[CuadernoEntry]  # newest first
    total: int  # of the dimension, all pages
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.entries) < self.total


def check_entry(new: NewEntry) -> NewEntry:
    """The entry as it will be stored (texts trimmed), or InvalidInput with the reason. Emojis alone are a
    valid entry: for a family that hardly writes, "🙏" or "😟" says something."""
    if new.dimension is not None and new.dimension not in _DIMENSIONS:
        raise InvalidInput("bad_dimension")
    if new.kind not in KINDS:
        raise InvalidInput("bad_kind")
    if new.kind != "note" and new.dimension is None:
        raise InvalidInput("needs_dimension")  # interests and resources belong to a dimension
    if new.kind == "resource":
        if new.resource_kind not in RESOURCE_KINDS or new.resource_level not in RESOURCE_LEVELS:
            raise InvalidInput("bad_resource")
    elif new.resource_kind is not None or new.resource_level is not None:
        raise InvalidInput("bad_resource")
    if new.content_type not in CONTENT_TYPES:
        raise InvalidInput("bad_content_type")
    text = (new.text or "").strip() or None
    if new.content_type == "text":
        if text is None:
            raise InvalidInput("empty")
        if len(text) > TEXT_MAX:
            raise InvalidInput("too_long")
        if new.file_id or new.file_unique_id or new.duration is not None:
            raise InvalidInput("bad_file")
        return replace(new, text=text)
    if not new.file_id or len(new.file_id) > FILE_ID_MAX or len(new.file_unique_id or "") > UNIQUE_ID_MAX:
        raise InvalidInput("bad_file")
    if new.content_type == "voice":
        if text is not None or new.duration is None or new.duration < 0:
            raise InvalidInput("bad_file")
    elif new.duration is not None or len(text or "") > CAPTION_MAX:
        raise InvalidInput("bad_file")
    return replace(new, text=text)


async def _family(session: AsyncSession, actor: Actor | None, family_id: int, *, write: bool, action: str) -> Family:
    family = await people_repo.get_family(session, family_id=family_id)
    allowed = family is not None and actor is not None and can_view_family(actor, family_scope(family))
    if family is not None and actor is not None and allowed and write:
        allowed = actor.role is Role.FAMILY and can_edit_family(actor, family_scope(family))
    if family is None or actor is None or not allowed:
        await audit.record(session, actor=actor, action=f"denied.cuaderno.{action}", record_type="family",
                           record_id=family_id)
        raise NotAllowed("cuaderno")
    if not write and actor.role is not Role.FAMILY:  # a professional opened the family's notebook
        await audit.record(session, actor=actor, action="family.cuaderno.view", record_type="family",
                           record_id=family_id, unit_id=family.unit_id)
    return family


def _check_dimension(dimension: str | None) -> None:
    if dimension is not None and dimension not in _DIMENSIONS:
        raise InvalidInput("bad_dimension")


async def entries_for_family(session: AsyncSession, *, actor: Actor, family_id: int, dimension: str | None,
                             offset: int = 0, limit: int = 5) -> EntryPage:
    """One page of a dimension's entries (None: the notes outside every dimension), newest first."""
    _check_dimension(dimension)
    if offset < 0 or not 1 <= limit <= PAGE_MAX:
        raise InvalidInput("bad_page")
    await _family(session, actor, family_id, write=False, action="list")
    rows = await cuaderno_repo.list_entries(session, family_id=family_id, dimension=dimension, offset=offset,
                                            limit=limit)
    total = await cuaderno_repo.count_entries(session, family_id=family_id, dimension=dimension)
    return EntryPage(list(rows), total, offset, limit)


async def dimension_counts(session: AsyncSession, *, actor: Actor, family_id: int) -> dict[str | None, int]:
    """How many entries each dimension holds (None: the notes), for the notebook's first screen."""
    await _family(session, actor, family_id, write=False, action="list")
    return await cuaderno_repo.counts_by_dimension(session, family_id=family_id)


async def _entry(session: AsyncSession, actor: Actor | None, family_id: int, entry_id: int, *, write: bool,
                 action: str) -> tuple[Family, CuadernoEntry]:
    family = await _family(session, actor, family_id, write=write, action=action)
    found = await cuaderno_repo.get_entry(session, entry_id=entry_id, family_id=family_id)
    if found is None:
        # Another family's id (a forged button), a deleted or a missing one: the same answer for all.
        await audit.record(session, actor=actor, action=f"denied.cuaderno.{action}", record_type="cuaderno_entry",
                           record_id=entry_id, unit_id=family.unit_id)
        raise NotAllowed("cuaderno_entry")
    return family, found


async def entry(session: AsyncSession, *, actor: Actor, family_id: int, entry_id: int) -> CuadernoEntry:
    return (await _entry(session, actor, family_id, entry_id, write=False, action="view"))[1]


async def add_entry(session: AsyncSession, *, actor: Actor, family_id: int, new: NewEntry,
                    now: datetime) -> CuadernoEntry:
    family = await _family(session, actor, family_id, write=True, action="add")
    new = check_entry(new)
    row = CuadernoEntry(family_id=family_id, member_id=actor.member_id, dimension=new.dimension, kind=new.kind,
                        content_type=new.content_type, text=new.text, file_id=new.file_id,
                        file_unique_id=new.file_unique_id, duration=new.duration, resource_kind=new.resource_kind,
                        resource_level=new.resource_level, created_at=now)
    await cuaderno_repo.add(session, row)
    await audit.record(session, actor=actor, action="cuaderno.add", record_type="cuaderno_entry", record_id=row.id,
                       unit_id=family.unit_id)
    return row


async def delete_entry(session: AsyncSession, *, actor: Actor, family_id: int, entry_id: int,
                       now: datetime) -> None:
    """Soft delete: the row stays (the audit trail points at it) but no view shows it again."""
    family, found = await _entry(session, actor, family_id, entry_id, write=True, action="delete")
    found.deleted_at = now
    await cuaderno_repo.add(session, found)
    await audit.record(session, actor=actor, action="cuaderno.delete", record_type="cuaderno_entry",
                       record_id=found.id, unit_id=family.unit_id)
