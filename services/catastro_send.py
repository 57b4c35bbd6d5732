"""📍 Enviar un recurso: a professional sends one Catastro entry to a family they may edit. The message goes
through the outbox to the family's linked representative (never at night: held until the unit's quiet
hours end), rendered in their language by texts/scheduled_messages.py (template "catastro_entry")."""
import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_edit_family
from program.quiet_hours import release_time
from services import audit
from services.catastro import entry as catastro_entry
from services.errors import InvalidInput, NotAllowed, NotFound
from services.nudge_settings import quiet_hours_text, schedule_for
from services.onboarding import family_scope
from storage import accounts_repo, outbox_repo, people_repo
from storage.catastro import CatastroEntry
from storage.models import ChatAccount, Family

ARGS = ("name", "contact_person", "address", "sector", "phones", "email_web", "programs_services",
        "access_requirements")


async def family_for_sending(session: AsyncSession, *, actor: Actor, family_id: int) -> Family:
    family = await people_repo.get_family(session, family_id=family_id)
    if family is None:
        raise NotFound("family")
    if actor is None or not can_edit_family(actor, family_scope(family)):
        await audit.record(session, actor=actor, action="denied.resource.send", record_type="family",
                           record_id=family_id)
        raise NotAllowed("family")
    return family


async def _recipients(session: AsyncSession, family: Family) -> list[ChatAccount]:
    member = await people_repo.representative(session, family_id=family.id)
    if member is None:
        return []
    accounts = await accounts_repo.accounts_for_member(session, member_id=member.id)
    return [a for a in accounts if a.consent_at is not None and a.blocked_at is None]


async def recipient_linked(session: AsyncSession, *, actor: Actor, family_id: int) -> bool:
    family = await family_for_sending(session, actor=actor, family_id=family_id)
    return bool(await _recipients(session, family))


def message_args(entry: CatastroEntry, staff_name: str | None) -> dict:
    return {field: getattr(entry, field) or "" for field in ARGS} | {"entry_id": entry.id,
                                                                     "staff_name": staff_name or ""}


async def send_entry(session: AsyncSession, *, actor: Actor, family_id: int, entry_id: int,
                     now: datetime) -> datetime:
    """Queue the entry for the representative; when it will go (now, or when quiet hours end).
    NotAllowed: not this professional's family, or an entry of another unit (both audited);
    InvalidInput("not_linked"): the representative does not use Acompaña (yet)."""
    family = await family_for_sending(session, actor=actor, family_id=family_id)
    entry = await catastro_entry(session, actor=actor, entry_id=entry_id)
    if entry.unit_id != family.unit_id or not entry.active:
        await audit.record(session, actor=actor, action="denied.catastro_entry", record_type="catastro_entry",
                           record_id=entry_id)
        raise NotAllowed("catastro_entry")
    accounts = await _recipients(session, family)
    if not accounts:
        raise InvalidInput("not_linked")
    unit = await people_repo.get_unit(session, unit_id=family.unit_id)
    staff = await people_repo.get_staff(session, staff_id=actor.staff_id) if actor.staff_id else None
    schedule = schedule_for(unit)
    due = release_time(now, unit.timezone, schedule.quiet_start, schedule.quiet_end)
    sending = uuid.uuid4().hex[:12]  # one key per sending: the same entry may be sent again later
    rows = [{"account_id": account.id, "chat_id": account.chat_id, "kind": "resource", "template": "catastro_entry",
             "args": message_args(entry, staff.name if staff else None), "buttons": [], "essential": False,
             "scope": f"family:{family.id}", "source": "event", "due_at": due, "expires_at": None,
             "timezone": unit.timezone, "quiet_hours": quiet_hours_text(schedule),
             "dedupe_key": f"resource:{family.id}:{entry.id}:{account.id}:{sending}"} for account in accounts]
    await outbox_repo.enqueue(session, rows)
    await audit.record(session, actor=actor, action="resource.send", record_type="catastro_entry",
                       record_id=entry.id, unit_id=family.unit_id)
    return due
