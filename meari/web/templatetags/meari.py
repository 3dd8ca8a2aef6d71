"""Template helpers: ``{% asset "web/app.css" %}`` gives the hashed URL of a vendored static file."""

from __future__ import annotations

from django import template

from meari.web import static

register = template.Library()


@register.simple_tag
def asset(name: str) -> str:
    return static.url(name)
