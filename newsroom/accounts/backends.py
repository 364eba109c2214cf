"""Who is signed in, read on every signed-in request: the session row and the user
row, each by its key with one prepared statement.

Django reads both through the ORM, whose query compiler costs about a quarter of a
millisecond per query: more than half of what a signed-in request costs before its
view runs (an overlay, a vote). These read the same rows, by the same rules, with a
statement written once per database and the ORM's own converters applied to what
comes back, so the instances are exactly what the ORM would build.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends, get_user_model
from django.contrib.sessions.backends import db as db_sessions
from django.db import connections, router
from django.utils import timezone


class _ByKey:
    """`SELECT <every column> FROM <table> WHERE <key> = %s`, written per database."""

    def __init__(self, model, key: str, extra_where: str = ""):
        self.model, self.key, self.extra_where = model, key, extra_where
        self.prepared = {}

    def _prepare(self, alias):
        connection = connections[alias]
        quote = connection.ops.quote_name
        fields = self.model._meta.concrete_fields
        table = self.model._meta.db_table
        columns = ", ".join(f"{quote(table)}.{quote(f.column)}" for f in fields)
        meta = self.model._meta
        key_column = (meta.pk if self.key == "pk" else meta.get_field(self.key)).column
        # Only the model's own, quoted names are written into it; values are bound.
        sql = f"SELECT {columns} FROM {quote(table)} WHERE {quote(key_column)} = %s"  # noqa: S608
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col(table)
            found = connection.ops.get_db_converters(column)
            found += field.get_db_converters(connection)
            if found:
                converters.append((index, column, found))
        attnames = [f.attname for f in fields]
        self.prepared[alias] = (sql + self.extra_where, converters, attnames)
        return self.prepared[alias]

    def get(self, value, *extra):
        alias = router.db_for_read(self.model)
        sql, converters, attnames = self.prepared.get(alias) or self._prepare(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [value, *extra])
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for index, column, found in converters:
            for convert in found:
                row[index] = convert(row[index], column, connection)
        return self.model.from_db(alias, attnames, row)


_users = None


def _user(user_id):
    global _users
    if _users is None:
        _users = _ByKey(get_user_model(), "pk")
    try:
        user_id = get_user_model()._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 - a malformed id in a session: nobody
        return None
    return _users.get(user_id)


class _FastGetUser:
    def get_user(self, user_id):
        user = _user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_FastGetUser, backends.ModelBackend):
    """Django's username-and-password backend, reading the user by its key."""


class AuthenticationBackend(_FastGetUser, auth_backends.AuthenticationBackend):
    """allauth's backend (email sign-in, and every sign-in allauth performs)."""


class SessionStore(db_sessions.SessionStore):
    """Django's database sessions, the session read with one prepared statement."""

    _sessions = None

    @classmethod
    def _statement(cls):
        if cls._sessions is None:
            model = cls.get_model_class()
            quote = connections[router.db_for_read(model)].ops.quote_name
            expiry = quote(model._meta.get_field("expire_date").column)
            cls._sessions = _ByKey(model, "session_key", f" AND {expiry} > %s")
        return cls._sessions

    def _get_session_from_db(self):
        key = self.session_key
        if not key:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = self._statement().get(key, now)
        if found is None:
            self._session_key = None
        return found
