"""Invitation codes: alphabet, entropy, normalising what people type, hashing, and the lockout rule."""
import math
import re
from datetime import UTC, datetime, timedelta

import pytest

from program import codes
from program.codes import (
    ALPHABET,
    CODE_LENGTH,
    deep_link,
    hash_code,
    locked_until,
    looks_like_code,
    new_code,
    normalise_code,
)

T0 = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def minutes(*offsets: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in offsets]


def test_alphabet_is_deep_link_safe_without_look_alikes():
    assert re.fullmatch(r"[A-Za-z0-9_-]+", ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)


def test_entropy_is_at_least_64_bits():
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 64


def test_new_codes_have_length_and_alphabet_and_differ():
    generated = {new_code() for _ in range(200)}
    assert len(generated) == 200
    for code in generated:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
        assert looks_like_code(code)
        assert len(deep_link("acompana_bot", code)) <= len("https://t.me/acompana_bot?start=") + 64


def test_deep_link():
    assert deep_link("acompana_bot", "ABCD") == "https://t.me/acompana_bot?start=ABCD"


@pytest.mark.parametrize("typed", ["abcd efgh jkmn pqrs", " ABCD-EFGH-JKMN-PQRS ", "abcdefghjkmnpqrs\n"])
def test_normalise_what_people_type(typed):
    assert normalise_code(typed) == "ABCDEFGHJKMNPQRS"
    assert looks_like_code(typed)


def test_not_a_code():
    assert normalise_code(None) == ""
    assert not looks_like_code("hola")
    assert not looks_like_code("ABCDEFGHJKMNPQR0")  # 0 is not in the alphabet
    assert len(normalise_code("A" * 100)) == 64


def test_hash_is_stable_and_ignores_typing_differences():
    code = new_code()
    assert hash_code(code) == hash_code(code.lower()) == hash_code(" ".join(code))
    assert re.fullmatch(r"[0-9a-f]{64}", hash_code(code))
    assert code not in hash_code(code)
    assert hash_code("ABCDEFGHJKMNPQRS") != hash_code("ABCDEFGHJKMNPQRT")


def test_four_failures_do_not_lock():
    assert locked_until(minutes(0, 1, 2, 3), T0 + timedelta(minutes=4)) is None


def test_five_within_an_hour_lock_for_an_hour_from_the_fifth():
    failures = minutes(0, 10, 20, 30, 50)
    assert locked_until(failures, T0 + timedelta(minutes=50)) == failures[-1] + HOUR
    assert locked_until(failures, T0 + timedelta(minutes=109)) == failures[-1] + HOUR


def test_exactly_one_hour_apart_still_locks():
    failures = minutes(0, 15, 30, 45, 60)
    assert locked_until(failures, failures[-1]) == failures[-1] + HOUR


def test_five_spread_over_more_than_an_hour_do_not_lock():
    assert locked_until(minutes(0, 20, 40, 60, 61), T0 + timedelta(minutes=61)) is None


def test_lock_expires():
    failures = minutes(0, 1, 2, 3, 4)
    assert locked_until(failures, failures[-1] + HOUR) is None
    assert locked_until(failures, failures[-1] + 2 * HOUR) is None


def test_later_failures_extend_the_lock():
    failures = minutes(0, 1, 2, 3, 4, 30)
    assert locked_until(failures, T0 + timedelta(minutes=30)) == failures[-1] + HOUR


def test_order_of_failures_does_not_matter():
    failures = minutes(0, 10, 20, 30, 50)
    assert locked_until(list(reversed(failures)), failures[-1]) == failures[-1] + HOUR


def test_constants_match_the_rule():
    assert codes.LOCKOUT_FAILURES == 5 and codes.LOCKOUT_WINDOW_SECONDS == 3600
    assert locked_until([], T0) is None
