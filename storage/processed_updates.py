"""Telegram updates already handled, per bot: a webhook retry or a re-fetched polling batch delivers the same
update_id again, and the second delivery must change nothing. A row is written in the same transaction as
the update's work, so it exists exactly when that work was committed; rows older than a day are purged
(Telegram keeps undelivered updates for 24 hours)."""
from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


class ProcessedUpdate(SQLModel, table=True):
    __tablename__ = "processed_update"

    bot_id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    update_id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    processed_at: datetime = Field(sa_type=UtcDateTime, nullable=False, index=True)
