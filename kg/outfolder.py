"""An output folder that changes all at once.

A build writes its files into a staging folder beside the output folder, then exchanges the two
in one rename, so that anyone reading the output sees the previous build or the new one, never
a mix, and a build that fails or is killed leaves the previous output as it was. Files in the
output folder that the build does not write are kept (hard links to them go into the staging
folder before the exchange), except in a folder the build owns, such as views/, files of the
kinds it writes there: the page of a project no longer found goes; and except the files only a
build writes (its exports): graph.nt that an earlier build wrote goes when this one is not asked
for it, rather than stay beside a graph.trig it no longer matches.

A staging folder is named for the process that made it (``.output.building-<pid>-<token>``); one
whose process is gone was left by a killed build and is removed by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

# renameat2(2)'s flag that swaps two paths in one step (Linux 3.15, glibc 2.28).
RENAME_EXCHANGE = 2
AT_FDCWD = -100
# What a folder the build owns (views/) holds of the build's own: the kinds of file it writes
# there. Other files in it are kept.
OWNED_SUFFIXES = frozenset({".html", ".js", ".css", ".json", ".png"})
# A file a build staged beside its target, ".graph.ttl.k3j2x9_a" (tempfile.mkstemp's 8 characters).
STAGED_FILE = re.compile(r"^\.(?P<target>.+)\.[A-Za-z0-9_]{8}$")


def _is_staged(path: Path) -> bool:
    """Whether ``path`` is a file a build staged beside a file it wrote (the file is there)."""
    match = STAGED_FILE.match(path.name)
    return match is not None and path.is_file() and (path.parent / match.group("target")).is_file()


class OutputFolder:
    """``with OutputFolder(out) as staging:`` write into ``staging``; on leaving without an
    error, ``out`` becomes what ``staging`` holds (plus the files of ``out`` kept, see ``keep``);
    on an error, ``out`` is left as it was and ``staging`` removed."""

    def __init__(self, out: Path, owned: tuple[str, ...] = (), replaced: tuple[str, ...] = ()):
        self.out = Path(os.path.abspath(out))
        self.owned = owned  # folders of ``out`` whose files a build writes all of (views/)
        # Files and folders of ``out`` that only a build writes: those it did not write this time go.
        self.replaced = tuple(Path(name) for name in replaced)
        self.staging = self.out.parent / f".{self.out.name}.building-{os.getpid()}-{secrets.token_hex(4)}"

    def _replaced(self, relative: Path) -> bool:
        return any(relative == name or name in relative.parents for name in self.replaced)

    def __enter__(self) -> Path:
        if self.out.exists() and not self.out.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(self.out))
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out)
        self.staging.mkdir()
        return self.staging

    def __exit__(self, kind, error, trace) -> None:
        if kind is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        try:
            if not self.out.is_dir():
                os.rename(self.staging, self.out)
            elif _holds(self.out, Path.cwd()):
                # The folder a shell stands in is not swapped from under it: file by file.
                self._merge()
            else:
                self._keep_previous()
                os.chmod(self.staging, stat.S_IMODE(self.out.stat().st_mode))
                try:
                    _exchange(self.staging, self.out)
                except OSError as exc:
                    if exc.errno not in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES):
                        raise
                    self._merge()  # a mount point, or a folder the system will not move
                    return
                shutil.rmtree(self.staging, ignore_errors=True)  # now the previous output
        except BaseException:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise

    def _merge(self) -> None:
        """Each staged file moved into place (the output changes file by file); in the folders
        the build owns, files it did not write go."""
        written = set()
        for path in sorted(self.staging.rglob("*")):
            if path.is_file() or path.is_symlink():
                target = self.out / path.relative_to(self.staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                written.add(target)
        for folder in self.owned:
            for path in sorted((self.out / folder).rglob("*"), reverse=True):
                if path.is_file() and path.suffix in OWNED_SUFFIXES and path not in written:
                    path.unlink()
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
        for name in self.replaced:
            path = self.out / name
            for found in sorted([*path.rglob("*"), path] if path.is_dir() else [path], reverse=True):
                if (found.is_file() or found.is_symlink()) and found not in written:
                    found.unlink()
                elif found.is_dir() and not any(found.iterdir()):
                    found.rmdir()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _keep_previous(self) -> None:
        """Hard links (copies across file systems) in the staging folder to what the previous
        output holds and this build did not write, outside the folders the build owns and but for
        the files only a build writes. A folder inside one the build owns is kept only for what it
        holds: an earlier build's folder of pages, emptied, goes."""
        for path in sorted(self.out.rglob("*")):
            relative = path.relative_to(self.out)
            owned = relative.parts[0] in self.owned and (path.suffix in OWNED_SUFFIXES or (path.is_dir() and not path.is_symlink()))
            if owned or _is_staged(path) or self._replaced(relative):
                continue
            target = self.staging / relative
            if path.is_dir() and not path.is_symlink():
                target.mkdir(exist_ok=True)
            elif not target.exists() and not target.is_symlink():
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(path, target)


def _holds(folder: Path, path: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it."""
    return path == folder or folder in path.parents


def _link_or_copy(source: Path, target: Path) -> None:
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step where the system can, else in two renames (the output is
    then missing for the moment between them)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None and renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return
    aside = b.parent / f"{a.name}.previous"
    os.rename(b, aside)
    try:
        os.rename(a, b)
    except BaseException:
        os.rename(aside, b)
        raise
    os.rename(aside, a)


def alive(pid: int) -> bool:
    """Whether a process ``pid`` runs (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(out: Path) -> None:
    """What killed builds left: their staging folders beside ``out`` (their process gone), and
    files a build of the per-file scheme staged inside it."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.building-(\d+)-[0-9a-f]+(?:\.previous)?$")
    for path in sorted(out.parent.glob(f".{out.name}.building-*")):
        match = pattern.match(path.name)
        if match and not alive(int(match.group(1))) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    if out.is_dir():
        for path in sorted(out.rglob(".*")):
            if _is_staged(path):
                path.unlink(missing_ok=True)
