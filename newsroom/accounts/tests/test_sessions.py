"""Who is signed in is read with one prepared statement for the session and one for
the user (newsroom/accounts/backends.py): the same rules as Django's own backends,
proven through requests."""

import datetime

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from newsroom.accounts.backends import ModelBackend, SessionStore
from newsroom.accounts.tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def signed_in(client) -> bool:
    return client.get("/me/overlay/").json()["signed_in"]


def test_a_signed_in_request_reads_the_session_and_the_reader_once_each(
    ledger, make_reader, django_assert_num_queries
):
    make_reader("Aspen")
    sign_in(ledger, "Aspen")
    with django_assert_num_queries(2):
        ledger.get("/me/csrf/")
    assert signed_in(ledger)


def test_the_reader_read_is_the_reader_django_would_build(ledger, make_reader):
    aspen = make_reader("Aspen")
    sign_in(ledger, "Aspen")
    session = SessionStore(ledger.cookies["sessionid"].value)
    user = ModelBackend().get_user(session["_auth_user_id"])
    for field in type(aspen)._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(
            type(aspen).objects.get(pk=aspen.pk), field.attname
        ), field.name
    assert isinstance(user.date_joined, datetime.datetime)
    assert user.is_active is True


def test_an_expired_session_signs_nobody_in(ledger, make_reader):
    make_reader("Birch")
    sign_in(ledger, "Birch")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert not signed_in(ledger)


def test_a_deactivated_reader_is_signed_out_at_their_next_request(ledger, make_reader):
    birch = make_reader("Birch")
    sign_in(ledger, "Birch")
    assert signed_in(ledger)
    birch.is_active = False
    birch.save()
    assert not signed_in(ledger)


def test_a_password_changed_elsewhere_signs_this_browser_out(ledger, make_reader):
    cedar = make_reader("Cedar")
    sign_in(ledger, "Cedar")
    cedar.set_password("another-long-passphrase-52")
    cedar.save()
    assert not signed_in(ledger)


def test_sessions_begun_with_djangos_own_backends_stay_signed_in(ledger, make_reader):
    make_reader("Dogwood")
    sign_in(ledger, "Dogwood")
    assert signed_in(ledger)
    session = SessionStore(ledger.cookies["sessionid"].value)
    assert session[BACKEND_SESSION_KEY] == "newsroom.accounts.backends.ModelBackend"
    # As sessions begun before these backends were swapped in carry it.
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert signed_in(ledger)
