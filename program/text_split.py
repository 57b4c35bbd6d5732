"""Telegram takes at most 4,096 characters a message (counted in UTF-16 units): longer texts are split,
never cut, at a line break, else a space, else anywhere. Short labels (a button, a summary line) are cut
with `short`."""

LIMIT = 4096


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> int:
    """The largest prefix length (in characters) that fits in `limit` UTF-16 units."""
    total, end = 0, 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > limit:
            return index
        end = index + 1
    return end


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    parts: list[str] = []
    rest = text
    while units(rest) > limit:
        hard = _cut(rest, limit)
        window = rest[:hard]
        # The last line break, else the last space; one far back would leave a short part: cut at the limit.
        cut = window.rfind("\n")
        if cut < hard // 2:
            cut = window.rfind(" ")
        if cut < hard // 2:
            cut = hard
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not parts:
        parts.append(rest)
    return parts


def short(text: str | None, limit: int = 80) -> str:
    """One line of at most `limit` characters, for summaries and buttons (five 500-character rows would not
    fit one message): white space folded, the cut marked with "…"."""
    value = " ".join((text or "").split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
