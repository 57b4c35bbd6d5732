"""One-time invitation codes: random, deep-link safe, stored only as a hash."""
import hashlib
from datetime import datetime, timedelta
import secrets

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
