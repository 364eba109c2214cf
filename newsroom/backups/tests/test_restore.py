"""`manage.py restore` refuses what it cannot restore whole, and then changes nothing:
a data directory in use, a backup cut short or damaged, and archives that try to
write outside the directory they are restored into."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .conftest import files_in


@pytest.fixture
def target(settings, tmp_path) -> Path:
    """An empty data directory beside which nothing else exists yet; uploads go
    into it as they do by default (the suite keeps its own elsewhere)."""
    settings.MEDIA_ROOT = settings.DATA_DIR / "media"
    (tmp_path / "restored").mkdir()
    return tmp_path / "restored"


def restore(archive, target):
    call_command("restore", str(archive), data_dir=str(target), stdout=io.StringIO())


def refused(archive, target) -> str:
    with pytest.raises(CommandError) as refusal:
        restore(archive, target)
    return str(refusal.value)


def rewritten(source: Path, target: Path, *, change=None, add=(), edit=None) -> Path:
    """A copy of the backup `source`: each file's bytes passed through `change`
    (name, bytes) → bytes, the members `add` ((TarInfo, bytes)) put before the
    manifest, which lists them as a backup's own files (size and checksum right),
    and the manifest then passed through `edit`."""
    with tarfile.open(source) as original, tarfile.open(target, "w:gz") as copy:
        for member in original:
            data = original.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                for info, content in add:
                    copy.addfile(info, io.BytesIO(content))
                    manifest["files"][info.name] = {
                        "size": len(content),
                        "sha256": hashlib.sha256(content).hexdigest(),
                    }
                if edit:
                    edit(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            elif change:
                data = change(member.name, data)
            copy.addfile(member, io.BytesIO(data))
    return target


def entry(name, content=b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(content)
    return info, content


def test_a_data_directory_in_use_is_refused_and_left_as_it_was(demo_backup, target):
    (target / "newsroom.sqlite3").write_bytes(b"the live site's database")

    message = refused(demo_backup, target)

    assert "is not empty (newsroom.sqlite3)" in message
    assert "Nothing was restored" in message
    assert [path.name for path in target.iterdir()] == ["newsroom.sqlite3"]
    assert (target / "newsroom.sqlite3").read_bytes() == b"the live site's database"


def test_a_backup_cut_short_is_refused(demo_backup, target, tmp_path):
    data = demo_backup.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])

    message = refused(cut, target)

    assert "is not a complete Newsroom backup" in message
    assert "cut short" in message
    assert list(target.iterdir()) == []


def test_a_damaged_file_is_refused_by_its_checksum(demo_backup, target, tmp_path):
    def flip_one_byte_of_the_database(name, data):
        if name.startswith("database/"):
            middle = len(data) // 2
            return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
        return data

    damaged = rewritten(
        demo_backup, tmp_path / "damaged.tar.gz", change=flip_one_byte_of_the_database
    )

    message = refused(damaged, target)

    assert "database/default.sqlite3 does not match its checksum" in message
    assert list(target.iterdir()) == []


def test_a_manifest_sending_the_database_elsewhere_is_refused(
    demo_backup, target, tmp_path
):
    def database_outside(manifest):
        manifest["databases"]["default"]["file"] = "../../outside.sqlite3"

    edited = rewritten(demo_backup, tmp_path / "edited.tar.gz", edit=database_outside)
    before = files_in(tmp_path)

    message = refused(edited, target)

    assert "manifest is incomplete: refused" in message
    assert files_in(tmp_path) == before
    assert list(target.iterdir()) == []


def test_a_file_the_manifest_does_not_list_is_refused(demo_backup, target, tmp_path):
    sneaked = tmp_path / "sneaked.tar.gz"
    with tarfile.open(sneaked, "w:gz") as copy, tarfile.open(demo_backup) as original:
        info, content = entry("media/unlisted.html", b"<script>1</script>")
        copy.addfile(info, io.BytesIO(content))
        for member in original:
            copy.addfile(member, original.extractfile(member))

    message = refused(sneaked, target)

    assert "media/unlisted.html is not listed" in message
    assert list(target.iterdir()) == []


# Entries that would land in `outside` (the folder holding the target), unpacked
# naively: the restore unpacks into a hidden folder of the target.
HOSTILE = {
    "a path up and out": lambda outside: [
        entry("media/../../../escaped.txt", b"outside")
    ],
    "an absolute path": lambda outside: [entry(f"{outside}/escaped.txt", b"outside")],
    "a symlink out, then a file through it": lambda outside: [
        entry("media/documents", kind=tarfile.SYMTYPE, link="../../../"),
        entry("media/documents/escaped.txt", b"outside"),
    ],
    "a hard link to a file outside": lambda outside: [
        entry("media/escaped.txt", kind=tarfile.LNKTYPE, link="/etc/hostname"),
    ],
}


@pytest.mark.parametrize("entries", HOSTILE.values(), ids=HOSTILE.keys())
def test_an_archive_reaching_outside_its_target_is_refused(
    demo_backup, target, tmp_path, entries
):
    hostile = rewritten(demo_backup, tmp_path / "hostile.tar.gz", add=entries(tmp_path))
    before = files_in(tmp_path)

    message = refused(hostile, target)

    assert "refused. Nothing was restored." in message
    assert files_in(tmp_path) == before
    assert list(target.iterdir()) == []
