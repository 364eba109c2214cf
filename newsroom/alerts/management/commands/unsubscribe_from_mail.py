"""Act on List-Unsubscribe's mailto: pipe each message to this command.

The alerts' List-Unsubscribe header offers `mailto:unsubscribe@…?subject=unsubscribe
TOKEN`. Route that mailbox to this command (a Postfix alias such as
`unsubscribe: "|/srv/newsroom/.venv/bin/python /srv/newsroom/manage.py
unsubscribe_from_mail"`), and each message's token unsubscribes like a click on the
link. It exits 0 for a message it cannot use, so the mail server does not bounce it
back to the reader."""

import email
import re
import sys
from email import policy

from django.core.management.base import BaseCommand

from newsroom.alerts import subscriptions, tokens

TOKEN = re.compile(r"unsubscribe\s+([A-Za-z0-9_\-:.]+)", re.IGNORECASE)


class Command(BaseCommand):
    help = "Unsubscribe from the token in a mailed unsubscribe request (on stdin)."

    def handle(self, *args, **options):
        message = email.message_from_binary_file(
            sys.stdin.buffer, policy=policy.default
        )
        found = TOKEN.search(str(message["Subject"] or ""))
        if not found:
            self.stderr.write("no unsubscribe token in the subject")
            return
        try:
            subscription, kind = subscriptions.subscription_to_leave(found.group(1))
        except tokens.InvalidLink as error:
            self.stderr.write(str(error))
            return
        subscriptions.unsubscribe(subscription, kind)
        self.stdout.write(f"unsubscribed subscription {subscription.pk} from {kind}")
