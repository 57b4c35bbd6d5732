"""Invitation codes: issue them for staff and family representatives, redeem them from /start."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from program import codes
from program.access import Actor, FamilyScope, can_edit_family
from program.roles import Role
from services import audit, code_ceiling
from services.errors import NotAllowed, NotFound
from storage import accounts_repo, people_repo
from storage.models import ChatAccount, InviteCode

DEFAULT_TTL = timedelta(days=14)


class Redeemed(StrEnum):
    LINKED = "linked"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    LOCKED = "locked"
    PAUSED = "paused"  # too many wrong codes across people (services/code_ceiling.py)


@dataclass(frozen=True)
class RedeemResult:
    outcome: Redeemed
    account: ChatAccount | None = None
    locked_until: datetime | None = None


def family_scope(family) -> FamilyScope:
    return FamilyScope(
        id=family.id,
        unit_id=family.unit_id,
        afi_id=family.afi_id,
        gestor_socio_id=family.gestor_socio_id,
        gestor_familiar_id=family.gestor_familiar_id,
    )


async def _issue(session: AsyncSession, *, now: datetime, ttl: timedelta, created_by: str, **target) -> str:
    code = codes.new_code()
    session.add(InviteCode(code_hash=codes.hash_code(code), created_by=created_by, created_at=now,
                           expires_at=now + ttl, **target))
    await session.flush()
    return code


async def issue_staff_code(session: AsyncSession, *, staff_id: int, now: datetime, ttl: timedelta = DEFAULT_TTL) -> str:
    staff = await people_repo.get_staff(session, staff_id=staff_id)
    if staff is None:
        raise NotFound("staff")
    await cancel_older_codes(session, actor=Actor(role=Role.ADMIN), unit_id=staff.unit_id, staff_id=staff_id,
                             now=now)
    code = await _issue(session, now=now, ttl=ttl, created_by="admin", staff_id=staff_id)
    await audit.record(session, actor=Actor(role=Role.ADMIN), action="invite.staff", record_type="staff",
                       record_id=staff_id, unit_id=staff.unit_id)
    return code


async def issue_family_code(
    session: AsyncSession, *, actor: Actor, family_id: int, now: datetime, ttl: timedelta = DEFAULT_TTL,
    unless_linked: bool = False,
) -> str | None:
    """A one-time code for the family's representative; only who may edit the family can ask.
    With `unless_linked`, None when the representative already uses the bot (the invitation an S1 hands
    out on its own is not needed then; the card's button still issues a new one, for a new phone)."""
    family = await people_repo.get_family(session, family_id=family_id)
    if family is None:
        raise NotFound("family")
    if not can_edit_family(actor, family_scope(family)) or actor.role is Role.FAMILY:
        await audit.record(session, actor=actor, action="denied.invite.family", record_type="family",
                           record_id=family_id, unit_id=family.unit_id)
        raise NotAllowed("family")
    member = await people_repo.representative(session, family_id=family_id)
    if member is None:
        raise NotFound("representative")
    if unless_linked and await accounts_repo.accounts_for_member(session, member_id=member.id):
        return None
    await cancel_older_codes(session, actor=actor, unit_id=family.unit_id, member_id=member.id, now=now)
    code = await _issue(session, now=now, ttl=ttl, created_by=str(actor.role), member_id=member.id)
    await audit.record(session, actor=actor, action="invite.family", record_type="member", record_id=member.id,
                       unit_id=family.unit_id)
    return code


async def cancel_older_codes(session: AsyncSession, *, actor: Actor, unit_id: int, now: datetime,
                             staff_id: int | None = None, member_id: int | None = None) -> int:
    """A new code for a person makes their older unused ones worthless (ended now, so they answer «ya
    venció»): only the newest code handed out can link a phone. Each cancelled code is audited."""
    older = await accounts_repo.unused_codes(session, staff_id=staff_id, member_id=member_id, now=now)
    for invite in older:
        invite.expires_at = now
        await people_repo.add(session, invite)
        await audit.record(session, actor=actor, action="invite.cancel", record_type="invite_code",
                           record_id=invite.id, unit_id=unit_id)
    return len(older)


async def invite_unit(session: AsyncSession, *, invite: InviteCode) -> int | None:
    """The unit a code belongs to (through its staff member or its family)."""
    if invite.staff_id is not None:
        staff = await people_repo.get_staff(session, staff_id=invite.staff_id)
        return staff.unit_id if staff else None
    member = await people_repo.get_member(session, member_id=invite.member_id) if invite.member_id else None
    family = await people_repo.get_family(session, family_id=member.family_id) if member else None
    return family.unit_id if family else None


async def _wrong(session: AsyncSession, *, telegram_user_id: int, invite: InviteCode | None, now: datetime,
                 ceiling: int) -> None:
    unit_id = await invite_unit(session, invite=invite) if invite is not None else None
    await code_ceiling.record_wrong(session, telegram_user_id=telegram_user_id, unit_id=unit_id, now=now,
                                    ceiling=ceiling)


async def lockout_until(session: AsyncSession, *, telegram_user_id: int, now: datetime) -> datetime | None:
    since = now - 2 * timedelta(seconds=codes.LOCKOUT_WINDOW_SECONDS)
    failures = await accounts_repo.recent_attempts(session, telegram_user_id=telegram_user_id, since=since)
    return codes.locked_until(failures, now)


async def redeem(
    session: AsyncSession, *, telegram_user_id: int, chat_id: int, code: str, now: datetime, language: str | None,
    ceiling: int = codes.DEFAULT_CEILING_PER_HOUR,
) -> RedeemResult:
    if chat_id != telegram_user_id:  # only a private chat has the person's own id: never link a group
        raise NotAllowed("chat")
    locked = await lockout_until(session, telegram_user_id=telegram_user_id, now=now)
    if locked is not None:
        return RedeemResult(Redeemed.LOCKED, locked_until=locked)
    paused = await code_ceiling.paused_until(session, unit_id=None, now=now, ceiling=ceiling)
    if paused is not None:
        return RedeemResult(Redeemed.PAUSED, locked_until=paused)
    invite = await accounts_repo.find_code(session, code_hash=codes.hash_code(code))
    if invite is not None and invite.used_at is None and invite.expires_at > now:
        unit_paused = await code_ceiling.paused_until(session, unit_id=await invite_unit(session, invite=invite),
                                                      now=now, ceiling=ceiling)
        if unit_paused is not None:
            return RedeemResult(Redeemed.PAUSED, locked_until=unit_paused)
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        await _wrong(session, telegram_user_id=telegram_user_id, invite=invite, now=now, ceiling=ceiling)
        locked = await lockout_until(session, telegram_user_id=telegram_user_id, now=now)
        if locked is not None:
            return RedeemResult(Redeemed.LOCKED, locked_until=locked)
        if invite is None:
            return RedeemResult(Redeemed.WRONG)
        return RedeemResult(Redeemed.USED if invite.used_at is not None else Redeemed.EXPIRED)

    if not await accounts_repo.claim_code(session, code_id=invite.id, now=now):
        # Someone sent the same code at the same moment and spent it first.
        await accounts_repo.add_attempt(session, telegram_user_id=telegram_user_id, at=now)
        return RedeemResult(Redeemed.USED)
    account = await accounts_repo.get_account(session, telegram_user_id=telegram_user_id)
    if account is None:
        account = ChatAccount(telegram_user_id=telegram_user_id, chat_id=chat_id, language=language, created_at=now)
    account.chat_id = chat_id
    account.staff_id, account.member_id = invite.staff_id, invite.member_id
    account.consent_at = None if invite.member_id is not None else account.consent_at
    account.blocked_at = account.revoked_at = None
    await people_repo.add(session, account)
    invite.used_at, invite.used_by_account_id = now, account.id
    await people_repo.add(session, invite)
    await _audit_link(session, account=account, invite=invite)
    return RedeemResult(Redeemed.LINKED, account=account)


async def _audit_link(session: AsyncSession, *, account: ChatAccount, invite: InviteCode) -> None:
    if invite.staff_id is not None:
        staff = await people_repo.get_staff(session, staff_id=invite.staff_id)
        assert staff is not None  # the code's foreign key
        actor = Actor(role=Role(staff.role), unit_id=staff.unit_id, staff_id=staff.id)
    else:
        assert invite.member_id is not None  # a code is for a staff member or a family member
        member = await people_repo.get_member(session, member_id=invite.member_id)
        assert member is not None  # the code's foreign key
        family = await people_repo.get_family(session, family_id=member.family_id)
        assert family is not None
        actor = Actor(role=Role.FAMILY, unit_id=family.unit_id, family_id=family.id, member_id=member.id)
    await audit.record(session, actor=actor, action="account.link", record_type="chat_account", record_id=account.id)
