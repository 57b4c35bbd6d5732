"""Exactly one scheduler: on PostgreSQL a second worker waits as a standby and takes over when the first
one stops; the embedded SQLite default has one process and is always the leader."""
from bot.scheduler import Leadership


async def test_one_leader_and_a_standby_that_takes_over(session_factory, backend):
    engine = session_factory.kw["bind"]
    first, second = Leadership(engine), Leadership(engine)
    try:
        assert await first.hold()
        if backend == "sqlite":
            assert await second.hold()  # one process: nothing to keep apart
            return
        assert not await second.hold()
        assert await first.hold()  # holding it again is a no-op
        await first.release()
        assert await second.hold()
        assert not await first.hold()
    finally:
        await first.release()
        await second.release()
