"""Typed settings, read from the environment or a `.env` file."""
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from texts.markers import N_

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as secret_token
DEFAULT_DB_PATH = Path("data") / "acompana.sqlite3"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}"
SUPPORTED_LOCALES = ("es", "ht", "en")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

MISSING_TOKEN = N_(
    "Falta BOT_TOKEN: pide un token a @BotFather en Telegram (/newbot) y ponlo en el "
    "entorno o en .env como BOT_TOKEN=123456:ABC..."
)
MALFORMED_TOKEN = N_(
    "BOT_TOKEN no parece un token de Telegram (123456789:AA...): cópialo de nuevo desde el "
    "mensaje de @BotFather, sin espacios ni comillas."
)
TOKEN_REFUSED = N_(
    "Telegram rechazó BOT_TOKEN (no autorizado): cópialo de nuevo desde @BotFather o pide uno nuevo con /token."
)
WEBHOOK_MISSING = N_(
    "El modo webhook necesita WEBHOOK_URL (la dirección pública https:// del servidor) y WEBHOOK_SECRET "
    "(una clave que tú eliges, solo letras, números, _ y -)."
)
# One sentence per setting that can be malformed; {value} is what was given.
FIELD_MESSAGES = {
    "default_locale": N_("DEFAULT_LOCALE debe ser es, ht o en (se indicó «{value}»)."),
    "log_level": N_("LOG_LEVEL debe ser DEBUG, INFO, WARNING, ERROR o CRITICAL (se indicó «{value}»)."),
    "webhook_port": N_("WEBHOOK_PORT debe ser un número de puerto entre 1 y 65535 (se indicó «{value}»)."),
    "database_url": N_("DATABASE_URL debe ser sqlite:///ruta/al/archivo.sqlite3 o "
                       "postgresql://usuario:clave@servidor/base."),
    "invite_ttl_days": N_("INVITE_TTL_DAYS debe ser un número de días entre 1 y 365 (se indicó «{value}»)."),
}
GENERIC_MESSAGE = N_("El valor de {field} no es válido.")  # no value: it may be a secret
SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one sentence for the admin.

    `msgid` is the untranslated sentence and `params` fill its placeholders, so the caller can
    translate before formatting; `str(error)` is the Spanish sentence.
    """

    def __init__(self, msgid: str, **params):
        self.msgid, self.params = msgid, params
        super().__init__(msgid.format(**params) if params else msgid)

    def translated(self, gettext) -> str:
        text = gettext(self.msgid)
        return text.format(**self.params) if self.params else text


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = ""
    database_url: str = Field(default=DEFAULT_DATABASE_URL)
    bot_api_base_url: str = "https://api.telegram.org"
    default_locale: str = "es"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    log_level: str = "INFO"
    invite_ttl_days: int = Field(default=14, ge=1, le=365)
    catalog_file: str = ""  # a unit's own session catalog (YAML); empty: the one built from the guides
    cadence_file: str = ""  # a unit's own cadence of the sessions over the 24 months (YAML)

    @field_validator("bot_token")
    @classmethod
    def strip_token(cls, value: str) -> str:
        return value.strip()

    @field_validator("database_url")
    @classmethod
    def normalise_database_url(cls, value: str) -> str:
        url = normalise_database_url(value)
        try:
            driver = make_url(url).drivername
        except ArgumentError:
            driver = ""
        if driver not in SUPPORTED_DRIVERS:
            raise ValueError("DATABASE_URL must be a SQLite or PostgreSQL URL")
        return url

    @field_validator("bot_api_base_url")
    @classmethod
    def strip_base_url(cls, value: str) -> str:
        return value.strip().rstrip("/") or "https://api.telegram.org"

    @field_validator("default_locale")
    @classmethod
    def known_locale(cls, value: str) -> str:
        locale = value.strip().lower().replace("-", "_").split("_")[0]  # es_CL, es-CL, ES → es
        if locale not in SUPPORTED_LOCALES:
            raise ValueError(f"DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}")
        return locale

    @field_validator("log_level")
    @classmethod
    def known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        return level

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def has_valid_token(self) -> bool:
        return bool(TOKEN_PATTERN.match(self.bot_token))

    def require_token(self) -> str:
        if not self.bot_token:
            raise SettingsError(MISSING_TOKEN)
        if not self.has_valid_token:
            raise SettingsError(MALFORMED_TOKEN)
        return self.bot_token

    def require_webhook(self) -> None:
        if not self.webhook_url.startswith("https://") or not WEBHOOK_SECRET_PATTERN.match(self.webhook_secret):
            raise SettingsError(WEBHOOK_MISSING)


def normalise_database_url(value: str) -> str:
    """Hosting platforms hand out `postgres://` URLs; SQLAlchemy's async engine needs a driver."""
    value = (value or "").strip()
    if not value:
        return DEFAULT_DATABASE_URL
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://", "postgresql+psycopg://"):
        if value.startswith(prefix):
            value = "postgresql+asyncpg://" + value[len(prefix):]
            break
    if value.startswith("postgresql+asyncpg://"):
        return _asyncpg_query(value)
    if value.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + value[len("sqlite:///"):]
    return value


def _asyncpg_query(url: str) -> str:
    """asyncpg rejects libpq's `sslmode=require` (platforms add it); it takes `ssl=require`."""
    parts = urlsplit(url)
    if "sslmode" not in parts.query:
        return url
    query = [("ssl" if key == "sslmode" else key, item) for key, item in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def load_settings(**overrides) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        value = first.get("input")
        value = value if isinstance(value, (str, int)) else ""
        if field == "database_url":  # never echo it back: it may carry a password
            raise SettingsError(FIELD_MESSAGES[field]) from None
        if field in FIELD_MESSAGES:
            raise SettingsError(FIELD_MESSAGES[field], value=value) from None
        raise SettingsError(GENERIC_MESSAGE, field=field.upper()) from None
