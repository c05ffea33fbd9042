"""Enumerating the project's URL patterns, so a new view cannot be forgotten by the
authorisation matrix and the hostile-input tests."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def walk_patterns(
    patterns: list | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(namespaced name, route) for every URL pattern of the project."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from walk_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = p.name or "<unnamed>"
            yield (f"{namespace}:{name}" if namespace else name), prefix + str(p.pattern)


def route_of(name: str) -> str:
    for n, route in walk_patterns():
        if n == name:
            return route
    raise KeyError(name)
