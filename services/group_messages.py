"""What families receive about a group session, through the outbox: the invitation with its two answer
buttons, a change of time or place, a cancellation. Each message speaks of the session only, never of
the other invited families; ASL sessions go to the family's ASL participants."""
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from program.quiet_hours import release_time
from services.message_buttons import rsvp_buttons
from services.nudge_settings import quiet_hours_text, schedule_for
from services.program_data import catalog
from storage import outbox_repo, people_repo
from storage.groups import GroupSession
from storage.models import ChatAccount, Family, Member


def session_args(group: GroupSession) -> dict:
    found = catalog().session(group.track, group.code)
    return {"group_id": group.id, "track": group.track, "code": group.code, "name": found.name if found else "",
            "starts_at": group.starts_at.isoformat(), "place": group.place, "address": group.address or ""}


async def recipients(session: AsyncSession, *, group: GroupSession, family_ids: list[int],
                     ) -> dict[int, list[ChatAccount]]:
    """family id -> accounts: its ASL participants for ASL sessions, else its representative (or, when the
    representative has no chat, any member who linked one). Only accounts that accepted the notice."""
    rows = await session.exec(select(Member, ChatAccount).join(ChatAccount, ChatAccount.member_id == Member.id)
                              .where(col(Member.family_id).in_(family_ids), col(ChatAccount.consent_at).is_not(None)))
    found: dict[int, list[tuple[Member, ChatAccount]]] = {}
    for member, account in rows.all():
        found.setdefault(member.family_id, []).append((member, account))
    chosen = {}
    for family_id, linked in found.items():
        wanted = [a for m, a in linked if (m.is_asl_participant if group.track == "asl" else m.is_representative)]
        chosen[family_id] = wanted or ([a for _m, a in linked] if group.track != "asl" else [])
    return chosen


async def _rows(session: AsyncSession, *, group: GroupSession, families: list[Family], template: str,
                key: str, buttons: list, now: datetime) -> list[dict]:
    unit = await people_repo.get_unit(session, unit_id=group.unit_id)
    schedule = schedule_for(unit)
    due = release_time(now, unit.timezone, schedule.quiet_start, schedule.quiet_end)
    rows = []
    accounts = await recipients(session, group=group, family_ids=[f.id for f in families])
    for family in families:
        for account in accounts.get(family.id, []):
            rows.append({"account_id": account.id, "chat_id": account.chat_id, "kind": "group_session",
                         "template": template, "args": session_args(group), "buttons": buttons, "essential": True,
                         "scope": f"family:{family.id}", "source": "event", "due_at": due,
                         "expires_at": group.starts_at, "timezone": unit.timezone,
                         "quiet_hours": quiet_hours_text(schedule),
                         "dedupe_key": f"{key}:{account.id}"})
    return rows


async def invite(session: AsyncSession, *, group: GroupSession, families: list[Family], now: datetime) -> int:
    rows = await _rows(session, group=group, families=families, template="group_invitation",
                       key=f"group:{group.id}:invite", buttons=rsvp_buttons(group.id), now=now)
    return await outbox_repo.enqueue(session, rows)


async def announce(session: AsyncSession, *, group: GroupSession, families: list[Family], template: str,
                   now: datetime) -> int:
    key = f"group:{group.id}:{template}:{group.starts_at.isoformat()}:{group.place}:{now.isoformat()}"
    buttons = rsvp_buttons(group.id) if template == "group_change" else []
    rows = await _rows(session, group=group, families=families, template=template, key=key[:150], buttons=buttons,
                       now=now)
    return await outbox_repo.enqueue(session, rows)
