"""Moderators and sanctions for tests, made as the moderation desk makes them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from newsroom.accounts.tests.helpers import PASSWORD

from .. import sanctions
from ..models import MODERATORS_GROUP


def a_moderator(name="Moderator Ada"):
    user = get_user_model().objects.create_user(username=name, password=PASSWORD)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def sanction(reader, moderator, **options):
    """Sanction through the service, its commit callbacks run as after a request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return sanctions.sanction_reader(reader, moderator=moderator, **options)
