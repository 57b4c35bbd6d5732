"""Importing this module registers every table on SQLModel.metadata (for Alembic and tests)."""
from storage.catastro import CatastroEntry, RedesActivity  # noqa: F401
from storage.corrections import CorrectionRequest, MemberChange  # noqa: F401
from storage.cuaderno import CuadernoEntry  # noqa: F401
from storage.groups import GroupInvitation, GroupSession  # noqa: F401
from storage.models import (  # noqa: F401
    AuditChainHead,
    AuditEvent,
    ChatAccount,
    CodeAttempt,
    Family,
    FsmRecord,
    InviteCode,
    Member,
    Staff,
    Unit,
)
from storage.outbox import OutboxMessage  # noqa: F401
from storage.processed_updates import ProcessedUpdate  # noqa: F401
from storage.records import (  # noqa: F401
    BonoFollowup,
    BonoFollowupEvent,
    Commitment,
    CommitmentEvent,
    Indicator,
    MatrizState,
    SessionRecord,
    Visit,
)
from storage.rights import ConsentEvent, FamilyBlockEvent  # noqa: F401
