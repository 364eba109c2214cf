"""Signals other apps listen to; comments never import those apps.

``comment_quoted``
    Sent after a comment that quotes others is committed, once per quoted author
    (never to the comment's own author): ``comment``, ``recipient`` (a user) and
    ``sources`` (the quoted comments of that author). The alerts app turns it into
    a notification.
"""

from django.dispatch import Signal

comment_quoted = Signal()
