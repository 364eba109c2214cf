"""Fixtures the moderation tests share."""

import pytest

from .factories import a_moderator
from .helpers import signed_in


@pytest.fixture
def moderator(network):
    return a_moderator()


@pytest.fixture
def kenji(network):
    """Kenji's signed-in client."""
    return signed_in("Kenji")[1]
