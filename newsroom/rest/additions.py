"""Fields of a Router's answers that apps above its own fill in.

A Router answers for its own app's rows, but v1's documents also carry facts only
higher apps know: an article's comment count and whether its comments are closed
(comments), a reader's unread notifications (alerts). The lower app may not import
those apps (docs/architecture.md, "Layers"). So its Router declares the fields in its
schema and offers an `Additions`; the higher app registers a function from its
`AppConfig.ready()`, as it fills `news.listings` for the HTML pages.
"""

from collections.abc import Callable


class Additions:
    """Functions `add(request, obj) -> {field: value}` for one kind of answer.

    One that serves a list is called once per row, so it must read nothing per row:
    it takes what an annotation of the list's query already holds (`news.listings`)."""

    def __init__(self):
        self._added: list[Callable] = []

    def register(self, add: Callable) -> Callable:
        if add not in self._added:
            self._added.append(add)
        return add

    def fields(self, request, obj) -> dict:
        """What every registered function adds for `obj`, in registration order."""
        found = {}
        for add in self._added:
            found.update(add(request, obj))
        return found
