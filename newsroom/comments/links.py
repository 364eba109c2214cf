"""Links other apps add to the foot of every comment (moderation adds Report).

comments knows nothing of the apps that act on a comment. Such an app registers a
template from its `AppConfig.ready()`; the foot of every comment includes it, after
comments' own links, with the comment's context (`comment`, `user`, `embed`, ...).
An anonymous reader's comment HTML is kept per version of the comment and shared
(comment_tags.comment_list), so a link must show the same to every anonymous
reader; what differs per reader comes with the overlay.
"""

_templates: list[str] = []


def register(template: str) -> None:
    if template not in _templates:
        _templates.append(template)


def registered() -> list[str]:
    return _templates
