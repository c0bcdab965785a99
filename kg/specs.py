"""The declarative files of the outputs (``kg/exports/*.toml``: the ledger's columns, kg diff's
method) read and checked on load: a mistake is one RuleFileError naming the file, the key and what
it may be."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Callable

from .errors import RuleFileError

Fail = Callable[[str, str], RuleFileError]

# What a key may hold, as a message says it. (int, float): a number, written 1 or 0.35.
TOML_TYPES = {str: "a string", int: "an integer", (int, float): "a number", bool: "true or false", list: "an array", dict: "a table"}


def read_spec(path: Path, what: str) -> tuple[dict, Fail]:
    """The file's tables, and ``fail(key, message)``, the error that names the file and the key."""

    def fail(key: str, message: str) -> RuleFileError:
        return RuleFileError(f"{key}: {message}", str(path))

    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), fail
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(f"cannot read the {what} file: {exc}", str(path)) from None


def check_keys(table: dict, kinds: dict[str, type | tuple[type, ...]], prefix: str, required: set[str], fail: Fail) -> None:
    """Only the keys of ``kinds``, each of its kind, and every ``required`` one. ``prefix``: "" for
    the file's own keys, "columns[2]." for a table's in an array."""
    unknown, missing = sorted(set(table) - set(kinds)), sorted(required - set(table))
    if unknown:
        raise fail(prefix + unknown[0], f"unknown key; the keys are: {', '.join(kinds)}")
    if missing:
        raise fail(prefix + missing[0], "missing")
    for key, value in table.items():
        kind = kinds[key]
        # true and false are ints to Python, never numbers to a reader
        if not isinstance(value, kind) or (kind in (int, (int, float)) and isinstance(value, bool)):
            raise fail(prefix + key, f"must be {TOML_TYPES[kind]}, got {value!r}")
