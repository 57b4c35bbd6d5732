"""The tables of the foundation: units, staff, families, members, chat accounts, codes, audit."""
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime, created_at_field, moment_field, utc_now


class Unit(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    comuna: str = Field(max_length=80)
    name: str = Field(max_length=120)
    timezone: str = Field(default="America/Santiago", max_length=40)
    contact_phone: str | None = Field(default=None, max_length=40)
    contact_email: str | None = Field(default=None, max_length=120)
    contact_address: str | None = Field(default=None, max_length=200)
    contact_hours: str | None = Field(default=None, max_length=120)
    # The unit's own values over program/data/nudges.yaml (quiet hours, bono day, digest time ...).
    nudge_settings: dict | None = Field(default=None, sa_type=JSON)
    created_at: datetime = created_at_field()


class Staff(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    unit_id: int = Field(foreign_key="unit.id", index=True)
    name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    active: bool = True
    created_at: datetime = created_at_field()


class Family(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("unit_id", "code", name="uq_family_unit_code"),)

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    unit_id: int = Field(foreign_key="unit.id", index=True)
    code: str = Field(max_length=40)
    family_name: str = Field(max_length=120)
    sector: str | None = Field(default=None, max_length=120)
    trajectory: str = Field(default="aps", max_length=10)
    status: str = Field(default="invited", max_length=20)
    afi_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    gestor_socio_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    gestor_familiar_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    intake_date: date | None = None
    # Blocking / opposition (Ley 21.719): while set, nothing is sent to the family and nothing of it changes
    # (storage/blocking.py refuses the writes); reason is an id of services/rights.BLOCK_REASONS.
    blocked_at: datetime | None = moment_field()
    blocked_reason: str | None = Field(default=None, max_length=40)
    blocked_by: str | None = Field(default=None, max_length=40)  # staff:<id> | admin | member:<id>
    anonymised_at: datetime | None = moment_field()
    created_at: datetime = created_at_field()


class Member(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    family_id: int = Field(foreign_key="family.id", index=True)
    given_names: str = Field(max_length=120)
    surnames: str = Field(default="", max_length=120)
    # NULL allowed: migrants may have none yet
    run: str | None = Field(default=None, max_length=12, index=True, unique=True)
    relation: str = Field(default="", max_length=40)
    birth_date: date | None = None
    is_representative: bool = False
    is_bono_collector: bool = False
    is_asl_participant: bool = False
    anonymised_at: datetime | None = moment_field()
    created_at: datetime = created_at_field()


class ChatAccount(SQLModel, table=True):
    __tablename__ = "chat_account"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    telegram_user_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    chat_id: int = Field(sa_type=BigInteger)
    language: str | None = Field(default=None, max_length=5)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    consent_at: datetime | None = moment_field()
    consent_version: str | None = Field(default=None, max_length=20)  # the privacy notice accepted
    nudges_opt_out: bool = False
    blocked_at: datetime | None = moment_field()
    # Set when the unit unlinked this chat (a lost phone, a person who left); staff_id/member_id are cleared
    # then, and the chat gets one sentence until a new code links it again (services/revocation.py).
    revoked_at: datetime | None = moment_field()
    created_at: datetime = created_at_field()


class InviteCode(SQLModel, table=True):
    __tablename__ = "invite_code"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    code_hash: str = Field(max_length=64, unique=True, index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    member_id: int | None = Field(default=None, foreign_key="member.id")
    created_by: str = Field(max_length=40)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    used_at: datetime | None = moment_field()
    used_by_account_id: int | None = Field(default=None, foreign_key="chat_account.id")


class CodeAttempt(SQLModel, table=True):
    """Wrong codes per Telegram user, for the lockout (5 within an hour), and per unit (the unit of a used or
    expired code; NULL when the code matched none) for the ceiling that pauses redemption for everyone."""

    __tablename__ = "code_attempt"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    telegram_user_id: int = Field(sa_type=BigInteger, index=True)
    unit_id: int | None = Field(default=None, index=True)
    at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime, nullable=False, index=True)


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, and when. Ids only: no names, RUN or free text."""

    __tablename__ = "audit_event"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    at: datetime = created_at_field()
    actor_type: str = Field(max_length=20)
    actor_id: int | None = None
    # The operating-system user behind a CLI action (getpass), so "admin" is never anonymous.
    actor_name: str | None = Field(default=None, max_length=64)
    action: str = Field(max_length=60)
    record_type: str = Field(max_length=40)
    record_id: int | None = None
    unit_id: int | None = Field(default=None, index=True)
    # The hash chain (program/audit_chain.py), written once by storage/audit_repo.append.
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditChainHead(SQLModel, table=True):
    """One row: the hash of the newest audit event and how many there are. Appending locks this row
    (UPDATE), which serialises writers on both databases, and `audit-verify` compares the chain's end
    with it, so removing the newest events is noticed too."""

    __tablename__ = "audit_chain_head"

    id: int = Field(default=1, primary_key=True)
    hash: str = Field(max_length=64)
    count: int = 0


class FsmRecord(SQLModel, table=True):
    """aiogram / aiogram-dialog state, so a dialog resumes after a restart or on another worker."""

    __tablename__ = "fsm_record"

    key: str = Field(primary_key=True, max_length=200)
    state: str | None = Field(default=None, max_length=200)
    data: str = Field(default="{}")
    updated_at: datetime = created_at_field()
