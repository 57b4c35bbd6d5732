"""The trail of the data subject's decisions (Ley 21.719): each answer to the privacy notice with the
notice's version, and each blocking of a family and its lifting, with the reason. Ids and codes only."""
from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import created_at_field


class ConsentEvent(SQLModel, table=True):
    __tablename__ = "consent_event"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="chat_account.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    decision: str = Field(max_length=12)  # accepted | refused | withdrawn
    notice_version: str = Field(max_length=20)
    at: datetime = created_at_field()


class FamilyBlockEvent(SQLModel, table=True):
    __tablename__ = "family_block_event"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    action: str = Field(max_length=8)  # block | unblock
    reason: str = Field(max_length=40)
    actor: str = Field(max_length=40)  # staff:<id> | admin | member:<id>
    at: datetime = created_at_field()
