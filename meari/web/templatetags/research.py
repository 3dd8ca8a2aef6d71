"""Template tags that put research data beside existing pages with a one-line include:
``{% load research %}{% profile_sidebar %}`` in the editor, ``{% load research %}{% approval_pretests %}`` on the
approval page. They read through the research workflow as the logged-in user."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("web/research/_sidebar.html", takes_context=True)
def profile_sidebar(context: Any) -> dict:
    from meari.campaign.research import schema
    from meari.campaign.research import workflow as rw

    campaign, user = context.get("campaign"), context["request"].user
    items = []
    if campaign is not None:
        for p in rw.profiles_of(user, campaign):
            latest = rw.latest_profile(p)
            if latest is not None:
                items.append({"profile": p, "latest": latest, "claims": schema.claims(latest.data)})
    return {"campaign": campaign, "profiles": items}


@register.inclusion_tag("web/research/_approval.html", takes_context=True)
def approval_pretests(context: Any) -> dict:
    from meari.campaign.research import workflow as rw
    from meari.campaign.research.models import Pretest

    version, user = context.get("version"), context["request"].user
    if version is None:
        return {"summaries": [], "others": 0}
    others = Pretest.objects.filter(version__message_id=version.message_id).exclude(version=version).count()
    return {"summaries": rw.summaries_for_version(user, version), "others": others}


@register.filter
def dimension(value: str) -> str:
    """A pretest dimension's name in the user's language."""
    from django.utils.translation import gettext

    names = {"comprehension": gettext("comprehension"), "credibility": gettext("credibility"),
             "authenticity": gettext("authenticity"), "attractiveness": gettext("attractiveness"),
             "relevance": gettext("relevance"), "acceptance": gettext("acceptance"),
             "motivation": gettext("motivation")}
    return names.get(str(value), str(value))
