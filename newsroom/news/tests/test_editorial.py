"""Editors' side: roles, workflow, required fields, scheduled publishing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Workflow

from newsroom.news.models import ArticlePage, Author, SchedulerRun, SectionPage

from .admin_forms import add_url, article_form, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(network):
    return SectionPage.objects.get(slug="world", url_path__startswith="/ledger/")


def test_roles_and_workflow_exist():
    assert Group.objects.filter(name__in=["Writers", "Editors"]).count() == 2
    workflow = Workflow.objects.get(name="Editorial review")
    assert [t.specific.groups.get().name for t in workflow.tasks] == ["Editors"]


def test_writer_submits_and_editor_publishes(client, world):
    sign_in(client, "writer")
    response = client.post(add_url(world), article_form(**{"action-submit": "Submit"}))
    assert response.status_code == 302, response.content[:3000]
    article = ArticlePage.objects.get(slug="council-approves-new-ferry-timetable")
    assert not article.live
    assert article.current_workflow_state.status == "in_progress"
    # a writer cannot publish directly
    response = client.post(
        add_url(world),
        article_form(slug="second-try", **{"action-publish": "Publish"}),
    )
    second = ArticlePage.objects.get(slug="second-try")
    assert not second.live

    client.logout()
    sign_in(client, "editor")
    task_state = article.current_workflow_task_state
    response = client.post(
        f"/cms/pages/workflow/action/{article.pk}/approve/{task_state.pk}/",
        {"comment": "Good to go"},
    )
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live
    assert client.get(article.url, HTTP_HOST="ledger.localhost").status_code == 200


@pytest.mark.parametrize("missing", ["title", "standfirst", "article_authors-0-author"])
def test_editor_form_rejects_missing_required_fields(client, world, missing):
    sign_in(client, "editor")
    data = article_form(**{missing: "", "action-publish": "Publish"})
    response = client.post(add_url(world), data)
    assert response.status_code == 200
    assert b"The page could not be created due to validation errors" in response.content
    assert b"This field is required" in response.content
    assert not ArticlePage.objects.filter(slug=data["slug"]).exists()


def test_scheduled_article_goes_live_when_the_scheduler_runs(client, world):
    sign_in(client, "editor")
    go_live = timezone.localtime(timezone.now() + timedelta(minutes=1))
    response = client.post(
        add_url(world),
        article_form(
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "Publish"},
        ),
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="council-approves-new-ferry-timetable")
    assert not article.live and article.go_live_at

    call_command("run_scheduler", "--once")
    article.refresh_from_db()
    assert not article.live  # not yet due

    # Let the minute pass: move the scheduled time on the page and its revision
    # into the past.
    past = timezone.now() - timedelta(seconds=5)
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=past)
    revision = article.latest_revision
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("run_scheduler", "--once")
    article.refresh_from_db()
    assert article.live


def test_dashboard_shows_when_the_scheduler_last_ran(client, network):
    sign_in(client, "editor")
    SchedulerRun.objects.all().delete()
    assert b"The scheduler has never run" in client.get("/cms/").content
    call_command("run_scheduler", "--once")
    body = client.get("/cms/").content.decode()
    assert "Scheduled publishing" in body and "Last run:" in body
    assert "looks stopped" not in body
    SchedulerRun.objects.update(last_run_at=timezone.now() - timedelta(hours=1))
    assert "looks stopped" in client.get("/cms/").content.decode()


def test_readers_never_reach_the_cms(client, django_user_model):
    reader = django_user_model.objects.create_user(
        "reader", "reader@example.com", "a-long-password-1"
    )
    client.force_login(reader)
    response = client.get("/cms/")
    assert response.status_code == 302 and "/cms/login/" in response["Location"]


def test_editor_previews_a_new_article_before_saving_it(client, world):
    sign_in(client, "editor")
    preview_url = add_url(world) + "preview/"
    form = article_form(title="Preview-only headline about ferries")
    response = client.post(preview_url, form)
    assert response.json()["is_valid"] is True
    response = client.get(preview_url)
    assert response.status_code == 200
    assert b"Preview-only headline about ferries" in response.content
    assert b"The council voted." in response.content
    assert not ArticlePage.objects.filter(
        title="Preview-only headline about ferries"
    ).exists()


def test_editor_previews_changes_to_a_published_article(client, world):
    sign_in(client, "editor")
    article = ArticlePage.objects.child_of(world).live().first()
    preview_url = f"/cms/pages/{article.pk}/edit/preview/"
    links = [link.author for link in article.article_authors.all()]
    form = article_form(
        title="Corrected headline",
        slug=article.slug,
        **{
            "article_authors-0-author": str(links[0].pk),
        },
    )
    assert client.post(preview_url, form).json()["is_valid"] is True
    response = client.get(preview_url)
    assert b"Corrected headline" in response.content
    article.refresh_from_db()
    assert article.title != "Corrected headline"  # the live page is untouched


def test_authors_with_the_same_name_get_distinct_addresses(client, network):
    sign_in(client, "editor")
    for _ in range(2):
        response = client.post(
            "/cms/snippets/news/author/add/", {"name": "Ken Mori", "slug": ""}
        )
        assert response.status_code == 302
    assert sorted(
        Author.objects.filter(name="Ken Mori").values_list("slug", flat=True)
    ) == [
        "ken-mori",
        "ken-mori-2",
    ]
    response = client.post(
        "/cms/snippets/news/author/add/", {"name": "???", "slug": ""}
    )
    assert Author.objects.get(name="???").slug == "author"


def test_a_section_cannot_take_a_slug_the_site_uses(client, world):
    sign_in(client, "editor")
    home = world.get_parent()
    response = client.post(
        f"/cms/pages/add/news/sectionpage/{home.pk}/",
        {
            "title": "Search",
            "slug": "search",
            "description": "",
            "action-publish": "Publish",
        },
    )
    assert response.status_code == 200
    assert "taken by the site" in response.content.decode()
    assert not SectionPage.objects.filter(slug="search").exists()


def test_brand_colour_must_keep_the_masthead_readable(client, network):
    from wagtail.models import Site

    sign_in(client, "editor")
    site = Site.objects.get(hostname="ledger.localhost")
    url = f"/cms/settings/news/newssitesettings/{site.pk}/"
    form = {
        "publisher_name": "Ledger Media Inc.",
        "tagline": "",
        "brand_colour": "#ffe066",
        "logo": "",
    }
    response = client.post(url, form)
    assert "hard to read" in response.content.decode()
    form["brand_colour"] = "#0b5394"
    assert client.post(url, form).status_code == 302
    assert (
        client.get("/", HTTP_HOST="ledger.localhost")
        .content.decode()
        .count("--brand: #0b5394")
        == 1
    )


def test_a_third_site_home_page_can_be_created_beside_the_others(network):
    from wagtail.models import Page

    from newsroom.news.models import HomePage

    assert HomePage.objects.count() == 2
    assert HomePage.can_create_at(Page.get_first_root_node())


def test_an_article_past_its_expiry_is_taken_down_by_the_scheduler(client, world):
    article = ArticlePage.objects.child_of(world).live().first()
    assert client.get(article.url, HTTP_HOST="ledger.localhost").status_code == 200
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(seconds=5)
    )
    call_command("run_scheduler", "--once")
    article.refresh_from_db()
    assert not article.live and article.expired
    assert client.get(article.url, HTTP_HOST="ledger.localhost").status_code == 404
