"""The outbox: every message the bot sends on its own is a row here first (see README, Delivery).

A row is rendered only when it is sent (template key + args, in the recipient's language then), so a
language change or an edited commitment is reflected. `dedupe_key` is unique: planning the same cause
twice never makes two rows. Rows are never deleted by the dispatcher; their status tells what became
of them.
"""
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Text
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime, created_at_field, moment_field

PENDING, SENDING, SENT = "pending", "sending", "sent"
FAILED, CANCELLED, SKIPPED = "failed", "cancelled", "skipped"  # skipped: blocked, opted out, no longer linked


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    # The dispatcher's query: due pending rows, oldest first.
    __table_args__ = (Index("ix_outbox_status_due", "status", "due_at"),)

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    account_id: int = Field(foreign_key="chat_account.id", index=True)
    chat_id: int = Field(sa_type=BigInteger)
    kind: str = Field(max_length=30)
    template: str = Field(max_length=40)
    args: dict = Field(default_factory=dict, sa_type=JSON)
    buttons: list = Field(default_factory=list, sa_type=JSON)  # [[{"text": msgid, "data": callback data}]]
    essential: bool = False
    scope: str = Field(default="", max_length=40, index=True)  # family:<id> / staff:<id>: what re-planning replaces
    source: str = Field(default="planner", max_length=10)  # planner | event (alerts written by a use case)
    due_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    expires_at: datetime | None = moment_field()  # a visit reminder after the visit is noise: skipped
    # Checked again when sending, so a worker that was down overnight does not wake people at 3 a.m.
    timezone: str = Field(default="America/Santiago", max_length=40)
    quiet_hours: str = Field(default="21:00-09:00", max_length=11)
    dedupe_key: str = Field(max_length=200, unique=True)
    status: str = Field(default=PENDING, max_length=10)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)  # an error class or API description, never the text
    lease_owner: str | None = Field(default=None, max_length=60)
    lease_expires_at: datetime | None = moment_field()
    sent_at: datetime | None = moment_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
