"""manage.py restore: bring a backup back into an empty install."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups.manifest import BackupError
from newsroom.backups.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into an empty data directory (and, "
        "on PostgreSQL, the empty database DATABASE_URL names), checking every "
        "checksum and the database's row counts against the backup's manifest."
    )
    # The checks would open the database, and so create the SQLite file that a
    # restore into an empty data directory is about to put there.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the backup file")
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="the data directory to restore into (default: NEWSROOM_DATA_DIR)",
        )

    def handle(self, *args, backup, data_dir, **options):
        try:
            restore_backup(backup, data_dir=data_dir, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
