"""Long texts are split under Telegram's 4,096 UTF-16 units, at line breaks when there are any, never cut."""
from program.text_split import LIMIT, split_message, units


def test_short_text_is_one_part():
    assert split_message("Hola") == ["Hola"] and split_message("") == [""]


def test_lines_are_kept_whole_and_nothing_is_lost():
    lines = [f"• Familia {n:03d} · " + "x" * 120 for n in range(100)]
    parts = split_message("\n".join(lines))
    assert len(parts) == 4 and all(units(part) <= LIMIT for part in parts)
    assert "\n".join(parts).split("\n") == lines


def test_emoji_count_twice_and_are_never_split_in_half():
    text = "😀" * 5000  # 10,000 UTF-16 units, no break point
    parts = split_message(text)
    assert [units(part) for part in parts] == [4096, 4096, 1808] and "".join(parts) == text


def test_a_long_word_is_cut_at_the_limit_and_words_at_a_space():
    assert [len(part) for part in split_message("a" * 9000)] == [4096, 4096, 808]
    words = " ".join(["palabra"] * 1500)
    parts = split_message(words)
    assert all(not part.startswith(" ") and not part.endswith(" ") for part in parts)
    assert " ".join(parts) == words
