"""What comments puts on an article page through news' slots (news.slots): the
count link in the article's head and the discussion after it, from one read of the
thread though both parts show it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import LEDGER
from newsroom.accounts.tests.factories import create_reader

from .factories import comment

pytestmark = pytest.mark.django_db


def test_the_count_link_and_the_discussion_come_from_one_read_of_the_thread(article):
    for number in range(3):
        comment(article, create_reader(f"Slot{number}"), f"Point {number}.")
    browser = Client(HTTP_HOST=LEDGER)
    path = article.url_path.removeprefix("/ledger")
    browser.get(path)  # what a running server holds anyway: templates, brand, sites
    with CaptureQueriesContext(connection) as captured:
        page = browser.get(f"{path}?fresh=1").content.decode()
    assert '<a class="comment-count" href="#comments">3 Comments</a>' in page
    assert '<section id="comments"' in page and "Point 2." in page
    threads = [
        query
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "comments_thread"')
    ]
    assert len(threads) == 1
    assert len(captured) <= 14  # the whole page, its three comments included
