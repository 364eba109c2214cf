"""A backup of the demo as `manage.py backup` writes it, for the restore tests."""

import hashlib
from pathlib import Path

import pytest

from newsroom.demo.server import copy_demo, embedded_env, manage


@pytest.fixture(scope="session")
def demo_backup(demo_build, tmp_path_factory) -> Path:
    """A backup of a copy of the run's demo build (read it, do not change it)."""
    site = copy_demo(demo_build, tmp_path_factory.mktemp("backed-up-site"))
    output = tmp_path_factory.mktemp("backups")
    manage(
        "backup",
        "--output",
        f"{output}/",
        env=embedded_env(NEWSROOM_DATA_DIR=str(site)),
    )
    [archive] = output.glob("newsroom-backup-*.tar.gz")
    return archive


def files_in(folder: Path) -> dict[str, str]:
    """Every file under `folder`, by relative path, with its SHA-256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
