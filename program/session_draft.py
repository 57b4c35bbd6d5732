"""What a professional is recording about one session, before it is saved.

The dialog keeps a draft in its dialog data (JSON, so it survives a restart) and the service saves
it in one transaction. Which steps a session needs and which answers it cannot be saved without is
decided here, once, for every path (chat, CLI, tests, channels to come): the dialog maps the step ids
to its windows, the service refuses a draft with a missing answer. Pure: no bot, no database.
"""
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum


class Outcome(StrEnum):
    DONE = "done"  # realizada
    NOT_FOUND = "not_found"  # familia inubicable: the Carta de Aviso was left
    RESCHEDULED = "rescheduled"  # visit failed, new date
    DECLINED = "declined"  # Declaración Voluntaria de No Participación, with its reason
    ABANDONED = "abandoned"  # abandono del programa, with its reason


class Step(StrEnum):
    """The questions of a session record, in the order they are asked. Ids, never display text."""

    FAMILY = "family"
    SESSION = "session"
    HELD_ON = "held_on"
    OUTCOME = "outcome"
    PRODUCTS = "products"  # the checklist: any subset is a valid answer
    PARTICIPANT = "participant"  # ASL individual sessions: whose Plan Laboral
    BONO = "bono"  # seguimiento del cobro del Bono de Protección (S7 onward)
    PLAN = "plan"  # commitments: none added is a valid answer
    MATRIZ = "matriz"  # Línea Base / Línea de Salida: indicators may stay unmarked
    ASL = "asl"  # S6: nobody chosen means "APS only", a valid answer
    CARTA = "carta"  # not found: whether the Carta de Aviso was left (yes/no, never missing)
    RESCHEDULE = "reschedule"
    REASON = "reason"
    NEXT_VISIT = "next_visit"  # optional
    NOTES = "notes"  # optional


PLAN_FLAGS = frozenset({"plan_familiar", "plan_laboral"})
MATRIZ_FLAGS = frozenset({"linea_base", "linea_salida"})
# Steps whose empty answer is legal (see Step) are never "missing"; these are.
REQUIRED = (Step.HELD_ON, Step.REASON, Step.RESCHEDULE, Step.PARTICIPANT, Step.BONO)


def needs_participant(flags: Iterable[str], session_type: str) -> bool:
    """An individual ASL session works on one participant's Plan Laboral."""
    return "plan_laboral" in set(flags) and session_type == "individual"


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

    def steps(self, *, flags: Iterable[str], session_type: str) -> list[Step]:
        """The steps this draft needs, in order, given its outcome and the catalog session's flags and type."""
        flags = frozenset(flags)
        route = [Step.FAMILY, Step.SESSION, Step.HELD_ON, Step.OUTCOME]
        if self.outcome == Outcome.DONE:
            route.append(Step.PRODUCTS)
            if needs_participant(flags, session_type):
                route.append(Step.PARTICIPANT)
            if "bono_followup" in flags:
                route.append(Step.BONO)
            if flags & PLAN_FLAGS:
                route.append(Step.PLAN)
            if flags & MATRIZ_FLAGS:
                route.append(Step.MATRIZ)
            if "asl_choice" in flags:
                route.append(Step.ASL)
            route += [Step.NEXT_VISIT, Step.NOTES]
        elif self.outcome == Outcome.NOT_FOUND:
            route += [Step.CARTA, Step.NEXT_VISIT, Step.NOTES]
        elif self.outcome == Outcome.RESCHEDULED:
            route += [Step.RESCHEDULE, Step.NOTES]
        else:
            route += [Step.REASON, Step.NOTES]
        return route

    def missing(self, *, flags: Iterable[str], session_type: str) -> list[Step]:
        """The needed steps whose answer the session cannot be saved without, in route order."""
        unanswered = {
            Step.HELD_ON: self.held_on is None,
            Step.REASON: not (self.reason or "").strip(),
            Step.RESCHEDULE: self.rescheduled_to is None,
            Step.PARTICIPANT: self.participant_member_id is None,
            Step.BONO: not self.bono,
        }
        return [step for step in self.steps(flags=flags, session_type=session_type)
                if step in REQUIRED and unanswered[step]]

    def first_missing(self, *, flags: Iterable[str], session_type: str) -> Step | None:
        missing = self.missing(flags=flags, session_type=session_type)
        return missing[0] if missing else None

    def for_saving(self, *, flags: Iterable[str], session_type: str) -> "SessionDraft":
        """Only what the outcome and the session ask for: answers left from a branch the person took and
        then changed (another outcome, a step the session does not carry) are dropped, not saved."""
        route = set(self.steps(flags=flags, session_type=session_type))
        done = self.outcome == Outcome.DONE
        return replace(
            self,
            reason=self.reason if Step.REASON in route else None,
            carta_aviso_left=self.carta_aviso_left if Step.CARTA in route else False,
            rescheduled_to=self.rescheduled_to if Step.RESCHEDULE in route else None,
            participant_member_id=self.participant_member_id if Step.PARTICIPANT in route else None,
            products_done=sorted(self.products_done) if done else [],
            bono=self.bono if Step.BONO in route else None,
            bono_note=self.bono_note if Step.BONO in route else None,
            plan_rows=list(self.plan_rows) if Step.PLAN in route else [],
            matriz=dict(self.matriz) if Step.MATRIZ in route else {},
            asl_participants=list(self.asl_participants) if Step.ASL in route else [],
            next_visit_at=self.next_visit_at if Step.NEXT_VISIT in route else None,
        )

    def to_dict(self) -> dict:
        """Plain data for the dialog's storage (dates stay dates: storage/fsm_repo keeps their type)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "SessionDraft":
        values = dict(data)
        values["plan_rows"] = [PlanRow(**row) for row in values.get("plan_rows", [])]
        return cls(**values)
