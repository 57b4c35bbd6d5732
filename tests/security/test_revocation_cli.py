"""Issue 10 §2 from the admin's terminal: list the staff and the linked chats, hand a professional a new code
(the older one stops working), deactivate them, unlink a chat — a real `python -m bot` process on SQLite."""
import re
import sqlite3

from tests.e2e.test_cli import CLOSED_PORT, CODE, TOKEN, assert_clean_failure, cli


async def test_admin_revokes_access_from_the_command_line(tmp_path):
    database = tmp_path / "db" / "acompana.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": CLOSED_PORT}
    assert (await cli("unit-create", "--comuna", "Conchalí", "--name", "UIF Conchalí", cwd=tmp_path, **env)).status == 0
    added = await cli("staff-add", "--unit", "1", "--name", "Carla Rojas", "--role", "afi", cwd=tmp_path, **env)
    first = re.search(rf"^Código: ({CODE})$", added.out, re.MULTILINE).group(1)

    again = await cli("staff-invite", "--staff", "1", cwd=tmp_path, **env)
    assert again.status == 0, again
    second = re.search(rf"^Código: ({CODE})$", again.out, re.MULTILINE).group(1)
    assert second != first
    with sqlite3.connect(database) as db:
        # Only the newest code can still link a phone: the first one ended when the second was made. (Compared
        # to the millisecond: datetime('now') drops the fraction, and the cancelled code expired this very second.)
        live = db.execute("SELECT count(*) FROM invite_code WHERE staff_id = 1 AND used_at IS NULL "
                          "AND expires_at > strftime('%Y-%m-%d %H:%M:%f', 'now')").fetchone()[0]
        assert live == 1
        db.execute("INSERT INTO chat_account (telegram_user_id, chat_id, staff_id, nudges_opt_out, created_at) "
                   "VALUES (5001, 5001, 1, 0, '2026-11-23 15:00:00')")

    listed = await cli("staff-list", "--unit", "1", cwd=tmp_path, **env)
    assert listed.out.splitlines() == ["1\tafi\tCarla Rojas\tactivo/a"], listed
    accounts = await cli("accounts-list", "--unit", "1", cwd=tmp_path, **env)
    assert accounts.out.splitlines() == ["1\tstaff 1 afi Carla Rojas\t2026-11-23"], accounts

    deactivated = await cli("staff-deactivate", "--staff", "1", cwd=tmp_path, **env)
    assert deactivated.status == 0 and "Desactivé a Carla Rojas (id 1)" in deactivated.out, deactivated
    assert (await cli("staff-list", "--unit", "1", cwd=tmp_path, **env)).out.splitlines() == [
        "1\tafi\tCarla Rojas\tdesactivado/a"]
    unlinked = await cli("account-unlink", "--account", "1", cwd=tmp_path, **env)
    assert unlinked.status == 0 and "Desvinculé el chat 1" in unlinked.out, unlinked
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT staff_id, revoked_at IS NOT NULL FROM chat_account").fetchall() == [(None, 1)]
        live = db.execute("SELECT count(*) FROM invite_code WHERE used_at IS NULL "
                          "AND expires_at > strftime('%Y-%m-%d %H:%M:%f', 'now')").fetchone()[0]
        assert live == 0  # deactivation cancelled the code that was still open
        actions = [row[0] for row in db.execute("SELECT action FROM audit_event ORDER BY id")]
    assert {"invite.cancel", "staff.deactivate", "account.unlink"} <= set(actions)

    assert_clean_failure(await cli("account-unlink", "--account", "1", cwd=tmp_path, **env),
                         "No existe un chat vinculado con id 1")
    assert_clean_failure(await cli("staff-deactivate", "--staff", "99", cwd=tmp_path, **env),
                         "No existe una persona activa del equipo con id 99")
    assert_clean_failure(await cli("staff-invite", "--staff", "1", cwd=tmp_path, **env),
                         "No existe una persona activa del equipo con id 1")
