"""Taking access away: staff leave units and phones get lost.

- deactivate_staff: the professional keeps their records (every write stays attributable) but their chats
  lose the role at once (services.viewer), their unused codes are cancelled and nothing more is sent to
  them. The admin (CLI) or the unit's jefe/a (chat) may.
- unlink_account: one chat loses its link to a professional or a family member (a lost or changed phone).
  The admin, the unit's jefe/a, or — for a family's chat — the family's assigned AFI may.

Either way the chat's pending outbox messages are cancelled, it hears one sentence from then on
(bot/chat_guards.py), and the change is audited (ids only). A new code from the unit links it again.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_manage_unit, can_unlink_family_chat, can_view_family
from program.roles import Role
from services import audit, onboarding
from services.errors import InvalidInput, NotAllowed
from services.onboarding import family_scope
from storage import accounts_repo, outbox_repo, people_repo
from storage.models import ChatAccount, Member, Staff


@dataclass(frozen=True)
class LinkedChat:
    account_id: int
    member: Member
    linked_at: datetime
    can_unlink: bool


async def deactivate_staff(session: AsyncSession, *, actor: Actor, staff_id: int, now: datetime) -> Staff:
    staff = await people_repo.get_staff(session, staff_id=staff_id)
    if staff is None or not can_manage_unit(actor, staff.unit_id):
        await audit.record(session, actor=actor, action="denied.staff.deactivate", record_type="staff",
                           record_id=staff_id)
        raise NotAllowed("staff")
    if actor.staff_id == staff.id:
        raise InvalidInput("self")  # a jefe/a never locks themselves out; the admin can, from the CLI
    if not staff.active:
        return staff
    staff.active = False
    await people_repo.add(session, staff)
    await onboarding.cancel_older_codes(session, actor=actor, unit_id=staff.unit_id, staff_id=staff.id, now=now)
    accounts = await accounts_repo.accounts_for_staff(session, staff_id=staff.id)
    await outbox_repo.cancel_pending(session, account_ids=[a.id for a in accounts], now=now, reason="deactivated")
    await audit.record(session, actor=actor, action="staff.deactivate", record_type="staff", record_id=staff.id,
                       unit_id=staff.unit_id)
    return staff


async def _may_unlink(session: AsyncSession, actor: Actor, account: ChatAccount) -> int | None:
    """The unit of the account if this actor may unlink it, else None."""
    if account.staff_id is not None:
        staff = await people_repo.get_staff(session, staff_id=account.staff_id)
        if staff is not None and can_manage_unit(actor, staff.unit_id) and actor.staff_id != staff.id:
            return staff.unit_id
        return None
    if account.member_id is not None:
        member = await people_repo.get_member(session, member_id=account.member_id)
        family = await people_repo.get_family(session, family_id=member.family_id) if member else None
        if family is not None and can_unlink_family_chat(actor, family_scope(family)):
            return family.unit_id
    return None


async def unlink_account(session: AsyncSession, *, actor: Actor, account_id: int, now: datetime) -> ChatAccount:
    account = await accounts_repo.get_account_by_id(session, account_id=account_id)
    unit_id = await _may_unlink(session, actor, account) if account is not None else None
    if account is None or unit_id is None:
        # Missing, already unlinked, or not this actor's to unlink: the same refusal for all.
        await audit.record(session, actor=actor, action="denied.account.unlink", record_type="chat_account",
                           record_id=account_id)
        raise NotAllowed("account")
    await accounts_repo.unlink(session, account_ids=[account.id], now=now)
    await outbox_repo.cancel_pending(session, account_ids=[account.id], now=now, reason="unlinked")
    await audit.record(session, actor=actor, action="account.unlink", record_type="chat_account",
                       record_id=account.id, unit_id=unit_id)
    return account


async def family_chats(session: AsyncSession, *, actor: Actor, family_id: int) -> list[LinkedChat]:
    """The chats linked to the family's members, for its card (who uses the bot, since when): a section of the
    card, so for the family's assigned staff and the jefe/a; each opening is audited."""
    family = await people_repo.get_family(session, family_id=family_id)
    is_staff = actor is not None and actor.role is not Role.FAMILY
    if family is None or not is_staff or not can_view_family(actor, family_scope(family)):
        await audit.record(session, actor=actor, action="denied.family.chats", record_type="family",
                           record_id=family_id)
        raise NotAllowed("family")
    await audit.record(session, actor=actor, action="family.chats.view", record_type="family", record_id=family.id,
                       unit_id=family.unit_id)
    may = can_unlink_family_chat(actor, family_scope(family))
    return [LinkedChat(account.id, member, account.created_at, may)
            for account, member in await accounts_repo.accounts_for_family(session, family_id=family_id)]


async def unit_staff(session: AsyncSession, *, actor: Actor) -> list[Staff]:
    """The unit's active professionals, for the jefe/a's list with «Desactivar»."""
    if actor is None or actor.unit_id is None or not can_manage_unit(actor, actor.unit_id):
        await audit.record(session, actor=actor, action="denied.staff.list", record_type="unit",
                           record_id=actor.unit_id if actor else None)
        raise NotAllowed("unit")
    return [s for s in await people_repo.list_staff(session, unit_id=actor.unit_id) if s.active]
