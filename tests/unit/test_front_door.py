"""The README's commands are the ones CI runs."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _command_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("python3 -m venv .venv")]


def test_ci_runs_the_readme_test_command():
    readme = _command_lines((ROOT / "README.md").read_text(encoding="utf-8"))
    ci = _command_lines((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert len(ci) == 1 and ci[0] in readme


def test_readme_gives_exactly_two_commands_for_a_fresh_machine():
    assert len(_command_lines((ROOT / "README.md").read_text(encoding="utf-8"))) == 2


def test_env_example_lists_every_setting():
    from bot.settings import Settings

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    missing = [name.upper() for name in Settings.model_fields if f"{name.upper()}=" not in example]
    assert missing == []
