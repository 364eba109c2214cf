"""The editors' record of news alerts in the Wagtail admin: each mailing with what
its deliveries did; seen by editors, never by readers, and never edited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from conftest import LEDGER
from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import PASSWORD
from newsroom.news.tests.helpers import visible_text

from ..models import Alert, Delivery
from .conftest import section
from .factories import publish_breaking, subscribed


def cells(html: str, pattern: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(pattern, html, re.S)
    ]


def alert_row(response, subject) -> dict:
    """The admin list's row for `subject`, by column heading."""
    [html] = [
        table.split("</table>")[0]
        for table in response.content.decode().split("<table")[1:]
        if subject in table.split("</table>")[0]
    ]
    headings = cells(html.split("<tbody")[0], r"<th[^>]*>(.*?)</th>")
    rows = [
        cells(row, r"<td[^>]*>(.*?)</td>")
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html.split("<tbody")[1], re.S)
    ]
    [row] = [row for row in rows if any(subject in cell for cell in row)]
    return dict(zip(headings[-len(row) :], row, strict=True))


def staff(name, *, superuser=False, group=None) -> Client:
    """A browser signed in through the admin's sign-in page."""
    User = get_user_model()
    if superuser:
        User.objects.create_superuser(name, f"{name.lower()}@example.com", PASSWORD)
    else:
        user = User.objects.create_user(name, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    client = Client(HTTP_HOST=LEDGER)
    response = client.post(
        reverse("wagtailadmin_login"), {"username": name, "password": PASSWORD}
    )
    assert response.status_code == 302, name
    return client


@pytest.fixture
def sent_alert(smtp, sites, django_capture_on_commit_callbacks):
    ledger = sites["ledger"]
    for name in ("ines", "noor", "mina"):
        subscribed(f"{name}@example.org", ledger)
    subscribed("courier@example.org", sites["courier"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_breaking(
            section(ledger, "world"), "Harbour bridge reopens", slug="bridge"
        )
    assert len(smtp.messages) == 3
    return Alert.objects.get()


@pytest.mark.parametrize(
    "who", [{"superuser": True}, {"group": "Editors"}], ids=["superuser", "editor"]
)
def test_editors_see_each_alert_with_its_sent_count(who, sent_alert):
    client = staff("Edna", **who)
    index = reverse("news_alerts:index")

    response = client.get(index)

    assert response.status_code == 200
    row = alert_row(response, "Harbour bridge reopens")
    assert row["Site"].startswith("The Tokyo Ledger")
    assert (row["Kind"], row["Recipients"], row["Sent"]) == ("Breaking news", "3", "3")
    assert (row["Waiting"], row["Failed"], row["Skipped"]) == ("0", "0", "0")
    # The sidebar (drawn by script from the page's data) offers the list.
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "News alerts" in home and index in home.replace("\\/", "/")


def test_the_counts_follow_the_deliveries(sent_alert):
    Delivery.objects.filter(pk=sent_alert.deliveries.order_by("pk").first().pk).update(
        status=Delivery.Status.FAILED
    )
    client = staff("Edna", superuser=True)

    row = alert_row(client.get(reverse("news_alerts:index")), "Harbour bridge reopens")

    assert (row["Sent"], row["Failed"], row["Waiting"]) == ("2", "1", "0")


def test_alerts_are_a_record_not_editable(sent_alert):
    client = staff("Edna", group="Editors")

    assert client.get(reverse("news_alerts:add")).status_code in (302, 403)
    edit = client.post(
        reverse("news_alerts:edit", args=[sent_alert.pk]), {"subject": "Changed"}
    )
    assert edit.status_code in (302, 403)
    delete = client.post(reverse("news_alerts:delete", args=[sent_alert.pk]))
    assert delete.status_code in (302, 403)
    sent_alert.refresh_from_db()
    assert sent_alert.subject == "Harbour bridge reopens"
    assert Alert.objects.count() == 1
    inspect = client.get(reverse("news_alerts:inspect", args=[sent_alert.pk]))
    assert inspect.status_code == 200
    assert "Harbour bridge reopens" in visible_text(inspect)


def test_readers_and_strangers_are_refused(sent_alert):
    create_reader("Kenji")
    reader = Client(HTTP_HOST=LEDGER)
    reader.post("/accounts/login/", {"login": "Kenji", "password": PASSWORD})
    index = reverse("news_alerts:index")

    for client in (reader, Client(HTTP_HOST=LEDGER)):
        response = client.get(index)
        assert response.status_code == 302
        assert "Harbour bridge reopens" not in response.content.decode()
        page = client.get(index, follow=True)
        assert "Harbour bridge reopens" not in visible_text(page)
