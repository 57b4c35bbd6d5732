"""Settings: database URL normalisation, locale and log level, and the token's one-sentence errors."""
import pytest

from bot.settings import MALFORMED_TOKEN, MISSING_TOKEN, Settings, SettingsError, load_settings, normalise_database_url

TOKEN = "424242:AAHtestTOKENtestTOKENtestTOKENtest12"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No .env and no variables from the machine running the tests."""
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "DATABASE_URL", "BOT_API_BASE_URL", "DEFAULT_LOCALE", "WEBHOOK_URL", "WEBHOOK_SECRET",
                 "WEBHOOK_PORT", "LOG_LEVEL", "INVITE_TTL_DAYS", "CODE_CEILING_PER_HOUR"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("given, expected", [
    ("postgres://u:p@db.example.cl:5432/acompana", "postgresql+asyncpg://u:p@db.example.cl:5432/acompana"),
    ("postgresql://u:p@db/acompana", "postgresql+asyncpg://u:p@db/acompana"),
    ("postgresql+psycopg2://u@db/a", "postgresql+asyncpg://u@db/a"),
    ("postgresql+asyncpg://u@db/a", "postgresql+asyncpg://u@db/a"),
    ("  postgres://u@db/a\n", "postgresql+asyncpg://u@db/a"),
    ("postgres://u@db/a?sslmode=require", "postgresql+asyncpg://u@db/a?ssl=require"),
    ("sqlite:///data/acompana.sqlite3", "sqlite+aiosqlite:///data/acompana.sqlite3"),
    ("sqlite:////var/lib/acompana/db.sqlite3", "sqlite+aiosqlite:////var/lib/acompana/db.sqlite3"),
    ("sqlite+aiosqlite:///x.sqlite3", "sqlite+aiosqlite:///x.sqlite3"),
    ("", "sqlite+aiosqlite:///data/acompana.sqlite3"),
])
def test_database_url_normalised(given, expected):
    assert normalise_database_url(given) == expected


def test_defaults():
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///data/acompana.sqlite3" and settings.is_sqlite
    assert (settings.default_locale, settings.log_level, settings.invite_ttl_days) == ("es", "INFO", 14)
    assert settings.code_ceiling_per_hour == 50
    assert settings.bot_api_base_url == "https://api.telegram.org"


def test_read_from_environment_and_dotenv(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nDATABASE_URL=postgres://u@db/a\nDEFAULT_LOCALE=ht\n")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.bot_token.get_secret_value() == TOKEN and settings.require_token() == TOKEN
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())
    assert settings.database_url == "postgresql+asyncpg://u@db/a" and not settings.is_sqlite
    assert (settings.default_locale, settings.log_level) == ("ht", "DEBUG")


@pytest.mark.parametrize("given, expected", [("es", "es"), ("EN", "en"), ("es_CL", "es"), ("ht-HT", "ht")])
def test_default_locale_accepted(monkeypatch, given, expected):
    monkeypatch.setenv("DEFAULT_LOCALE", given)
    assert load_settings().default_locale == expected


@pytest.mark.parametrize("variable, value, sentence", [
    ("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE debe ser es, ht o en (se indicó «fr»)."),
    ("LOG_LEVEL", "loud", "LOG_LEVEL debe ser DEBUG, INFO, WARNING, ERROR o CRITICAL (se indicó «loud»)."),
    ("WEBHOOK_PORT", "http", "WEBHOOK_PORT debe ser un número de puerto entre 1 y 65535 (se indicó «http»)."),
    ("WEBHOOK_PORT", "70000", "WEBHOOK_PORT debe ser un número de puerto entre 1 y 65535 (se indicó «70000»)."),
    ("CODE_CEILING_PER_HOUR", "2", "CODE_CEILING_PER_HOUR debe ser un número entre 5 y 100000 (se indicó «2»)."),
])
def test_malformed_setting_is_one_sentence(monkeypatch, variable, value, sentence):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value) == sentence
    assert raised.value.translated(lambda msgid: "[ht] " + msgid) == "[ht] " + sentence


@pytest.mark.parametrize("url", ["mysql://u:secret@db/a", "not a url", "postgres"])
def test_unsupported_database_url_is_not_echoed(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SettingsError, match="DATABASE_URL debe ser") as raised:
        load_settings()
    assert "secret" not in str(raised.value)


def test_missing_token_says_how_to_get_one():
    with pytest.raises(SettingsError) as raised:
        load_settings().require_token()
    assert raised.value.msgid == MISSING_TOKEN
    assert "@BotFather" in str(raised.value) and "/newbot" in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize("token", ["abc", "123456:short", "123456 AAHtestTOKENtestTOKENtest", "'" + TOKEN + "'",
                                   "424242:AAHtest TOKENtestTOKENtestTOKENtest12"])
def test_malformed_token(token):
    settings = load_settings(bot_token=token)
    assert not settings.has_valid_token
    with pytest.raises(SettingsError) as raised:
        settings.require_token()
    assert raised.value.msgid == MALFORMED_TOKEN and "@BotFather" in str(raised.value)


def test_token_surrounding_spaces_are_forgiven(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", f"  {TOKEN}\n")
    assert load_settings().require_token() == TOKEN


@pytest.mark.parametrize("url, secret", [("", "s3cret"), ("https://bot.example.cl", ""),
                                         ("http://bot.example.cl", "s3cret"), ("https://bot.example.cl", "no spaces!")])
def test_webhook_needs_https_url_and_valid_secret(url, secret):
    with pytest.raises(SettingsError, match="WEBHOOK_URL"):
        Settings(_env_file=None, webhook_url=url, webhook_secret=secret).require_webhook()


def test_webhook_ready():
    Settings(_env_file=None, webhook_url="https://bot.example.cl", webhook_secret="s3cret-token").require_webhook()


def test_base_url_trailing_slash(monkeypatch):
    monkeypatch.setenv("BOT_API_BASE_URL", "http://127.0.0.1:8081/")
    assert load_settings().bot_api_base_url == "http://127.0.0.1:8081"
