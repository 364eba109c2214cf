"""Apps depend one way (docs/architecture.md, "Layers"): an app imports only apps in
lower layers, never a higher one or a neighbour in its own layer. A lower app offers
registries that higher apps fill from `AppConfig.ready()` instead.

Read from the source: every `import` of an app's Python modules (tests and
migrations aside) and every template tag library its templates load and every
template they include or extend.
"""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]

# Lowest first. The first layer is the project's infrastructure, which imports no app;
# rate limits sit just above it (their store registers a scheduler job) and below
# every app that limits anything.
LAYERS = (
    ("sqlite", "edge", "scheduler", "formats", "rest", "live"),
    ("ratelimit",),
    ("accounts", "news"),
    ("comments", "wire"),
    ("moderation", "interchange"),
    ("alerts", "trending"),
    ("api",),
    ("demo",),
    ("backups",),
)
LAYER = {app: height for height, apps in enumerate(LAYERS) for app in apps}

TEMPLATE_NAMES = re.compile(r"{%\s*(?:include|extends)\s+[\"']([\w\-]+)/")
TAG_LIBRARIES = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
URL_NAMES = re.compile(r"{%\s*url\s+[\"']([\w\-:]+)[\"']")
REVERSERS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}


def apps() -> list[str]:
    """Every package of the project but its tests: apps and infrastructure."""
    return sorted(
        path.name
        for path in PACKAGE.iterdir()
        if (path / "__init__.py").exists() and path.name != "tests"
    )


def own_files(app: str, pattern: str):
    for path in (PACKAGE / app).rglob(pattern):
        parts = path.relative_to(PACKAGE / app).parts
        if "tests" not in parts and "migrations" not in parts:
            yield path


def imported_apps(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "newsroom" and len(parts) > 1 and parts[1] in LAYER:
                found.add((parts[1], node.lineno))
    return found


def reversed_names(path: Path) -> set[str]:
    """The URL names a module reverses (`reverse("ns:name")`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        first = node.args[0]
        if name in REVERSERS and isinstance(first, ast.Constant):
            if isinstance(first.value, str) and "/" not in first.value:
                found.add(first.value)
    return found


def apps_by_url_name() -> dict[str, str]:
    """Each URL name (`ns:name`, or `name` outside any namespace) and, with `ns:`
    alone, each namespace, by the app whose views they route to."""
    from django.urls import URLResolver, get_resolver

    found = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
                continue
            parts = getattr(pattern.callback, "__module__", "").split(".")
            if parts[0] != "newsroom" or len(parts) < 2 or parts[1] not in LAYER:
                continue
            if namespace:
                found.setdefault(f"{namespace}:", parts[1])
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.setdefault(name, parts[1])

    walk(get_resolver().url_patterns, "")
    return found


def libraries_by_app() -> dict[str, str]:
    return {
        library.stem: app
        for app in LAYER
        for library in (PACKAGE / app / "templatetags").glob("*.py")
        if library.stem != "__init__"
    }


def wrong_way(app: str, other: str) -> bool:
    return other != app and LAYER[other] >= LAYER[app]


def test_every_app_has_a_layer():
    assert set(apps()) == set(LAYER)


def test_python_imports_run_down_the_layers():
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports newsroom.{other}"
        for app in LAYER
        for path in own_files(app, "*.py")
        for other, line in sorted(imported_apps(path))
        if wrong_way(app, other)
    ]
    assert wrong == []


def test_templates_name_only_lower_apps():
    libraries = libraries_by_app()
    wrong = []
    for app in LAYER:
        for path in own_files(app, "*.html"):
            text = path.read_text()
            named = set(TEMPLATE_NAMES.findall(text))
            for loaded in TAG_LIBRARIES.findall(text):
                named.update(libraries.get(name) for name in loaded.split())
            for other in sorted(name for name in named if name in LAYER):
                if wrong_way(app, other):
                    wrong.append(f"{path.relative_to(PACKAGE.parent)} names {other}")
    assert wrong == []


def test_addresses_named_run_down_the_layers():
    owners = apps_by_url_name()
    assert {"comments:", "moderation:", "embed:", "alerts:", "api_tokens"} <= set(
        owners
    )
    wrong = []
    for app in LAYER:
        files = [
            (path, set(URL_NAMES.findall(path.read_text())))
            for path in own_files(app, "*.html")
        ]
        files += [(path, reversed_names(path)) for path in own_files(app, "*.py")]
        for path, named in files:
            found = {
                owners.get(name, owners.get(name.split(":")[0] + ":")) for name in named
            }
            for other in sorted(found - {None}):
                if wrong_way(app, other):
                    wrong.append(f"{path.relative_to(PACKAGE.parent)} names {other}")
    assert wrong == []


def test_migrations_depend_only_on_lower_apps():
    """A migration that needs a higher app's migration to run first says so from the
    higher app (`run_before`), as that app's code would."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    wrong = [
        f"{app}.{name} depends on {other}.{other_name}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in LAYER
        for other, other_name in migration.dependencies
        if other in LAYER and LAYER[other] >= LAYER[app] and other != app
    ]
    assert wrong == []
