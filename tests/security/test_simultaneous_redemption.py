"""Two people sending the same invitation code at the same moment: exactly one is linked, on SQLite (where
SELECT … FOR UPDATE is a no-op) and on PostgreSQL; the other is told the code was used."""
import asyncio

from sqlmodel import select

from services import units
from storage.models import ChatAccount, InviteCode
from tests.support import seed

USED = "Ese código ya fue usado"


async def _codes(session_factory, clock, unit, how_many: int) -> list[tuple[int, str]]:
    """(staff id, code) for `how_many` new AFIs of the unit."""
    made = []
    async with session_factory() as session:
        for n in range(how_many):
            staff, code = await units.add_staff(session, unit_id=unit.unit_id, name=f"AFI {n}", role="afi", now=clock())
            made.append((staff.id, code))
        await session.commit()
    return made


async def test_the_same_code_sent_by_two_people_at_once_links_exactly_one(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    for round_, (staff_id, code) in enumerate(await _codes(session_factory, clock, unit, 4)):
        first, second = 8000 + 2 * round_, 8001 + 2 * round_
        answers = await asyncio.gather(harness.say(first, f"/start {code}"), harness.say(second, f"/start {code}"))
        async with session_factory() as session:
            linked = (await session.exec(select(ChatAccount).where(ChatAccount.staff_id == staff_id))).all()
            invite = (await session.exec(select(InviteCode).where(InviteCode.staff_id == staff_id))).one()
        assert len(linked) == 1, (round_, [a.telegram_user_id for a in linked])
        assert invite.used_by_account_id == linked[0].id
        loser = answers[1] if linked[0].telegram_user_id == first else answers[0]
        assert any(USED in text for text in loser), loser
