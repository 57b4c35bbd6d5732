#!/usr/bin/env bash
# Re-extract the translatable strings and merge them into every catalog (es, ht, en).
# Run from anywhere: `bash locales/update.sh`. Then translate the new/fuzzy entries of
# locales/ht and locales/en and run `python -m pytest tests/unit/test_translations.py -q`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYBABEL="${PYBABEL:-pybabel}"
POT=locales/messages.pot
VERSION="$(python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

# --add-location=file: translators see which file a string is in (context), but no line
# numbers, so an unrelated edit that shifts lines does not rewrite every catalog.
"$PYBABEL" -q extract -F babel.cfg -k T -k N_ -k _ -c i18n: --no-wrap --sort-by-file --add-location=file \
    --project=Acompaña --version="$VERSION" -o "$tmp" .

# Keep the committed template (and its POT-Creation-Date) when only that date changed.
if [[ -f "$POT" ]] && cmp -s <(grep -v '^"POT-Creation-Date:' "$tmp") <(grep -v '^"POT-Creation-Date:' "$POT"); then
    echo "$POT: no changes"
else
    cp "$tmp" "$POT"
    echo "$POT: updated"
fi

"$PYBABEL" -q update -i "$POT" -d locales -D messages --no-wrap --ignore-obsolete --ignore-pot-creation-date

grep -c '^msgid "' "$POT" | awk '{ print "msgids:", $1 - 1 }'
