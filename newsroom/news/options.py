"""Switches on a page's edit form that an app above news keeps in its own tables.

An article can have its comments closed and be sent as a breaking alert, yet news
knows nothing of comments or alerts. The app that owns the switch registers it for
the page types it applies to, from its `AppConfig.ready()`:

    options.add(ArticlePage, PageOption(...), place=options.SETTINGS)

The switch shows as a checkbox on the page's Content or Settings tab. When the
editor saves the page (a draft or a publish), `apply` hands the ticked value to the
owner's `write`, which stores it where the owner keeps it; an invalid form saves
nothing, so nothing is written either. Unlike a page field, the value is not part
of the page's revisions: closing comments takes effect on save, without publishing.
Wagtail's autosave changes no option: only a save or publish the editor asks for.

Wagtail announces a publish (`page_published`) before it runs the after-save hooks,
so a receiver that acts on publish asks `submitted(option, page)` first: what the
editor's form says now, or None when no form is being saved for that page. `write`
learns whether the save published the page (`publishing`) from Wagtail's own
announcement, not from the button pressed: Wagtail saves a draft instead when the
editor may not publish, and only schedules the publish of a future go-live time.

An option may be changeable by some editors only (`may_change(page, user)`); the
others see its value, locked.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django import forms
from django.core.signals import request_started
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.signals import page_published

CONTENT = "content_panels"
SETTINGS = "settings_panels"

LOCKED = _("Only an editor who may publish this page can change this.")


@dataclass(frozen=True)
class PageOption:
    """A checkbox headed `heading`: `read(page) -> bool` gives its value,
    `write(page, value, *, user, publishing)` stores it, and `may_change(page,
    user)` (None: anyone who may edit the page) says who may change it."""

    name: str
    heading: str
    label: str
    help_text: str
    read: Callable
    write: Callable
    may_change: Callable | None = None

    @property
    def prefix(self) -> str:
        return f"option-{self.name}"

    def changeable_by(self, page, user) -> bool:
        return self.may_change is None or bool(self.may_change(page, user))


class _OptionForm(forms.Form):
    value = forms.BooleanField(required=False)


def _form(option: PageOption, page, data=None, *, locked=False) -> _OptionForm:
    form = _OptionForm(
        None if locked else data,
        prefix=option.prefix,
        initial={"value": bool(page.pk) and option.read(page)},
    )
    field = form.fields["value"]
    field.label = option.label
    field.help_text = f"{option.help_text} {LOCKED}" if locked else option.help_text
    field.disabled = locked
    return form


class OptionPanel(Panel):
    """The checkbox of one PageOption on a page's edit form."""

    def __init__(self, option: PageOption, **kwargs):
        kwargs.setdefault("heading", option.heading)
        super().__init__(**kwargs)
        self.option = option

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "option": self.option}

    class BoundPanel(Panel.BoundPanel):
        template_name = "news/admin/option_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            option, request = self.panel.option, self.request
            posted = request is not None and request.method == "POST"
            locked = not option.changeable_by(
                self.instance, getattr(request, "user", None)
            )
            form = _form(
                option,
                self.instance,
                request.POST if posted else None,
                locked=locked,
            )
            context["field"] = form["value"]
            context["shown"] = "" if locked else f"{option.prefix}-shown"
            return context


_options: dict[type, list[PageOption]] = {}


def add(model, option: PageOption, *, place: str = SETTINGS) -> None:
    """Show `option` on `model`'s edit form, at the end of the `place` tab."""
    if option in _options.setdefault(model, []):
        return
    _options[model].append(option)
    setattr(model, place, [*getattr(model, place), OptionPanel(option)])


def options_for(page) -> list[PageOption]:
    return [
        option
        for model, options in _options.items()
        if isinstance(page, model)
        for option in options
    ]


# What the edit form being saved in this request says, (page id, {name: value}),
# and the pages Wagtail published while serving it.
_submitted: ContextVar[tuple | None] = ContextVar("newsroom_page_options", default=None)
_published: ContextVar[frozenset] = ContextVar(
    "newsroom_pages_published", default=frozenset()
)


def _forget(**kwargs) -> None:
    # A thread serves many requests: none sees another's form or publish.
    _submitted.set(None)
    _published.set(frozenset())


def _note_publish(sender, instance, **kwargs) -> None:
    _published.set(_published.get() | {instance.pk})


request_started.connect(_forget, dispatch_uid="newsroom.news.options")
page_published.connect(_note_publish, dispatch_uid="newsroom.news.options")


def _asked_by_editor(request) -> bool:
    """A save the editor asked for, not Wagtail's autosave (which wants JSON)."""
    return request.method == "POST" and request.accepts("text/html")


def _posted(request, page) -> dict:
    values = {}
    for option in options_for(page):
        if not option.changeable_by(page, request.user):
            continue  # shown locked: nothing this editor sends changes it
        if f"{option.prefix}-shown" in request.POST:
            form = _form(option, page, request.POST)
            form.is_valid()  # an unticked or garbled checkbox reads as False
            values[option] = bool(form.cleaned_data.get("value"))
    return values


def remember(request, page) -> None:
    """Before Wagtail saves an existing page's form: note what it says."""
    if _asked_by_editor(request) and page.pk:
        posted = _posted(request, page)
        _submitted.set((page.pk, {option.name: on for option, on in posted.items()}))


def submitted(option: PageOption, page) -> bool | None:
    """The value the editor's form gives `option` for `page`, while that form is
    being saved; None otherwise."""
    pending = _submitted.get()
    if pending is None or pending[0] != page.pk:
        return None
    return pending[1].get(option.name)


def apply(request, page) -> None:
    """Store the options the editor saw on the form they just saved (one the form
    did not show, or showed locked, keeps its value)."""
    _submitted.set(None)
    if not _asked_by_editor(request):
        return
    publishing = page.pk in _published.get()
    for option, value in _posted(request, page).items():
        option.write(page, value, user=request.user, publishing=publishing)
