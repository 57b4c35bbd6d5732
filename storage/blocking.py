"""A blocked family's records do not change (Ley 21.719: blocking and opposition).

One guard for every writer instead of a check in each service: before a flush, any new, changed or
deleted row that belongs to a family (it has a `family_id`, or it is the family, or an event of one of
its commitments or Bono answers) is refused with FamilyBlocked when that family is blocked. The error
handler turns it into a kind sentence. Only the rights services themselves (block, unblock, erase,
retention) write to a blocked family, inside `allowed(session)`. Group invitations are left out on
purpose: recording a group session must not fail because one invited family is blocked (the planner
sends the blocked family nothing).
"""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlmodel import col

from storage.models import Family, Member
from storage.records import BonoFollowup, BonoFollowupEvent, Commitment, CommitmentEvent

ALLOWED = "family_block_writes_allowed"
CHECKED = "family_block_checked"  # per session: family id -> blocked, so a long update asks once
EXEMPT = {"group_invitation", "family_block_event", "consent_event", "audit_event", "outbox_message"}


class FamilyBlocked(Exception):
    """A write to a blocked family was refused (nothing of the update is kept)."""

    def __init__(self, family_id: int):
        super().__init__(family_id)
        self.family_id = family_id


@contextmanager
def allowed(session) -> Iterator[None]:
    """The rights services' own writes (the block itself, its lifting, erasure, retention)."""
    info = session.sync_session.info if hasattr(session, "sync_session") else session.info
    before = info.get(ALLOWED, False)
    info[ALLOWED] = True
    info.pop(CHECKED, None)
    try:
        yield
    finally:
        info[ALLOWED] = before
        info.pop(CHECKED, None)


def _family_id(session: Session, row) -> int | None:
    if isinstance(row, Family):
        return row.id
    if getattr(row, "__tablename__", None) in EXEMPT:
        return None
    if isinstance(row, CommitmentEvent):
        parent = session.get(Commitment, row.commitment_id)
        return parent.family_id if parent else None
    if isinstance(row, BonoFollowupEvent):
        followup = session.get(BonoFollowup, row.followup_id)
        return followup.family_id if followup else None
    if isinstance(row, Member) or hasattr(type(row), "family_id"):
        return getattr(row, "family_id", None)
    return None


@event.listens_for(Session, "before_flush")
def refuse_writes_to_blocked_families(session: Session, _context, _instances) -> None:
    if session.info.get(ALLOWED):
        return
    rows = [*session.new, *session.dirty, *session.deleted]
    if not rows:
        return
    with session.no_autoflush:
        ids = {family_id for row in rows if (family_id := _family_id(session, row)) is not None}
        checked: dict[int, bool] = session.info.setdefault(CHECKED, {})
        unknown = ids - checked.keys()
        if unknown:
            blocked = set(session.execute(select(col(Family.id)).where(col(Family.id).in_(unknown),
                                                                       col(Family.blocked_at).is_not(None))).scalars())
            checked.update({family_id: family_id in blocked for family_id in unknown})
    for family_id in sorted(ids):
        if checked[family_id]:
            raise FamilyBlocked(family_id)
