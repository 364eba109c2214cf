"""Fixtures the moderation tests share."""

import pytest

from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import an_article

from .factories import a_moderator
from .helpers import signed_in


@pytest.fixture
def article(network):
    """A Ledger article whose site's rules are set for tests (set_rules)."""
    article = an_article()
    set_rules(article)
    return article


@pytest.fixture
def moderator(network):
    return a_moderator()


@pytest.fixture
def kenji(network):
    """Kenji's signed-in client."""
    return signed_in("Kenji")[1]
