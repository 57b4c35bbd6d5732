"""Column types that behave the same on SQLite and PostgreSQL."""
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

# Primary keys: `id: int = Field(default=None, primary_key=True)` in every table, the one place where
# the types knowingly say less than the truth (see [tool.mypy] in pyproject.toml). A row's id is None
# only between `Model(...)` and the first flush, and no code reads it there: every id the code reads
# is of a row that was flushed or loaded. Typed `int | None`, each of the hundreds of reads would need
# a check that can never fail; typed `int`, mypy checks what matters (an id passed where a date goes).
# The database still refuses a NULL key, and tests/unit/test_migrations.py keeps the schema exact.


class UtcDateTime(TypeDecorator):
    """Always hand back aware UTC datetimes; SQLite would otherwise return naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def created_at_field():
    return Field(default_factory=utc_now, sa_type=UtcDateTime, nullable=False)


def moment_field(nullable: bool = True, index: bool = False):
    return Field(default=None, sa_type=UtcDateTime, nullable=nullable, index=index)
