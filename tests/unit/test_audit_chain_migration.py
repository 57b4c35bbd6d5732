"""Migration 0008 chains the audit events stored before it, so `audit-verify` covers the whole trail."""
import asyncio
from datetime import UTC, datetime

from sqlalchemy import column, insert, table

from services import audit
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.types import UtcDateTime


async def test_events_stored_before_the_chain_are_chained_by_the_migration(empty_database_url):
    await asyncio.to_thread(upgrade, empty_database_url, "0005")
    engine = make_engine(empty_database_url)
    try:
        async with engine.begin() as connection:
            # The table as revision 0005 left it (no hash columns yet).
            old = table("audit_event", column("at", UtcDateTime()), column("actor_type"), column("actor_id"),
                        column("action"), column("record_type"), column("record_id"), column("unit_id"))
            await connection.execute(insert(old), [
                {"at": datetime(2026, 11, 20 + i, 10, 0, 0, 123456, tzinfo=UTC), "actor_type": "staff",
                 "actor_id": 3, "action": "family.view", "record_type": "family", "record_id": i, "unit_id": 1}
                for i in range(3)])
        await asyncio.to_thread(upgrade, empty_database_url, "head")
        async with make_session_factory(engine)() as session:
            report = await audit.verify_chain(session)
            assert (report.ok, report.count) == (True, 3)
            await audit.record(session, actor=None, action="test.after", record_type="unit", record_id=1)
            await session.commit()
            assert (await audit.verify_chain(session)).count == 4
    finally:
        await engine.dispose()
