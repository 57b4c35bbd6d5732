"""The answers to the privacy notice (Ley 21.719): each acceptance with the version of the notice it
accepted, each refusal, and the withdrawal from the family's privacy menu, which blocks the family (when the
representative withdraws), unlinks the chat and tells the unit."""
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from program.quiet_hours import release_time
from services import audit
from services.blocking import apply_block
from services.nudge_settings import quiet_hours_text, schedule_for
from services.viewer import Viewer
from storage import accounts_repo, outbox_repo, people_repo, rights_repo
from storage.models import ChatAccount, Family, Unit
from storage.rights import ConsentEvent


async def _event(session: AsyncSession, viewer: Viewer, account: ChatAccount, decision: str, version: str,
                 now: datetime) -> None:
    await rights_repo.add(session, ConsentEvent(account_id=account.id,
                                                member_id=viewer.member.id if viewer.member else None,
                                                decision=decision, notice_version=version, at=now))


async def accept(session: AsyncSession, *, viewer: Viewer, notice_version: str, now: datetime) -> None:
    account = viewer.account
    if account is None or viewer.member is None or account.consent_at is not None:
        return
    account.consent_at, account.consent_version = now, notice_version
    await people_repo.add(session, account)
    await _event(session, viewer, account, "accepted", notice_version, now)
    await audit.record(session, actor=viewer.actor, action="consent.accept", record_type="chat_account",
                       record_id=account.id)


async def refuse(session: AsyncSession, *, viewer: Viewer, notice_version: str, now: datetime) -> None:
    """Kept so the unit knows the person said no; nothing is sent to this chat while consent is missing
    (the planner only plans for accounts that accepted)."""
    account = viewer.account
    if account is None or viewer.member is None or account.consent_at is not None:
        return
    await _event(session, viewer, account, "refused", notice_version, now)
    await audit.record(session, actor=viewer.actor, action="consent.refuse", record_type="chat_account",
                       record_id=account.id)


async def withdraw(session: AsyncSession, *, viewer: Viewer, notice_version: str, now: datetime) -> bool:
    """True when the whole family was blocked (the representative withdrew)."""
    account, member, family = viewer.account, viewer.member, viewer.family
    if account is None or member is None or family is None:
        return False
    actor = viewer.actor
    await _event(session, viewer, account, "withdrawn", notice_version, now)
    blocked = bool(member.is_representative)
    if blocked:
        await apply_block(session, family=family, actor=actor, reason="consent_withdrawn", now=now)
    await outbox_repo.cancel_pending(session, account_ids=[account.id], now=now, reason="consent withdrawn")
    await accounts_repo.unlink(session, account_ids=[account.id], now=now)
    await audit.record(session, actor=actor, action="consent.withdraw", record_type="chat_account",
                       record_id=account.id, unit_id=family.unit_id)
    assert viewer.unit is not None  # the viewer loads the family's unit with it (family.unit_id is a foreign key)
    await _tell_the_unit(session, family=family, unit=viewer.unit, account_id=account.id, blocked=blocked, now=now)
    return blocked


async def _tell_the_unit(session: AsyncSession, *, family: Family, unit: Unit, account_id: int, blocked: bool,
                         now: datetime) -> None:
    """An alert to the family's AFI (the jefe/a when none is assigned), essential, through the outbox."""
    staff_ids = [family.afi_id] if family.afi_id else [s.id for s in await people_repo.active_staff(
        session, unit_id=unit.id, role="jefe")]
    schedule = schedule_for(unit)
    due = release_time(now, unit.timezone, schedule.quiet_start, schedule.quiet_end)
    rows: list[dict[str, Any]] = []
    for staff_id in staff_ids:
        for account in await accounts_repo.accounts_for_staff(session, staff_id=staff_id):
            rows.append({"account_id": account.id, "chat_id": account.chat_id, "kind": "consent_alert",
                         "template": "consent_withdrawn_alert",
                         "args": {"family": f"{family.family_name} · {family.code}", "family_id": family.id,
                                  "blocked": blocked},
                         "buttons": [], "essential": True, "scope": f"staff:{staff_id}", "source": "event",
                         "due_at": due, "expires_at": None, "timezone": unit.timezone,
                         "quiet_hours": quiet_hours_text(schedule),
                         "dedupe_key": f"consent_withdrawn:{account_id}:{now.isoformat()}:{account.id}"})
    await outbox_repo.enqueue(session, rows)
