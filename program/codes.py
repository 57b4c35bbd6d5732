"""One-time invitation codes: random, deep-link safe, stored only as a hash."""
import hashlib
import secrets
from datetime import datetime, timedelta

# Telegram deep-link payloads allow A-Z a-z 0-9 _ - (up to 64 chars). 16 characters of a
# 31-symbol alphabet without look-alikes (0/O, 1/I/L) carry 79 bits, and read aloud over the
# phone without confusion; typed codes are upper-cased before comparing.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW_SECONDS = 3600


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").strip() if ch.isalnum())[:64].upper()


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def looks_like_code(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def locked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """Five wrong codes within an hour lock the chat for an hour from the fifth (any order given)."""
    failures = sorted(failures)
    window = timedelta(seconds=LOCKOUT_WINDOW_SECONDS)
    span = LOCKOUT_FAILURES - 1
    ends = [
        failures[i] + window
        for i in range(span, len(failures))
        if failures[i] - failures[i - span] <= window
    ]
    latest = max(ends, default=None)
    return latest if latest is not None and latest > now else None


DEFAULT_CEILING_PER_HOUR = 50


def ceiling_paused_until(newest: list[datetime], ceiling: int, now: datetime) -> datetime | None:
    """Across people: `newest` holds the newest wrong codes of one scope (a unit, or codes matching no unit)
    of the last hour, at most `ceiling` of them. When there are `ceiling`, redemption pauses until the
    oldest of them is an hour old, that is until fewer than `ceiling` fall within the last hour (while paused
    no attempt is counted, so the pause ends an hour after the guessing that tripped it)."""
    window = timedelta(seconds=LOCKOUT_WINDOW_SECONDS)
    recent = [at for at in newest if at > now - window]
    if ceiling <= 0 or len(recent) < ceiling:
        return None
    until = sorted(recent)[-ceiling] + window
    return until if until > now else None
