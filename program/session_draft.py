"""What a professional is recording about one session, before it is saved.

The dialog keeps a draft in its dialog data (JSON, so it survives a restart) and the service saves
it in one transaction. Pure: no bot, no database.
"""
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Outcome(StrEnum):
    DONE = "done"  # realizada
    NOT_FOUND = "not_found"  # familia inubicable: the Carta de Aviso was left
    RESCHEDULED = "rescheduled"  # visit failed, new date
    DECLINED = "declined"  # Declaración Voluntaria de No Participación, with its reason
    ABANDONED = "abandoned"  # abandono del programa, with its reason


class BonoAnswer(StrEnum):
    COLLECTED = "cobrado"
    NOT_COLLECTED = "no_cobrado"
    UNKNOWN = "no_sabe"


class Responsible(StrEnum):
    FAMILY = "family"
    MEMBER = "member"
    PROGRAM = "program"


@dataclass
class PlanRow:
    """A row of the Plan Familiar de Desarrollo (or the Plan Laboral): a commitment."""

    dimension: str  # matriz dimension id: trabajo, ingresos, salud, educacion, vivienda
    topic: str  # ¿Qué tema trabajaremos?
    resources: str  # ¿Con qué contamos?
    action: str  # ¿Qué haremos?
    responsible: str = Responsible.FAMILY
    member_id: int | None = None  # when responsible is a named member
    deadline: date | None = None
    commitment_id: int | None = None  # set when editing an existing commitment
    plan: str = "familiar"  # familiar | laboral


@dataclass
class SessionDraft:
    family_id: int
    track: str = "aps"
    code: str = ""
    held_on: date | None = None
    outcome: str = Outcome.DONE
    reason: str | None = None  # declined / abandoned
    carta_aviso_left: bool = False  # not_found
    rescheduled_to: date | None = None  # rescheduled
    participant_member_id: int | None = None  # ASL individual sessions: whose Plan Laboral
    products_done: list[int] = field(default_factory=list)  # indexes into the catalog's products
    bono: str | None = None
    bono_note: str | None = None
    plan_rows: list[PlanRow] = field(default_factory=list)
    matriz: dict[str, str] = field(default_factory=dict)  # indicator code -> a_trabajar | logrado
    asl_participants: list[int] = field(default_factory=list)  # member ids, at most 2
    next_visit_at: datetime | None = None  # aware, UTC
    note_text: str | None = None
    note_voice_file_id: str | None = None
    note_voice_duration: int | None = None

    def to_dict(self) -> dict:
        """Plain data for the dialog's storage (dates stay dates: storage/fsm_repo keeps their type)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "SessionDraft":
        values = dict(data)
        values["plan_rows"] = [PlanRow(**row) for row in values.get("plan_rows", [])]
        return cls(**values)
