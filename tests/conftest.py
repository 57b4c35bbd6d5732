import pytest
import pytest_asyncio

from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade_async
from tests.support.clock import FakeClock
from tests.support.databases import empty_postgres, postgres_with_tables, sqlite_url, sqlite_with_tables
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.harness import BotHarness


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest_asyncio.fixture
async def empty_database_url(backend, tmp_path) -> str:
    """A database with no tables (for migration tests)."""
    if backend == "postgresql":
        return await empty_postgres()
    return sqlite_url(tmp_path)


@pytest_asyncio.fixture
async def fresh_database_url(backend, empty_database_url, tmp_path):
    """As a new installation finds it: SQLite not even created yet, in a folder that does not exist yet
    (the runner migrates it); PostgreSQL migrated by the `release` step."""
    if backend == "postgresql":
        await upgrade_async(empty_database_url)
        return empty_database_url
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'acompana.sqlite3'}"


@pytest_asyncio.fixture
async def database_url(backend, tmp_path) -> str:
    """A database of this test's own with every table of the models, empty (built once per process)."""
    if backend == "postgresql":
        return await postgres_with_tables()
    return sqlite_with_tables(tmp_path)


@pytest_asyncio.fixture
async def session_factory(database_url):
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest_asyncio.fixture
async def fake_api():
    async with FakeBotAPI(bot_id=BotHarness.BOT_ID) as api:
        yield api


@pytest_asyncio.fixture
async def harness(fake_api, database_url, clock):
    bot = BotHarness(fake_api, database_url, clock)
    await bot.start()
    yield bot
    await bot.stop()
