"""What every app's API Router shares: the conventions of the JSON API.

Routers live in the apps that own their domain (`news/api.py`, `comments/api.py`,
…) and `api/` mounts them; they cannot import `api/`, which sits above them all. So
the parts with no domain in them live here, in the infrastructure layer, with no
models and no app (docs/architecture.md):

- `conventions`: the problem document's schema, the ids, slugs and page numbers
  every operation accepts, and the address of another operation of the same API;
- `auth`: who may change something (a reader's session or personal token);
- `additions`: the registry through which apps above a router's own fill fields
  of its answers (comments adds comment counts to news' articles).
"""
