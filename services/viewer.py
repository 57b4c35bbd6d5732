"""Who is writing to the bot: their account, role, unit and (for families) their family."""
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.roles import Role
from storage import accounts_repo
from storage.models import ChatAccount, Family, Member, Staff, Unit


@dataclass
class Viewer:
    account: ChatAccount | None = None
    staff: Staff | None = None
    member: Member | None = None
    family: Family | None = None
    unit: Unit | None = None
    # The unit took this chat's access away (a deactivated professional, an unlinked chat): it hears one
    # sentence and nothing else until a new code links it again (bot/chat_guards.py).
    revoked: bool = False

    @property
    def role(self) -> Role | None:
        if self.staff is not None:
            return Role(self.staff.role)
        if self.member is not None:
            return Role.FAMILY
        return None

    @property
    def actor(self) -> Actor | None:
        role = self.role
        if role is None:
            return None
        return Actor(
            role=role,
            unit_id=self.unit.id if self.unit else None,
            staff_id=self.staff.id if self.staff else None,
            family_id=self.family.id if self.family else None,
            member_id=self.member.id if self.member else None,
            is_representative=bool(self.member and self.member.is_representative),
        )

    @property
    def needs_consent(self) -> bool:
        return self.role is Role.FAMILY and self.account is not None and self.account.consent_at is None

    @property
    def timezone(self) -> str:
        return self.unit.timezone if self.unit else "America/Santiago"


async def load_viewer(session: AsyncSession, *, telegram_user_id: int) -> Viewer:
    row = await accounts_repo.account_with_links(session, telegram_user_id=telegram_user_id)
    if row is None:
        return Viewer()
    account, staff, member, family, unit = row
    if staff is not None:
        # A deactivated professional keeps the account but loses the role and the unit's data.
        if not staff.active:
            return Viewer(account=account, revoked=True)
        return Viewer(account=account, staff=staff, unit=unit)
    if member is not None and family is not None:
        return Viewer(account=account, member=member, family=family, unit=unit)
    return Viewer(account=account, revoked=account.revoked_at is not None)
