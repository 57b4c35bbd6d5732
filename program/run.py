"""Chile's RUN (Rol Único Nacional): parsing, módulo-11 check digit, display as 12.345.678-5."""
import re

_CLEAN = re.compile(r"[.\s\u2010-\u2015-]")  # dots, spaces, hyphen and the dashes Word types


class InvalidRun(ValueError):
    pass


def check_digit(body: int) -> str:
    total, factor = 0, 2
    for digit in reversed(str(body)):
        total += int(digit) * factor
        factor = 2 if factor == 7 else factor + 1
    rest = 11 - total % 11
    return {11: "0", 10: "K"}.get(rest, str(rest))


def normalise_run(raw: str) -> str:
    """Return the canonical storage form `12345678-5`; raise InvalidRun otherwise."""
    text = _CLEAN.sub("", (raw or "").strip()).upper()
    if len(text) < 2 or not text[:-1].isdigit() or not (text[-1].isdigit() or text[-1] == "K"):
        raise InvalidRun("malformed")
    body, dv = int(text[:-1]), text[-1]
    if not 1_000_000 <= body <= 99_999_999:
        raise InvalidRun("out_of_range")
    if check_digit(body) != dv:
        raise InvalidRun("check_digit")
    return f"{body}-{dv}"


def is_valid_run(raw: str) -> bool:
    try:
        normalise_run(raw)
    except InvalidRun:
        return False
    return True


def format_run(run: str) -> str:
    """`12345678-5` → `12.345.678-5`."""
    body, dv = normalise_run(run).split("-")
    return f"{int(body):,}".replace(",", ".") + f"-{dv}"
