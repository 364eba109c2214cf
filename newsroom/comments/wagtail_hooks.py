"""Comments' share of serving Wagtail's pages."""

from wagtail import hooks

from .pages import is_commentable
from .views import remembered_sort


@hooks.register("before_serve_page")
def decide_the_sort(page, request, serve_args, serve_kwargs):
    """An article is Wagtail's view, not ours: the reader's sort for its discussion
    is decided (and remembered for a signed-in reader) here, before rendering."""
    if is_commentable(page):
        request.comments_sort = remembered_sort(request)
