"""The admin's access commands (see bot/admin.py): list a unit's staff and linked chats, deactivate a
professional, unlink a chat, and hand a professional a new code (which cancels their older unused ones).

Output goes to the admin's terminal, never to a log. Refusals are one sentence."""
from program.access import Actor
from program.roles import Role
from services import onboarding, revocation
from services.errors import InvalidInput, NotAllowed, NotFound
from storage import accounts_repo, people_repo
from storage.types import utc_now

ACCESS_COMMANDS = ("staff-list", "staff-deactivate", "staff-invite", "accounts-list", "account-unlink")
ADMIN = Actor(role=Role.ADMIN)


async def run_access(args, session, _, ttl) -> tuple[int, tuple[str, str] | None]:
    """The exit status, and a (code, time zone) to print once committed (staff-invite)."""
    now = utc_now()
    if args.command == "staff-list":
        await _unit(session, args.unit)
        for person in await people_repo.list_staff(session, unit_id=args.unit):
            state = _("activo/a") if person.active else _("desactivado/a")
            print(f"{person.id}\t{person.role}\t{person.name}\t{state}")
        return 0, None
    if args.command == "accounts-list":
        await _unit(session, args.unit)
        for account, staff, member, family in await accounts_repo.linked_accounts(session, unit_id=args.unit):
            if staff is not None:
                who = f"staff {staff.id} {staff.role} {staff.name}"
            else:
                assert member is not None and family is not None  # linked_accounts: not staff's, so a member's
                who = f"{family.code} {member.given_names} {member.surnames}".strip()
            print(f"{account.id}\t{who}\t{account.created_at:%Y-%m-%d}")
        return 0, None
    if args.command == "staff-deactivate":
        try:
            staff = await revocation.deactivate_staff(session, actor=ADMIN, staff_id=args.staff, now=now)
        except NotAllowed:
            raise NotFound("staff") from None
        print(_("Desactivé a {name} (id {id}): ya no puede usar Acompaña y no recibirá más mensajes.").format(
            name=staff.name, id=staff.id))
        return 0, None
    if args.command == "account-unlink":
        try:
            await revocation.unlink_account(session, actor=ADMIN, account_id=args.account, now=now)
        except NotAllowed:
            raise NotFound("account") from None
        print(_("Desvinculé el chat {id}: recibirá un solo aviso y nada más, hasta que use un código nuevo.").format(
            id=args.account))
        return 0, None
    if args.command == "staff-invite":
        staff = await people_repo.get_staff(session, staff_id=args.staff)
        if staff is None or not staff.active:
            raise NotFound("staff")
        code = await onboarding.issue_staff_code(session, staff_id=staff.id, now=now, ttl=ttl)
        unit = await people_repo.get_unit(session, unit_id=staff.unit_id)
        assert unit is not None  # staff.unit_id is a foreign key
        return 0, (code, unit.timezone)
    raise InvalidInput("command")


async def _unit(session, unit_id: int) -> None:
    if await people_repo.get_unit(session, unit_id=unit_id) is None:
        raise NotFound("unit")
