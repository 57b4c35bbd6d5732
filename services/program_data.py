"""The program data in force: the session catalog and its cadence, shipped or a unit's own files.

A unit points the bot at its own files with CATALOG_FILE / CADENCE_FILE (see README). `use_files` loads
and validates both at start-up, so a bad file stops the bot with its list of errors instead of
failing in the middle of someone's visit record.
"""
from pathlib import Path

from program.catalog import Catalog, load_catalog
from program.trajectory import Cadence, load_cadence

_in_force: dict[str, object] = {}


def use_files(*, catalog_file: str | Path | None = None, cadence_file: str | Path | None = None) -> Catalog:
    """Raises CatalogError / CadenceError (their .args[0] lists every problem) or OSError."""
    new_catalog = load_catalog(catalog_file or None)
    new_cadence = load_cadence(cadence_file or None, catalog=new_catalog)
    _in_force.update(catalog=new_catalog, cadence=new_cadence)
    return new_catalog


def catalog() -> Catalog:
    if "catalog" not in _in_force:
        use_files()
    found = _in_force["catalog"]
    assert isinstance(found, Catalog)
    return found


def cadence() -> Cadence:
    if "cadence" not in _in_force:
        use_files()
    found = _in_force["cadence"]
    assert isinstance(found, Cadence)
    return found
