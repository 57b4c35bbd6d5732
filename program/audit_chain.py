"""The audit trail as a hash chain: each event stores the hash of the one before it and its own hash over
(previous hash + its canonical content), SHA-256. Changing, removing or reordering a stored event breaks
the link at that event (or at the next one, for a removal), and `audit-verify` names it.

The id is not hashed (it is assigned by the database after the hash is computed); the order of the chain
is the order of ids, and each link names its predecessor by hash, so ids cannot be swapped unnoticed.
A chain rewritten from scratch by someone with write access passes again: the head hash that
`audit-verify` prints is the anchor to keep elsewhere (a note, an e-mail to the jefe) and compare later.
"""
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64

# The content of an event that the hash covers, in this order. A column added to audit_event later is
# added here too (with a migration that re-chains), or it stays outside the seal.
HASHED_FIELDS = ("at", "actor_type", "actor_id", "actor_name", "action", "record_type", "record_id", "unit_id")


def _plain(value):
    if isinstance(value, datetime):
        # One spelling whatever the database hands back: UTC, microseconds, no offset suffix variants.
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical(event: Mapping) -> bytes:
    return json.dumps({name: _plain(event.get(name)) for name in HASHED_FIELDS}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False).encode()


def link_hash(prev_hash: str, event: Mapping) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(event)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    count: int
    head: str
    broken_id: int | None = None
    reason: str | None = None  # "prev" (an event before this one removed or moved), "content", or "tail"

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_link(prev_hash: str, event: Mapping) -> str | None:
    """None when the event follows `prev_hash` and its content is what was sealed; else the reason."""
    if event.get("prev_hash") != prev_hash:
        return "prev"
    if event.get("hash") != link_hash(prev_hash, event):
        return "content"
    return None


def verify(events: Iterable[Mapping]) -> ChainReport:
    """Events in id order, each a mapping with id, prev_hash, hash and the HASHED_FIELDS."""
    prev, count = GENESIS, 0
    for event in events:
        count += 1
        reason = verify_link(prev, event)
        if reason is not None:
            return ChainReport(count=count, head=prev, broken_id=event["id"], reason=reason)
        prev = event["hash"]
    return ChainReport(count=count, head=prev)
