"""What every page view shares: login required, the store's refusals mapped to HTTP, the actor and state.

- ``workflow.Denied`` from a *read* (``get_campaign``/``get_version``...) → 404: a user learns nothing of
  another campaign, not even that it exists.
- ``workflow.Denied`` from an *action* → 403 with the rule's reason.
- ``MeariError`` (bad input) → 400 with ``WHERE: PROBLEM``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from meari.errors import MeariError


class NotFound(Exception):
    """A read the user may not make (or of something that does not exist): answered 404."""


def reading(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a ``workflow.get_*`` reader; its Denied becomes NotFound (404)."""
    from meari.campaign.workflow import Denied

    try:
        return fn(*args)
    except Denied as e:  # includes workflow.NotFound
        raise NotFound(e.reason) from None


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; NotFound → 404, Denied → 403, MeariError → 400, each as a page with the reason."""
    from meari.campaign import workflow

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, workflow.NotFound):
            return render(request, "404.html", status=404)
        except workflow.Denied as e:
            return render(request, "web/error.html", {"title": _("Not allowed"), "message": e.reason}, status=403)
        except MeariError as e:
            return render(request, "web/error.html", {"title": _("Not accepted"), "message": str(e)}, status=400)

    return wrapped


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


class refused:  # noqa: N801 - used as ``with refused() as r:``
    """Run a page's action; keep its refusal for the page to show instead of raising it.

    ``workflow.Denied`` (an action the rules refuse) leaves the rule's reason in ``r.problem``; a
    ``MeariError`` (bad input) its ``WHERE: PROBLEM``. ``workflow.NotFound`` still propagates: another
    campaign's object is a 404, whatever the action.
    """

    def __init__(self) -> None:
        self.problem = ""

    def __enter__(self) -> refused:
        return self

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: Any) -> bool:
        from meari.campaign import workflow

        if kind is None or isinstance(exc, workflow.NotFound):
            return False
        if isinstance(exc, workflow.Denied):
            self.problem = exc.reason
            return True
        if isinstance(exc, MeariError):
            self.problem = str(exc)
            return True
        return False
