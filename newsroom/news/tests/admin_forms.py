"""The Wagtail admin's article forms as an editor's browser posts them, for tests of
the editors' side in any app (news' own fields, and the switches other apps add)."""

import json

from newsroom.news.models import Author

# What the rich-text editor posts for one plain paragraph.
DRAFTAIL_PARAGRAPH = {
    "blocks": [
        {
            "key": "a",
            "type": "unstyled",
            "depth": 0,
            "text": "The council voted.",
            "inlineStyleRanges": [],
            "entityRanges": [],
        }
    ],
    "entityMap": {},
}


def sign_in(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    return client


def article_form(**overrides):
    author = Author.objects.first()
    data = {
        "title": "Council approves new ferry timetable",
        "slug": "council-approves-new-ferry-timetable",
        "standfirst": "Morning sailings move earlier from April.",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": json.dumps(DRAFTAIL_PARAGRAPH),
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "article_authors-TOTAL_FORMS": "1",
        "article_authors-INITIAL_FORMS": "0",
        "article_authors-MIN_NUM_FORMS": "1",
        "article_authors-MAX_NUM_FORMS": "1000",
        "article_authors-0-author": str(author.pk),
        "article_authors-0-ORDER": "1",
        "article_authors-0-id": "",
        "article_authors-0-DELETE": "",
        "tags": "ferries",
        "wire_agency": "",
        "updated_at": "",
        "lead_image": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def edit_form(article, **overrides):
    """The edit form of `article` as the editor sends it back: its own headline,
    slug and byline rows, with `overrides`."""
    byline = article.article_authors.order_by("sort_order").first()
    return article_form(
        **{
            "title": article.title,
            "slug": article.slug,
            "article_authors-INITIAL_FORMS": "1",
            "article_authors-0-author": str(byline.author_id),
            "article_authors-0-id": str(byline.pk),
            **overrides,
        },
    )


def add_url(world):
    return f"/cms/pages/add/news/articlepage/{world.pk}/"
