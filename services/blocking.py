"""Blocking and opposition (Ley 21.719): a blocked family gets no message and none of its records change
(storage/blocking.py refuses the writes) until the jefe/a or the admin lifts the block. Each block and
each lifting is kept with its reason (family_block_event) and audited."""
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_manage_unit
from program.roles import Role
from services import audit
from services.errors import InvalidInput, NotAllowed, NotFound
from storage import outbox_repo, people_repo, rights_repo
from storage.blocking import allowed
from storage.models import Family
from storage.rights import FamilyBlockEvent

# Ids stored with the block; their words are in dialogs (chat) and bot/admin_rights.py (CLI).
BLOCK_REASONS = ("request", "opposition", "dispute", "consent_withdrawn", "other")
UNBLOCK_REASONS = ("request_lifted", "resolved", "mistake", "other")


def actor_label(actor: Actor | None) -> str:
    if actor is None:
        return "system"
    if actor.staff_id is not None:
        return f"staff:{actor.staff_id}"
    if actor.member_id is not None:
        return f"member:{actor.member_id}"
    return str(actor.role)


async def managed_family(session: AsyncSession, *, actor: Actor, family_id: int, action: str) -> Family:
    """A family whose unit the actor manages (the jefe/a of its unit, or the admin); refused and audited
    otherwise, the same way for a missing id."""
    family = await people_repo.get_family(session, family_id=family_id)
    if family is None and actor.role is Role.ADMIN:
        raise NotFound("family")
    if family is None or not can_manage_unit(actor, family.unit_id):
        await audit.record(session, actor=actor, action=f"denied.{action}", record_type="family",
                           record_id=family_id)
        raise NotAllowed("family")
    return family


async def block_family(session: AsyncSession, *, actor: Actor, family_id: int, reason: str,
                       now: datetime) -> Family:
    if reason not in BLOCK_REASONS:
        raise InvalidInput("reason")
    family = await managed_family(session, actor=actor, family_id=family_id, action="family.block")
    await apply_block(session, family=family, actor=actor, reason=reason, now=now)
    return family


async def apply_block(session: AsyncSession, *, family: Family, actor: Actor | None, reason: str,
                      now: datetime) -> int:
    """Set the flag and cancel what was waiting to be sent; returns the messages cancelled. Blocking an
    already blocked family keeps the first block (its date and reason)."""
    if family.blocked_at is not None:
        return 0
    with allowed(session):
        family.blocked_at, family.blocked_reason, family.blocked_by = now, reason, actor_label(actor)
        session.add(family)
        await rights_repo.add(session, FamilyBlockEvent(family_id=family.id, action="block", reason=reason,
                                                        actor=actor_label(actor), at=now))
    accounts = await rights_repo.family_accounts(session, family_id=family.id)
    cancelled = await outbox_repo.cancel_pending(session, account_ids=[a.id for a in accounts],
                                                 scopes=[f"family:{family.id}"], now=now, reason="family blocked")
    await audit.record(session, actor=actor, action="family.block", record_type="family", record_id=family.id,
                       unit_id=family.unit_id)
    return cancelled


async def unblock_family(session: AsyncSession, *, actor: Actor, family_id: int, reason: str,
                         now: datetime) -> Family:
    if reason not in UNBLOCK_REASONS:
        raise InvalidInput("reason")
    family = await managed_family(session, actor=actor, family_id=family_id, action="family.unblock")
    if family.blocked_at is None:
        return family
    with allowed(session):
        family.blocked_at = family.blocked_reason = family.blocked_by = None
        session.add(family)
        await rights_repo.add(session, FamilyBlockEvent(family_id=family.id, action="unblock", reason=reason,
                                                        actor=actor_label(actor), at=now))
    await audit.record(session, actor=actor, action="family.unblock", record_type="family", record_id=family.id,
                       unit_id=family.unit_id)
    from services import planner  # its reminders come back at once, not at the next hourly run

    await planner.plan_family(session, family_id=family.id, now=now)
    return family
