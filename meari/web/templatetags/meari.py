"""Template helpers: ``{% asset "web/app.css" %}`` gives the hashed URL of a vendored static file."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from meari.web import static

register = template.Library()


@register.simple_tag
def asset(name: str) -> str:
    return static.url(name)


_KINDS = {
    "appeal-leaflet": _("appeal leaflet"), "safe-conduct": _("safe-conduct pass"),
    "instructions": _("instructions leaflet"), "imposed": _("imposed print sheet"), "audio": _("broadcast audio"),
    "range": _("loudspeaker range plan"), "drift": _("leaflet drift plan"),
}
_SEVERITIES = {"error": _("error"), "warning": _("warning"), "info": _("info"), "fixed": _("fixed"),
               "accepted": _("accepted")}


@register.filter
def kind(value: str) -> str:
    """A product kind's name in the page's language (the id stays visible in the data attributes)."""
    return str(_KINDS.get(value, value))


@register.filter
def severity(value: str) -> str:
    return str(_SEVERITIES.get(value, value))
