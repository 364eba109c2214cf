"""Subscriptions and breaking articles for tests: subscribers as a confirmation
leaves them, articles published as editors publish them."""

from django.utils import timezone

from newsroom.news.models import ArticlePage
from newsroom.news.tests.factories import draft_article

from ..breaking import request_breaking_alert
from ..models import Subscriber, Subscription


def subscribed(email, site, *, confirmed=True, time_zone="", sections=(), **options):
    """An address subscribed to `site` as a confirmed (or pending) double opt-in
    leaves it; `options` are the Subscription's fields (breaking, digest, …)."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email, defaults={"time_zone": time_zone}
    )
    subscription = Subscription.objects.create(
        subscriber=subscriber,
        site=site,
        invited_at=timezone.now(),
        confirmed_at=timezone.now() if confirmed else None,
        **options,
    )
    subscription.sections.set(sections)
    return subscription


def publish_breaking(section_page, title, *, slug, breaking=True):
    """Write and publish an article with "send as breaking alert" ticked, by
    Wagtail's publish path as the editor's Publish button does."""
    article = draft_article(
        section_page,
        title,
        slug=slug,
        authors=0,
        standfirst=f"What to know about {title.lower()}.",
    )
    request_breaking_alert(article, breaking)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def republish(article):
    article.title = article.title + " (updated)"
    article.save_revision().publish()
