"""Every write is attributable: one audit row per change, carrying ids only (and, for the CLI, the
operating-system user who ran the command)."""
from contextvars import ContextVar

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.audit_chain import GENESIS, ChainReport, verify_link
from storage import audit_repo
from storage.models import AuditEvent

# Set once by the CLI (bot/admin.py) to getpass.getuser(): every event written by that command carries it.
operator: ContextVar[str | None] = ContextVar("audit_operator", default=None)


async def record(
    session: AsyncSession,
    *,
    actor: Actor | None,
    action: str,
    record_type: str,
    record_id: int | None,
    unit_id: int | None = None,
) -> None:
    if actor is None:
        actor_type, actor_id = "system", None
    elif actor.staff_id is not None:
        actor_type, actor_id = "staff", actor.staff_id
    elif actor.member_id is not None:
        actor_type, actor_id = "member", actor.member_id
    else:
        actor_type, actor_id = str(actor.role), None
    await audit_repo.append(
        session,
        event=AuditEvent(
            actor_type=actor_type,
            actor_id=actor_id,
            actor_name=operator.get(),
            action=action,
            record_type=record_type,
            record_id=record_id,
            unit_id=unit_id if unit_id is not None else (actor.unit_id if actor else None),
            prev_hash="", hash="",  # the chain links, filled in by audit_repo.append under the head's lock
        ),
    )


async def verify_chain(session: AsyncSession) -> ChainReport:
    """`audit-verify`: walks the whole trail in id order; the first broken link, or the count and head.
    The end of the chain must be the head row's hash and count, or the newest events were removed."""
    prev, count, last_id = GENESIS, 0, None
    async for event in audit_repo.chain_rows(session):
        reason = verify_link(prev, event)
        count += 1
        if reason is not None:
            return ChainReport(count=count, head=prev, broken_id=event["id"], reason=reason)
        prev, last_id = event["hash"], event["id"]
    head = await audit_repo.head(session)
    expected = (head.hash, head.count) if head is not None else (GENESIS, 0)
    if (prev, count) != expected:
        return ChainReport(count=count, head=prev, broken_id=last_id or 0, reason="tail")
    return ChainReport(count=count, head=prev)
