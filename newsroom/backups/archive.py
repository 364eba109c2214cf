"""The backup archive: written whole or not at all, and read back only if whole.

Writing goes to a hidden temporary name beside the backup's own, renamed to it once
the manifest, the last member, is in: a file under a backup's name is always a
complete one. Reading refuses anything a backup never holds (links, devices,
absolute paths, `..`) before it is unpacked, extracts with tarfile's `data` filter
as a second guard, and checks every file against the manifest's sizes and SHA-256.
"""

import gzip
import hashlib
import json
import os
import tarfile
import tempfile
import time
import zlib
from pathlib import Path, PurePosixPath

from .manifest import (
    DATABASES,
    FORMAT,
    MANIFEST,
    MEDIA,
    SECRET_KEY,
    BackupError,
    checksum,
)

# The only names at the top of a backup.
TOP_LEVEL = {DATABASES, MEDIA, SECRET_KEY, MANIFEST}
MANIFEST_MAX_BYTES = 64 << 20  # far above any real manifest; refuses a bogus one


class ArchiveWriter:
    """A backup being written to `final`: `add` files, then `finish(manifest)`.

    Used as a context manager, it removes the temporary file if the block fails.
    """

    def __init__(self, final: Path):
        self.final = final
        # mkstemp creates the file readable by its owner only: a backup holds
        # password hashes, addresses and possibly the secret key.
        handle, name = tempfile.mkstemp(
            dir=final.parent, prefix=f".{final.name}.", suffix=".partial"
        )
        self.partial = Path(name)
        self.stream = os.fdopen(handle, "wb")
        self.tar = tarfile.open(fileobj=self.stream, mode="w:gz")  # noqa: SIM115
        self.files: dict[str, dict] = {}

    def __enter__(self):
        return self

    def __exit__(self, error_type, error, traceback):
        if error_type is not None:
            self.discard()

    def add(self, path: Path, name: str) -> int:
        """Add the file at `path` as `name`; return its size."""
        with path.open("rb") as handle:
            info = self.tar.gettarinfo(arcname=name, fileobj=handle)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            reader = _HashingReader(handle)
            # A file that shrinks while it is read makes tarfile raise: the backup
            # fails rather than hold a file cut short.
            self.tar.addfile(info, reader)
        self.files[name] = {"size": info.size, "sha256": reader.hexdigest()}
        return info.size

    def finish(self, manifest: dict) -> Path:
        """Write `manifest` (with the files' checksums) and give the backup its name."""
        manifest = {**manifest, "files": dict(sorted(self.files.items()))}
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(time.time())
        self.tar.addfile(info, _BytesReader(data))
        self.tar.close()
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        if self.final.exists():
            raise BackupError(f"{self.final} appeared meanwhile; not overwritten.")
        os.replace(self.partial, self.final)
        _sync_directory(self.final.parent)
        return self.final

    def discard(self) -> None:
        try:
            self.tar.close()
        except (OSError, tarfile.TarError):
            pass  # the file goes anyway
        self.stream.close()
        self.partial.unlink(missing_ok=True)


class _HashingReader:
    """A file that hashes what tarfile reads from it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


class _BytesReader:
    def __init__(self, data: bytes):
        self.data = memoryview(data)

    def read(self, size=-1) -> bytes:
        size = len(self.data) if size < 0 else size
        chunk, self.data = self.data[:size], self.data[size:]
        return bytes(chunk)


def _sync_directory(path: Path) -> None:
    """Make a rename in `path` durable."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def unpack(archive: Path, into: Path) -> dict:
    """Extract the backup `archive` into the empty directory `into`; return its
    manifest once every file it lists is there, whole.

    Raises BackupError for a file that is not a complete Newsroom backup, or that
    holds anything it should not; `into` may then hold part of it (the caller
    removes it).
    """
    manifest = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = _checked_name(member, archive)
                if name == MANIFEST:
                    manifest = _read_manifest(tar, member, archive)
                else:
                    tar.extract(member, into, filter="data")
    except FileNotFoundError:
        raise BackupError(f"There is no file {archive}.") from None
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"{archive} is not a complete Newsroom backup: it is damaged or was cut "
            f"short ({error}). Nothing was restored."
        ) from None
    if manifest is None:
        raise BackupError(
            f"{archive} has no manifest: it was cut short, or is not a Newsroom "
            "backup. Nothing was restored."
        )
    _verify(manifest, into, archive)
    return manifest


def _checked_name(member: tarfile.TarInfo, archive: Path) -> str:
    name = member.name
    path = PurePosixPath(name)
    safe = (
        name == str(path)
        and not path.is_absolute()
        and ".." not in path.parts
        and path.parts[0] in TOP_LEVEL
    )
    if not safe:
        raise BackupError(
            f"{archive} holds an entry a Newsroom backup never has ({name!r}): "
            "refused. Nothing was restored."
        )
    if not member.isreg():
        raise BackupError(
            f"{archive} holds a link or special file ({name!r}); a Newsroom backup "
            "holds only plain files: refused. Nothing was restored."
        )
    return name


def _read_manifest(tar: tarfile.TarFile, member: tarfile.TarInfo, archive) -> dict:
    if member.size > MANIFEST_MAX_BYTES:
        raise BackupError(f"{archive}'s manifest is too large to be one.")
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except ValueError:
        raise BackupError(
            f"{archive}'s manifest is not valid JSON: refused. Nothing was restored."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(
            f"{archive} is in format {found!r}; this Newsroom reads {FORMAT!r}. "
            "Nothing was restored."
        )
    if not _complete(manifest):
        raise BackupError(
            f"{archive}'s manifest is incomplete: refused. Nothing was restored."
        )
    return manifest


def _complete(manifest: dict) -> bool:
    """Whether the manifest says all a restore needs: the files, and for each
    database its file (one of those), row counts and migrations."""
    files, databases = manifest.get("files"), manifest.get("databases")
    if not (isinstance(files, dict) and isinstance(databases, dict) and databases):
        return False
    if not all(isinstance(listed, dict) for listed in files.values()):
        return False
    return all(
        isinstance(described, dict)
        and isinstance(described.get("file"), str)
        and described["file"] in files
        and isinstance(described.get("counts"), dict)
        and isinstance(described.get("migrations"), dict)
        for described in databases.values()
    )


def _verify(manifest: dict, into: Path, archive: Path) -> None:
    """Every file the manifest lists is there with its size and checksum, and no
    other file is."""
    listed = manifest.get("files") or {}
    found = {
        path.relative_to(into).as_posix() for path in into.rglob("*") if path.is_file()
    }
    problems = [f"{name} is missing" for name in sorted(set(listed) - found)]
    problems += [f"{name} is not listed" for name in sorted(found - set(listed))]
    for name in sorted(set(listed) & found):
        path = into / name
        if path.stat().st_size != listed[name].get("size"):
            problems.append(f"{name} has the wrong size")
        elif checksum(path) != listed[name].get("sha256"):
            problems.append(f"{name} does not match its checksum")
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise BackupError(
            f"{archive} does not match its manifest: {shown}{more}. It is damaged; "
            "nothing was restored."
        )
