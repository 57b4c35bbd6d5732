"""The gettext catalogs in locales/ are complete, consistent with the source code, and compile.

Spanish is the source language (msgstr may stay empty there); Haitian Creole and English must
translate every msgid. When a test here fails after a code change, run `bash locales/update.sh`
(pybabel extract + update, see locales/README.md) and translate the new or fuzzy entries.
"""
import gettext
import re
import string
import unicodedata
import warnings
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"
LANGUAGES = ("es", "ht", "en")
TRANSLATED = ("ht", "en")
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    # Kreyòl does not inflect nouns for number; two forms still let a translator write
    # "yon fanmi" / "{n} fanmi". Same as `pybabel init -l ht` and other ht catalogs.
    "ht": "nplurals=2; plural=(n != 1);",
}
# The same keywords as locales/update.sh (`-k T -k N_ -k _` on top of babel's defaults).
KEYWORDS = {**DEFAULT_KEYWORDS, "T": None, "N_": None, "_": None}
HOW_TO_FIX = (
    "Run `bash locales/update.sh` (pybabel extract + pybabel update, see locales/README.md), "
    "then translate the new or fuzzy entries in locales/ht and locales/en."
)
# A Telegram command: a slash at the start of a word, not inside a path, URL or "Gestor/a".
COMMAND = re.compile(r"(?<![\w/.:])/[A-Za-z][A-Za-z0-9_]*")


def _method_map():
    cfg = ROOT / "babel.cfg"
    with cfg.open(encoding="utf-8") as handle:
        if hasattr(frontend, "parse_mapping_cfg"):
            return frontend.parse_mapping_cfg(handle, filename=str(cfg))
        return frontend.parse_mapping(handle)  # babel < 2.14


def _source_messages() -> dict[tuple[str, str | None], list[str]]:
    """(msgid, context) -> where it appears, as `pybabel extract -F babel.cfg` would find them."""
    method_map, options_map = _method_map()
    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, (list, tuple)) else message
        found.setdefault((msgid, context), []).append(f"{filename}:{lineno}")
    return found


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN, abort_invalid=True)


def _po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _messages(catalog):
    return [message for message in catalog if message.id]


