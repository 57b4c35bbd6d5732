"""Issue 10 §3: wrong codes are counted per person AND across people. 20 accounts × 4 wrong guesses stay under
every personal lockout (5 an hour) but trip the ceiling (CODE_CEILING_PER_HOUR, 50 by default): redemption
pauses for everyone until the hour has passed, the admin gets a warning in the log (no personal data) and
the unit's jefe/a an alert through the outbox."""
import logging
from datetime import timedelta

from sqlmodel import select

from program.codes import DEFAULT_CEILING_PER_HOUR, ceiling_paused_until
from services import onboarding
from services.onboarding import Redeemed
from storage.models import ChatAccount
from storage.outbox import OutboxMessage
from tests.support import seed

JEFE_USER, FAMILY_USER = 5002, 6001
GUESSERS = range(7100, 7120)
WRONG, PAUSED = "no es válido", "el registro con códigos está en pausa"


def test_the_ceiling_rule(clock):
    now = clock()
    minute = [now - timedelta(seconds=s) for s in range(50)]
    assert ceiling_paused_until(minute[:49], 50, now) is None
    assert ceiling_paused_until(minute, 50, now) == min(minute) + timedelta(hours=1)
    spread = [now - timedelta(minutes=2 * s) for s in range(50)]  # 50 over 100 minutes: 30 within the hour
    assert ceiling_paused_until(spread, 50, now) is None
    assert ceiling_paused_until(minute, 50, now + timedelta(hours=1)) is None


async def test_twenty_accounts_guessing_pause_redemption_for_an_hour(harness, session_factory, clock, caplog):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(JEFE_USER, f"/start {unit.jefe_code}")
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    answers = []
    with caplog.at_level(logging.WARNING):
        for guess in range(4):
            for user in GUESSERS:
                answers.append((await harness.say(user, f"/start WRONG{guess}{user}XXXXXXX"))[-1])
    assert sum(WRONG in a for a in answers) == DEFAULT_CEILING_PER_HOUR
    assert sum(PAUSED in a for a in answers) == 80 - DEFAULT_CEILING_PER_HOUR
    assert not any("Podrás intentar de nuevo" in a for a in answers)  # nobody hit the personal lockout
    # The admin's warning: once, counts and times only — no Telegram id, no code.
    [warning] = [r for r in caplog.records if "code redemption paused" in r.getMessage()]
    assert warning.levelno == logging.WARNING and "every unit" in warning.getMessage()
    assert not any(str(user) in warning.getMessage() for user in GUESSERS) and "WRONG" not in warning.getMessage()

    # The right code waits too (its holder is told when to come back), until the hour has passed.
    assert PAUSED in (await harness.say(FAMILY_USER, f"/start {code}"))[-1]
    clock.advance(minutes=59)
    assert PAUSED in (await harness.say(FAMILY_USER, f"/start {code}"))[-1]
    clock.advance(minutes=2)
    assert "Ley 21.719" in (await harness.say(FAMILY_USER, f"/start {code}"))[-1]

    # The jefe/a heard of it once, in the chat (the outbox row was due while the pause lasted).
    async with session_factory() as session:
        rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.kind == "code_ceiling"))).all()
    assert len(rows) == 1 and rows[0].chat_id == JEFE_USER


async def test_the_jefe_alert_is_delivered_while_the_pause_lasts(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(JEFE_USER, f"/start {unit.jefe_code}")
    for guess in range(3):
        for user in GUESSERS:
            await harness.say(user, f"/start WRONG{guess}{user}XXXXXXX")
    result = await harness.delivery().tick()
    assert result.outcomes.get("sent") == 1
    assert "pausé el registro con códigos hasta las 13:00" in harness.last_text(JEFE_USER)


async def test_used_codes_pause_only_their_unit(session_factory, clock):
    """A used or expired code belongs to a unit: its wrong uses pause that unit, not the others."""
    conchali = await seed.unit_with_families(session_factory, clock())
    renca = await seed.unit_with_families(session_factory, clock(), comuna="Renca")
    async with session_factory() as session:
        await onboarding.redeem(session, telegram_user_id=5001, chat_id=5001, code=conchali.afi_code, now=clock(),
                                language=None)
        for user in range(7200, 7205):  # five people try the AFI's used code
            result = await onboarding.redeem(session, telegram_user_id=user, chat_id=user, code=conchali.afi_code,
                                             now=clock(), language=None, ceiling=5)
            assert result.outcome is Redeemed.USED
        paused = await onboarding.redeem(session, telegram_user_id=5002, chat_id=5002, code=conchali.jefe_code,
                                         now=clock(), language=None, ceiling=5)
        linked = await onboarding.redeem(session, telegram_user_id=5102, chat_id=5102, code=renca.jefe_code,
                                         now=clock(), language=None, ceiling=5)
        assert (paused.outcome, linked.outcome) == (Redeemed.PAUSED, Redeemed.LINKED)
        assert paused.locked_until == clock() + timedelta(hours=1)
        later = await onboarding.redeem(session, telegram_user_id=5002, chat_id=5002, code=conchali.jefe_code,
                                        now=clock() + timedelta(hours=1, seconds=1), language=None, ceiling=5)
        assert later.outcome is Redeemed.LINKED
        assert len((await session.exec(select(ChatAccount))).all()) == 3
