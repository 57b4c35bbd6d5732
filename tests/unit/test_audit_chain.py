"""program/audit_chain.py: the hash chain's rules, as pure functions."""
from datetime import UTC, datetime, timedelta, timezone

from program.audit_chain import GENESIS, canonical, link_hash, verify

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _chain(n: int) -> list[dict]:
    events, prev = [], GENESIS
    for i in range(1, n + 1):
        event = {"id": i * 2, "at": AT + timedelta(seconds=i), "actor_type": "staff", "actor_id": 7,
                 "actor_name": None, "action": "family.view", "record_type": "family", "record_id": i,
                 "unit_id": 1, "prev_hash": prev}
        event["hash"] = prev = link_hash(prev, event)
        events.append(event)
    return events


def test_a_sound_chain_verifies_with_its_count_and_head():
    events = _chain(5)
    report = verify(events)
    assert (report.ok, report.count, report.head) == (True, 5, events[-1]["hash"])
    assert verify([]).ok and verify([]).head == GENESIS


def test_a_changed_field_breaks_the_link_at_that_event():
    for field, value in (("action", "family.edit"), ("record_id", 99), ("actor_name", "mallory"),
                         ("at", AT + timedelta(days=1)), ("unit_id", 2)):
        events = _chain(5)
        events[2][field] = value
        report = verify(events)
        assert (report.broken_id, report.reason) == (6, "content"), field


def test_a_removed_or_swapped_event_breaks_the_next_link():
    events = _chain(5)
    del events[1]
    assert (verify(events).broken_id, verify(events).reason) == (6, "prev")
    events = _chain(5)
    events[1], events[2] = events[2], events[1]
    assert verify(events).broken_id == 6


def test_the_canonical_form_ignores_how_the_database_spells_a_moment():
    naive_offset = {"at": AT.astimezone(timezone(timedelta(hours=-3)))}
    assert canonical(naive_offset) == canonical({"at": AT})
    assert canonical({"at": AT, "id": 1, "hash": "x"}) == canonical({"at": AT})  # only the sealed fields
