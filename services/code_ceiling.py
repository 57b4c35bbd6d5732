"""The ceiling on wrong codes across people: besides each person's lockout (program.codes.locked_until),
many wrong codes within an hour — 20 accounts × 4 guesses each stay under every personal lockout — pause
redemption for everyone in their scope: the unit of a used or expired code, or every unit when the code
matched none (a guess). Redemption resumes by itself an hour after the guessing that tripped it.

Who hears of it: the admin through one warning in the log (ids and counts only), and the jefe/a of each
paused unit through the outbox (an essential alert, as the Bono alerts are), so they know why people of
their unit cannot link for a while.
"""
import logging
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from program import codes
from services.nudge_settings import quiet_hours_text, schedule_for
from storage import accounts_repo, outbox_repo, people_repo

log = logging.getLogger(__name__)
WINDOW = timedelta(seconds=codes.LOCKOUT_WINDOW_SECONDS)


async def paused_until(session: AsyncSession, *, unit_id: int | None, now: datetime, ceiling: int) -> datetime | None:
    newest = await accounts_repo.newest_attempts_in_scope(session, unit_id=unit_id, since=now - WINDOW,
                                                          limit=max(ceiling, 1))
    return codes.ceiling_paused_until(newest, ceiling, now)


async def record_wrong(session: AsyncSession, *, telegram_user_id: int, unit_id: int | None, now: datetime,
                       ceiling: int) -> None:
    """Count a wrong code for the person and its scope; if it is the one that reaches the ceiling, warn."""
    await accounts_repo.add_attempt(session, telegram_user_id=telegram_user_id, unit_id=unit_id, at=now)
    until = await paused_until(session, unit_id=unit_id, now=now, ceiling=ceiling)
    if until is None:
        return
    scope = f"unit {unit_id}" if unit_id is not None else "every unit (codes matching no unit)"
    log.warning("code redemption paused for %s until %s: %d wrong codes within an hour",
                scope, until.isoformat(timespec="minutes"), ceiling)
    await _alert_jefes(session, unit_id=unit_id, until=until, now=now)


async def _alert_jefes(session: AsyncSession, *, unit_id: int | None, until: datetime, now: datetime) -> None:
    units = [await people_repo.get_unit(session, unit_id=unit_id)] if unit_id is not None \
        else list(await people_repo.list_units(session))
    rows = []
    for unit in units:
        if unit is None:
            continue
        schedule = schedule_for(unit)
        for jefe in await people_repo.active_staff(session, unit_id=unit.id, role="jefe"):
            for account in await accounts_repo.accounts_for_staff(session, staff_id=jefe.id):
                rows.append({"account_id": account.id, "chat_id": account.chat_id, "kind": "code_ceiling",
                             "template": "code_ceiling_alert", "args": {"until": until.isoformat()},
                             "buttons": [], "essential": True, "scope": f"staff:{jefe.id}", "source": "event",
                             # Held at night like every message, and dropped once the pause is over (stale news).
                             "due_at": now, "expires_at": until, "timezone": unit.timezone,
                             "quiet_hours": quiet_hours_text(schedule),
                             "dedupe_key": f"code_ceiling:{unit_id or 'all'}:{until.isoformat()}:{account.id}"})
    await outbox_repo.enqueue(session, rows)
