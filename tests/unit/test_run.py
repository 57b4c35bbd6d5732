"""RUN: módulo-11 check digit, the forms people type, the range, and the 12.345.678-5 display."""
import pytest

from program.run import InvalidRun, check_digit, format_run, is_valid_run, normalise_run


@pytest.mark.parametrize("body, digit", [(12345678, "5"), (11111111, "1"), (22222222, "2"), (10000013, "K"),
                                         (1000005, "K"), (7654321, "6"), (30686957, "4")])
def test_check_digit(body, digit):
    assert check_digit(body) == digit


def test_check_digit_zero_when_rest_is_eleven():
    body = next(n for n in range(1_000_000, 1_000_100) if check_digit(n) == "0")
    assert normalise_run(f"{body}-0") == f"{body}-0"


@pytest.mark.parametrize("typed", ["12.345.678-5", "12345678-5", "123456785", " 12 345 678 5 ", "12.345.678 - 5",
                                   "12.345.678–5", "012.345.678-5"])
def test_accepts_the_forms_people_type(typed):
    assert normalise_run(typed) == "12345678-5"
    assert is_valid_run(typed)


@pytest.mark.parametrize("typed", ["10.000.013-K", "10000013-k", "10000013k"])
def test_k_digit_in_either_case(typed):
    assert normalise_run(typed) == "10000013-K"
    assert format_run(typed) == "10.000.013-K"


@pytest.mark.parametrize("typed, reason", [
    ("12.345.678-4", "check_digit"),
    ("10.000.013-0", "check_digit"),
    ("12.345.678-X", "malformed"),
    ("12.34a.678-5", "malformed"),
    ("", "malformed"),
    ("5", "malformed"),
    ("K", "malformed"),
    ("999.999-K", "out_of_range"),
    ("100.000.000-7", "out_of_range"),
])
def test_rejects(typed, reason):
    assert not is_valid_run(typed)
    with pytest.raises(InvalidRun, match=reason):
        normalise_run(typed)


def test_none_is_invalid():
    assert not is_valid_run(None)


@pytest.mark.parametrize("stored, shown", [("12345678-5", "12.345.678-5"), ("1000005-K", "1.000.005-K"),
                                           ("7654321-6", "7.654.321-6"), ("30686957-4", "30.686.957-4")])
def test_format(stored, shown):
    assert format_run(stored) == shown


def test_format_rejects_invalid():
    with pytest.raises(InvalidRun):
        format_run("12345678-4")
