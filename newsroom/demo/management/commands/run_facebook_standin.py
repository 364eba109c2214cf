from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.demo.facebook import LABEL, demo_standin


class Command(BaseCommand):
    help = (
        "Serve the demo's stand-in for Facebook on 127.0.0.1 (make demo starts it "
        "when NEWSROOM_DEMO_FACEBOOK is set); run load_demo first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            help="Port to listen on (default: NEWSROOM_DEMO_FACEBOOK's).",
        )

    def handle(self, *args, port, **options):
        if port is None:
            port = urlsplit(settings.NEWSROOM_DEMO_FACEBOOK).port
        if port is None:
            raise CommandError("Give --port, or set NEWSROOM_DEMO_FACEBOOK.")
        try:
            standin = demo_standin(port=port)
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{LABEL}: {standin.base_url}/")
        self.stdout.flush()
        try:
            standin.serve()
        except KeyboardInterrupt:
            pass
