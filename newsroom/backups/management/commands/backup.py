"""manage.py backup: a consistent copy of the running site, to restore elsewhere."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups.backup import make_backup
from newsroom.backups.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database (copied at one moment while the site runs), the "
        "uploaded media (renditions left out) and the generated secret key into one "
        "archive with a manifest of counts and checksums. docs/deployment.md, Backups."
    )
    # A backup must not wait on unrelated configuration problems.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="a directory for a dated backup, or the backup's file name "
            "(default: <data dir>/backups/)",
        )

    def handle(self, *args, output, **options):
        try:
            make_backup(output, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
