"""Rectification (Ley 21.719): each correction of a member's data with its old and new value, and the
corrections a family asked for from the privacy menu until the AFI marks them done.

Both tables hold personal data (the old and new names, RUN, birth date; the family's words or voice
note), kept out of the audit trail on purpose so that erasing a person anonymises them here.
"""
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from storage.types import created_at_field, moment_field

FIELDS = ("given_names", "surnames", "run", "birth_date", "relation")


class MemberChange(SQLModel, table=True):
    __tablename__ = "member_change"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    field: str = Field(max_length=20)
    old_value: str | None = Field(default=None, max_length=120)
    new_value: str | None = Field(default=None, max_length=120)
    changed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    request_id: int | None = Field(default=None, foreign_key="correction_request.id")
    at: datetime = created_at_field()


class CorrectionRequest(SQLModel, table=True):
    __tablename__ = "correction_request"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)  # who asked
    text: str | None = Field(default=None, sa_type=Text)
    voice_file_id: str | None = Field(default=None, max_length=200)
    voice_duration: int | None = None
    created_at: datetime = created_at_field()
    done_at: datetime | None = moment_field()
    done_by_id: int | None = Field(default=None, foreign_key="staff.id")
