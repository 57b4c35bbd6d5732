"""Outbox rows and linked chat accounts for the delivery and planner tests."""
from datetime import datetime, timedelta

from sqlmodel import select

from storage import outbox_repo
from storage.models import ChatAccount, Member
from storage.outbox import OutboxMessage

FAMILY_CHAT, AFI_CHAT = 6001, 5001


async def link_family(session_factory, *, family_id: int, chat_id: int = FAMILY_CHAT, consent_at: datetime,
                      language: str = "es") -> int:
    """The family's representative linked a chat and accepted the privacy notice."""
    async with session_factory() as session:
        member = (await session.exec(select(Member).where(Member.family_id == family_id,
                                                          Member.is_representative))).one()
        account = ChatAccount(telegram_user_id=chat_id, chat_id=chat_id, member_id=member.id, language=language,
                              consent_at=consent_at)
        session.add(account)
        await session.commit()
        return account.id


async def link_staff(session_factory, *, staff_id: int, chat_id: int = AFI_CHAT) -> int:
    async with session_factory() as session:
        account = ChatAccount(telegram_user_id=chat_id, chat_id=chat_id, staff_id=staff_id, language="es")
        session.add(account)
        await session.commit()
        return account.id


def row(account_id: int, chat_id: int, due_at: datetime, key: str, **fields) -> dict:
    values = {"account_id": account_id, "chat_id": chat_id, "kind": "commitment_deadline",
              "template": "commitment_today", "args": {"commitment_id": 1, "topic": "Control sano de Pedro",
                                                       "deadline": due_at.date().isoformat()},
              "buttons": [], "essential": False, "scope": "family:1", "source": "planner", "due_at": due_at,
              "expires_at": due_at + timedelta(days=1), "timezone": "America/Santiago",
              "quiet_hours": "21:00-09:00", "dedupe_key": key}
    return values | fields


async def enqueue(session_factory, rows: list[dict]) -> None:
    async with session_factory() as session:
        await outbox_repo.enqueue(session, rows)
        await session.commit()


async def messages(session_factory) -> list[OutboxMessage]:
    async with session_factory() as session:
        return list((await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all())
