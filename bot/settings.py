"""Typed settings, read from the environment or a `.env` file."""
import re
from pathlib import Path

from bot.markers import N_
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
DEFAULT_DB_PATH = Path("data") / "acompana.sqlite3"
SUPPORTED_LOCALES = ("es", "ht", "en")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one sentence for the admin."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = ""
    database_url: str = Field(default=f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}")
    bot_api_base_url: str = "https://api.telegram.org"
    default_locale: str = "es"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    log_level: str = "INFO"
    invite_ttl_days: int = 14
    catalog_path: str = ""

    @field_validator("database_url")
    @classmethod
    def normalise_database_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("default_locale")
    @classmethod
    def known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def require_token(self) -> str:
        if not self.bot_token:
            raise SettingsError(N_(
                "Falta BOT_TOKEN: pide un token a @BotFather en Telegram (/newbot) y ponlo en el "
                "entorno o en .env como BOT_TOKEN=123456:ABC..."
            ))
        if not TOKEN_PATTERN.match(self.bot_token):
            raise SettingsError(N_(
                "BOT_TOKEN no parece un token de Telegram (123456789:AA...): cópialo de nuevo desde el "
                "mensaje de @BotFather, sin espacios ni comillas."
            ))
        return self.bot_token


def normalise_database_url(value: str) -> str:
    """Hosting platforms hand out `postgres://` URLs; SQLAlchemy's async engine needs a driver."""
    value = value.strip()
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://", "postgresql+psycopg://"):
        if value.startswith(prefix):
            return "postgresql+asyncpg://" + value[len(prefix):]
    if value.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + value[len("sqlite:///"):]
    return value


def load_settings(**overrides) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]).upper()
        raise SettingsError(f"{field}: {first['msg']}") from None
