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

Wagtail announces a publish (`page_published`) before it runs the after-save hooks,
so a receiver that acts on publish asks `submitted(option, page)` first: what the
editor's form says now, or None when no form is being saved for that page.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django import forms
from django.core.signals import request_started
from wagtail.admin.panels import Panel

CONTENT = "content_panels"
SETTINGS = "settings_panels"


@dataclass(frozen=True)
class PageOption:
    """A checkbox headed `heading` on the form; `read(page) -> bool` gives its value
    and `write(page, value, *, user, publishing)` stores it."""

    name: str
    heading: str
    label: str
    help_text: str
    read: Callable
    write: Callable

    @property
    def prefix(self) -> str:
        return f"option-{self.name}"


class _OptionForm(forms.Form):
    value = forms.BooleanField(required=False)


def _form(option: PageOption, page, data=None) -> _OptionForm:
    form = _OptionForm(
        data,
        prefix=option.prefix,
        initial={"value": bool(page.pk) and option.read(page)},
    )
    form.fields["value"].label = option.label
    form.fields["value"].help_text = option.help_text
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
            posted = self.request is not None and self.request.method == "POST"
            form = _form(
                self.panel.option, self.instance, self.request.POST if posted else None
            )
            context["field"] = form["value"]
            context["shown"] = f"{self.panel.option.prefix}-shown"
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


# The values of the edit form being saved in this request: (page id, {name: value}).
_submitted: ContextVar[tuple | None] = ContextVar("newsroom_page_options", default=None)


def _forget(**kwargs) -> None:
    _submitted.set(None)  # a thread serves many requests: none sees another's form


request_started.connect(_forget, dispatch_uid="newsroom.news.options")


def _posted(request, page) -> dict:
    values = {}
    for option in options_for(page):
        if f"{option.prefix}-shown" in request.POST:
            form = _form(option, page, request.POST)
            form.is_valid()  # an unticked or garbled checkbox reads as False
            values[option] = bool(form.cleaned_data.get("value"))
    return values


def remember(request, page) -> None:
    """Before Wagtail saves an existing page's form: note what it says."""
    if request.method == "POST" and page.pk:
        _submitted.set(
            (page.pk, {o.name: v for o, v in _posted(request, page).items()})
        )


def submitted(option: PageOption, page) -> bool | None:
    """The value the editor's form gives `option` for `page`, while that form is
    being saved; None otherwise."""
    pending = _submitted.get()
    if pending is None or pending[0] != page.pk:
        return None
    return pending[1].get(option.name)


def apply(request, page) -> None:
    """Store the options the editor saw on the form they just saved (one the form
    did not show keeps its value)."""
    _submitted.set(None)
    for option, value in _posted(request, page).items():
        option.write(
            page,
            value,
            user=request.user,
            publishing="action-publish" in request.POST,
        )
