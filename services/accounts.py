"""A person's own preferences and consent."""
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from services import audit
from services.viewer import Viewer
from storage import people_repo
from storage.models import ChatAccount

LANGUAGES = ("es", "ht", "en")


async def set_language(session: AsyncSession, *, viewer: Viewer, telegram_user_id: int, chat_id: int,
                       language: str, now: datetime) -> ChatAccount:
    """Stored even for people with no role yet, so the bot's first words come in their language."""
    if language not in LANGUAGES:
        raise ValueError(language)
    account = viewer.account or ChatAccount(telegram_user_id=telegram_user_id, chat_id=chat_id, created_at=now)
    account.language = language
    viewer.account = await people_repo.add(session, account)
    await audit.record(session, actor=viewer.actor, action="account.language", record_type="chat_account",
                       record_id=account.id, unit_id=viewer.unit.id if viewer.unit else None)
    return account


async def set_nudges(session: AsyncSession, *, viewer: Viewer, enabled: bool) -> bool:
    """/avisos: reminders and digests on or off. The Bono question and alerts to professionals are
    essential and keep coming (services/delivery.py). False for someone with no role."""
    account = viewer.account
    if account is None or viewer.role is None:
        return False
    if account.nudges_opt_out == (not enabled):
        return True
    account.nudges_opt_out = not enabled
    await people_repo.add(session, account)
    await audit.record(session, actor=viewer.actor, action="account.nudges." + ("on" if enabled else "off"),
                       record_type="chat_account", record_id=account.id,
                       unit_id=viewer.unit.id if viewer.unit else None)
    return True


async def set_blocked(session: AsyncSession, *, account: ChatAccount, now: datetime | None,
                      actor: Actor | None = None) -> None:
    """Telegram tells us when a person blocks (now) or unblocks (None) the bot; nudges stop meanwhile
    and the professionals' digest lists the family. Audited: it is the person's own decision."""
    if (account.blocked_at is None) == (now is None):
        return
    account.blocked_at = now
    await people_repo.add(session, account)
    await audit.record(session, actor=actor, action="account.blocked" if now else "account.unblocked",
                       record_type="chat_account", record_id=account.id)
