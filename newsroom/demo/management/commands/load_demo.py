from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from newsroom.demo.facebook import LABEL
from newsroom.demo.loader import load_demo_network


class Command(BaseCommand):
    help = (
        "Load the demo network (two sister sites); running it again adds nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8000, help="Port the sites are served on."
        )

    def handle(self, *args, port, **options):
        network = load_demo_network(port=port)
        created = (
            ", ".join(f"{n} {what}" for what, n in network.created.items() if n)
            or "nothing new"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo network ready ({created})."))
        self.stdout.write("\nOpen the sister sites in a browser on this machine:")
        for site in network.sites.values():
            self.stdout.write(f"  {site.site_name:<28} http://{site.hostname}:{port}/")
        self.stdout.write(
            "  (*.localhost names resolve to this machine in Chromium, Firefox "
            "and curl;\n"
            f"   http://127.0.0.1:{port}/ shows the default site.)"
        )
        first_host = next(iter(network.sites.values())).hostname
        places = {
            "/cms/": "Editors' and moderators' admin",
            "/accounts/login/": "Readers sign in (display name or email)",
        }
        if network.discussions:
            self.stdout.write("\nDiscussions to read:")
            for count, article in network.discussions:
                label = f"{count:,} comments"
                self.stdout.write(f"  {label:<16} {article.get_full_url()}")
        for where, title in places.items():
            self.stdout.write(f"\n{title}: http://{first_host}:{port}{where}")
            for role, username, password, at in network.sign_ins:
                if at == where:
                    self.stdout.write(
                        f"  {role:<9} {username!r:<20} password {password}"
                    )
            if where == "/accounts/login/" and settings.NEWSROOM_DEMO_FACEBOOK:
                self.stdout.write(
                    '  "Continue with Facebook" signs up anyone, at the '
                    f"{LABEL}:\n  {settings.NEWSROOM_DEMO_FACEBOOK}/ (make demo "
                    "starts it beside the site)"
                )
            if where == "/cms/" and any(
                role == "Moderator" for role, *_rest in network.sign_ins
            ):
                queue = reverse("moderation_queue", args=["pending"])
                self.stdout.write(
                    f"  Moderation queue: http://{first_host}:{port}{queue}"
                )