def _forms(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def _emojis(text: str) -> set[str]:
    return {char for char in text if unicodedata.category(char) == "So"}


def _describe(msgid: str) -> str:
    first = msgid.splitlines()[0] if msgid else msgid
    return repr(first if len(first) <= 70 else first[:67] + "...")


@pytest.fixture(scope="module")
def source_messages():
    return _source_messages()


def test_babel_cfg_maps_only_the_product_code():
    method_map, _options = _method_map()
    patterns = {pattern for pattern, method in method_map if method == "python"}
    assert patterns == {f"{folder}/**.py" for folder in ("bot", "handlers", "dialogs", "texts", "services", "program")}


def test_extraction_finds_only_real_strings(source_messages):
    assert len(source_messages) > 50, "the extraction found almost nothing: is babel.cfg right?"
    blank = [where for (msgid, _context), where in source_messages.items() if not isinstance(msgid, str) or not msgid.strip()]
    assert not blank, f"empty msgids (a `_(\"\")` or similar) at {blank}"


@pytest.mark.parametrize("name", ["messages.pot", *LANGUAGES])
def test_catalog_has_every_source_string(source_messages, name):
    path = LOCALES_DIR / name if name.endswith(".pot") else _po_path(name)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing. {HOW_TO_FIX}"
    catalog = _read(path)
    missing = sorted(
        f"{_describe(msgid)} ({where[0]})"
        for (msgid, context), where in source_messages.items()
        if catalog.get(msgid, context) is None
    )
    assert not missing, (
        f"{len(missing)} msgid(s) from the source are not in {path.relative_to(ROOT)}:\n  "
        + "\n  ".join(missing) + f"\n{HOW_TO_FIX}"
    )
    stale = sorted(_describe(m.id if isinstance(m.id, str) else m.id[0]) for m in _messages(catalog)
                   if ((m.id if isinstance(m.id, str) else m.id[0]), m.context) not in source_messages)
    if stale:
        warnings.warn(f"{path.relative_to(ROOT)} still has {len(stale)} msgid(s) no longer in the source: "
                      f"{', '.join(stale)}. {HOW_TO_FIX}", stacklevel=1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_header(language):
    catalog = _read(_po_path(language), language)
    assert str(catalog.locale) == language
    assert catalog.plural_forms == PLURAL_FORMS[language]
    assert catalog.charset.lower() == "utf-8"
    assert not catalog.obsolete, f"obsolete (#~) entries in {language}: run `bash locales/update.sh`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_is_translated(language):
    catalog = _read(_po_path(language), language)
    untranslated = [_describe(m.id) for m in _messages(catalog) if not all(form.strip() for form in _forms(m.string))]
    fuzzy = [_describe(m.id) for m in _messages(catalog) if m.fuzzy]
    problems = [f"untranslated: {text}" for text in untranslated] + [f"fuzzy (review, then drop the flag): {text}" for text in fuzzy]
    assert not problems, f"locales/{language}: {len(problems)} entries to fix:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_commands_emojis_and_lines(language):
    catalog = _read(_po_path(language), language)
    problems = []
    for message in _messages(catalog):
        source = _forms(message.id)[0]
        for text in _forms(message.string):
            if not text:
                continue  # untranslated: reported by the test above (and fine for Spanish)
            label = _describe(source)
            try:
                fields, expected = _fields(text), _fields(source)
            except ValueError as error:
                problems.append(f"{label}: braces do not parse ({error}); write a literal brace as {{{{ or }}}}")
                continue
            if fields != expected:
                problems.append(f"{label}: placeholders {sorted(fields)} should be {sorted(expected)}")
            if set(COMMAND.findall(text)) != set(COMMAND.findall(source)):
                problems.append(f"{label}: commands {sorted(set(COMMAND.findall(text)))} "
                                f"should be {sorted(set(COMMAND.findall(source)))} (command names are not translated)")
            if text.count("\n") != source.count("\n"):
                problems.append(f"{label}: {text.count(chr(10)) + 1} lines, the source has {source.count(chr(10)) + 1}")
            if _emojis(text) != _emojis(source):
                problems.append(f"{label}: emojis {''.join(sorted(_emojis(text)))!r} "
                                f"should be {''.join(sorted(_emojis(source)))!r}")
            if text[:1].isspace() != source[:1].isspace() or text[-1:].isspace() != source[-1:].isspace():
                problems.append(f"{label}: leading/trailing whitespace differs from the source")
    assert not problems, f"locales/{language}: {len(problems)} problem(s):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_compiles(language):
    catalog = _read(_po_path(language), language)
    errors = [f"{_describe(_forms(message.id)[0])}: {'; '.join(map(str, errs))}" for message, errs in catalog.check()]
    assert not errors, f"babel's checks failed for {language}:\n  " + "\n  ".join(errors)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    for message in _messages(catalog):
        if isinstance(message.id, str) and message.string and not message.fuzzy:
            assert compiled.gettext(message.id) == message.string


def test_supported_locales_have_catalogs():
    from bot.settings import SUPPORTED_LOCALES

    on_disk = {path.parent.parent.name for path in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    assert on_disk == set(SUPPORTED_LOCALES) == set(LANGUAGES)


def test_build_i18n_serves_every_language():
    from bot.i18n import build_i18n

    i18n = build_i18n("es")
    assert set(LANGUAGES) <= set(i18n.available_locales)
    sample = "Cambiar idioma"  # a command description every menu shows
    assert i18n.gettext(sample, locale="es") == sample
    assert i18n.gettext(sample, locale="ht") == "Chanje lang"
    assert i18n.gettext(sample, locale="en") == "Change language"
    for language in TRANSLATED:
        for message in _messages(_read(_po_path(language), language)):
            if isinstance(message.id, str):
                assert i18n.gettext(message.id, locale=language) == message.string, (language, message.id)
                assert i18n.gettext(message.id, locale="es") == message.id
