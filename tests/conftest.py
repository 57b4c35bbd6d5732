import pytest
import pytest_asyncio

from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade_async
from tests.support.clock import FakeClock
from tests.support.databases import create_tables, postgres_url_or_skip, reset_postgres
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.harness import BotHarness


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest_asyncio.fixture
async def empty_database_url(backend, tmp_path) -> str:
    """A database with no tables (for migration tests)."""
    if backend == "postgresql":
        url = postgres_url_or_skip()
        await reset_postgres(url)
        return url
    return f"sqlite+aiosqlite:///{tmp_path / 'acompana.sqlite3'}"


@pytest_asyncio.fixture
async def fresh_database_url(backend, empty_database_url, tmp_path):
    """As a new installation finds it: SQLite not even created yet, in a folder that does not exist yet
    (the runner migrates it); PostgreSQL migrated by the `release` step."""
    if backend == "postgresql":
        await upgrade_async(empty_database_url)
        return empty_database_url
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'acompana.sqlite3'}"


@pytest_asyncio.fixture
async def database_url(empty_database_url) -> str:
    await create_tables(empty_database_url)
    return empty_database_url


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
