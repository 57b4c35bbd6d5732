"""Group and community sessions (Gestor Sociocomunitario): the session, who was invited, their answer and
attendance, and the session's record (Ficha de Registro Sesión Grupal-Comunitaria)."""
from datetime import date, datetime

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime, created_at_field, moment_field


class GroupSession(SQLModel, table=True):
    __tablename__ = "group_session"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    unit_id: int = Field(foreign_key="unit.id", index=True)
    track: str = Field(max_length=12)  # aps | asl
    code: str = Field(max_length=8)
    starts_at: datetime = Field(sa_type=UtcDateTime, nullable=False, index=True)
    place: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=200)
    latitude: float | None = None
    longitude: float | None = None
    territory: str | None = Field(default=None, max_length=120)
    status: str = Field(default="planned", max_length=10)  # planned | cancelled | held
    created_by_id: int = Field(foreign_key="staff.id", index=True)
    # The record, once held.
    held_on: date | None = None
    products_done: list[int] = Field(default_factory=list, sa_type=JSON)
    products_total: int = 0
    agreements: str | None = Field(default=None, sa_type=Text)
    note_text: str | None = Field(default=None, sa_type=Text)
    note_voice_file_id: str | None = Field(default=None, max_length=200)
    note_voice_duration: int | None = None
    catalog_version: str | None = Field(default=None, max_length=40)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class GroupInvitation(SQLModel, table=True):
    """One family (and, in ASL sessions, one participant) invited, their answer and whether they came."""

    __tablename__ = "group_invitation"
    __table_args__ = (UniqueConstraint("group_session_id", "family_id", name="uq_group_invitation_family"),)

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    group_session_id: int = Field(foreign_key="group_session.id", index=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    invited: bool = True  # False: came without an invitation
    rsvp: str | None = Field(default=None, max_length=5)  # yes | no | None (no answer)
    rsvp_at: datetime | None = moment_field()
    attended: bool = False
    created_at: datetime = created_at_field()
