"""The family's own notebook (Cuaderno Familiar): what they care about, the resources they found (Mi
Territorio) and free notes, per dimension, as text, voice notes or photos (Telegram file ids)."""
from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from storage.types import created_at_field, moment_field

KINDS = ("interest", "resource", "note")  # Nuestros intereses y preocupaciones · Recursos que encontramos · nota
CONTENT_TYPES = ("text", "voice", "photo")
RESOURCE_LEVELS = ("family", "community", "comuna", "region")  # Mi Territorio's circles
RESOURCE_KINDS = ("person", "organization", "institution")


class CuadernoEntry(SQLModel, table=True):
    __tablename__ = "cuaderno_entry"
    # Browsing: a family's entries of one dimension, newest first.
    __table_args__ = (Index("ix_cuaderno_family_dimension_created", "family_id", "dimension", "created_at"),)

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    family_id: int = Field(foreign_key="family.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)  # who wrote it
    dimension: str | None = Field(default=None, max_length=20)  # None: a note for no dimension in particular
    kind: str = Field(max_length=10)
    content_type: str = Field(max_length=10)
    text: str | None = Field(default=None, sa_type=Text)  # the text, or a photo's caption
    file_id: str | None = Field(default=None, max_length=200)
    file_unique_id: str | None = Field(default=None, max_length=100)
    duration: int | None = None  # seconds, voice notes
    resource_level: str | None = Field(default=None, max_length=10)
    resource_kind: str | None = Field(default=None, max_length=15)
    created_at: datetime = created_at_field()
    deleted_at: datetime | None = moment_field()  # removed by the family; kept out of every view
