"""What happens with a family over the 24 months: session records, the plans' commitments, the
Matriz de Bienestar states, planned visits and the Bono de Protección follow-up.

Ids of people and families only point at storage.models; personal free text (notes, reasons) lives
here and never in the audit trail or the logs.
"""
from datetime import date, datetime

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime, created_at_field


class SessionRecord(SQLModel, table=True):
    """One session of the trajectory as it went: held, or why not."""

    __tablename__ = "session_record"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    family_id: int = Field(foreign_key="family.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    track: str = Field(max_length=12)
    code: str = Field(max_length=8)
    catalog_version: str = Field(max_length=40)
    held_on: date
    outcome: str = Field(max_length=12)  # program.session_draft.Outcome
    reason: str | None = Field(default=None, sa_type=Text)  # declined / abandoned
    carta_aviso_left: bool = False
    rescheduled_to: date | None = None
    participant_member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    # Indexes into the catalog session's products, with their count then: the catalog may change.
    products_done: list[int] = Field(default_factory=list, sa_type=JSON)
    products_total: int = 0
    recorded_by_id: int = Field(foreign_key="staff.id", index=True)
    note_text: str | None = Field(default=None, sa_type=Text)
    note_voice_file_id: str | None = Field(default=None, max_length=200)
    note_voice_duration: int | None = None
    created_at: datetime = created_at_field()


class Commitment(SQLModel, table=True):
    """A row of the Plan Familiar de Desarrollo or of a member's Plan Laboral."""

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    family_id: int = Field(foreign_key="family.id", index=True)
    plan: str = Field(default="familiar", max_length=10)  # familiar | laboral
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)  # whose Plan Laboral
    dimension: str = Field(max_length=20)
    topic: str = Field(sa_type=Text)
    resources: str = Field(default="", sa_type=Text)
    action: str = Field(sa_type=Text)
    # A family that cannot write says its commitment in a voice note (Telegram file id and seconds).
    topic_voice_file_id: str | None = Field(default=None, max_length=200)
    topic_voice_duration: int | None = None
    action_voice_file_id: str | None = Field(default=None, max_length=200)
    action_voice_duration: int | None = None
    responsible: str = Field(default="family", max_length=10)  # family | member | program
    responsible_member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    deadline: date | None = None
    status: str = Field(default="pending", max_length=12)  # pending | in_progress | done | not_done
    source_record_id: int | None = Field(default=None, foreign_key="session_record.id", index=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class CommitmentEvent(SQLModel, table=True):
    """The history of a commitment, written by staff (from a session) or by the family."""

    __tablename__ = "commitment_event"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    commitment_id: int = Field(foreign_key="commitment.id", index=True)
    at: datetime = created_at_field()
    actor_type: str = Field(max_length=20)  # staff | member
    actor_id: int | None = None
    action: str = Field(max_length=10)  # created | edited | status
    status: str = Field(max_length=12)
    note_text: str | None = Field(default=None, sa_type=Text)
    voice_file_id: str | None = Field(default=None, max_length=200)
    voice_duration: int | None = None


class MatrizState(SQLModel, table=True):
    """An indicator's state at the Línea Base or the Línea de Salida; the latest recording wins."""

    __tablename__ = "matriz_state"
    __table_args__ = (UniqueConstraint("family_id", "indicator_code", "moment", name="uq_matriz_state"),)

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    family_id: int = Field(foreign_key="family.id", index=True)
    indicator_code: str = Field(max_length=8)
    moment: str = Field(max_length=12)  # linea_base | linea_salida
    state: str = Field(max_length=12)  # a_trabajar | logrado
    record_id: int | None = Field(default=None, foreign_key="session_record.id", index=True)
    recorded_at: datetime = created_at_field()


class Indicator(SQLModel, table=True):
    """A unit's own Matriz indicator list (imported from CSV); unit NULL = a country-wide list."""

    __table_args__ = (UniqueConstraint("unit_id", "code", name="uq_indicator_unit_code"),)

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    code: str = Field(max_length=8)
    dimension: str = Field(max_length=20)
    text: str = Field(sa_type=Text)
    updated_at: datetime = created_at_field()


class Visit(SQLModel, table=True):
    """A home visit: the next one planned (at most one per family), and what became of it."""

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    family_id: int = Field(foreign_key="family.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    at: datetime = Field(sa_type=UtcDateTime, nullable=False, index=True)
    status: str = Field(default="planned", max_length=10)  # planned | done | cancelled
    source_record_id: int | None = Field(default=None, foreign_key="session_record.id", index=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class BonoFollowup(SQLModel, table=True):
    """Was the month's Bono de Protección collected? One answer per family and month, latest wins."""

    __tablename__ = "bono_followup"
    __table_args__ = (UniqueConstraint("family_id", "month", name="uq_bono_followup_family_month"),)

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    family_id: int = Field(foreign_key="family.id", index=True)
    month: str = Field(max_length=7)  # YYYY-MM
    answer: str = Field(max_length=20)  # cobrado | no_cobrado | no_sabe (session) · cobrado | todavia_no | problema
    reason: str | None = Field(default=None, max_length=20)  # problema: no_se_donde | sin_cuenta | no_llego | otro
    note: str | None = Field(default=None, sa_type=Text)
    source: str = Field(max_length=10)  # session | family
    record_id: int | None = Field(default=None, foreign_key="session_record.id", index=True)
    updated_at: datetime = created_at_field()


class BonoFollowupEvent(SQLModel, table=True):
    __tablename__ = "bono_followup_event"

    id: int = Field(default=None, primary_key=True)  # None until the first flush: see storage/types.py
    followup_id: int = Field(foreign_key="bono_followup.id", index=True)
    at: datetime = created_at_field()
    actor_type: str = Field(max_length=20)
    actor_id: int | None = None
    answer: str = Field(max_length=20)
    reason: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, sa_type=Text)
    voice_file_id: str | None = Field(default=None, max_length=200)
    source: str = Field(max_length=10)
    record_id: int | None = Field(default=None, foreign_key="session_record.id", index=True)
