"""The two signals other apps receive to take part in a reader's privacy requests.

``personal_data``
    Sent when a reader downloads their data. Each receiver returns a pair
    ``(section_name, data)``, where *data* is anything ``json.dumps`` accepts; the
    export holds one top-level key per section. Comments, votes and subscriptions
    join the export this way::

        @receiver(personal_data)
        def export_comments(sender, user, **kwargs):
            return "comments", [...]

``account_deleting``
    Sent inside the deletion transaction, before the account row goes, with
    ``user`` and ``policies``: a dict of site id to the site's
    ``CommunitySettings.deleted_account_comments`` (``"keep"`` or ``"remove"``).
    Receivers keep or remove what the reader wrote accordingly.
"""

from django.dispatch import Signal

personal_data = Signal()
account_deleting = Signal()
