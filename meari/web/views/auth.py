"""Login (rate-limited), logout, CSRF failure page and the health check."""

from __future__ import annotations

import math

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST, require_safe

from meari.web import ratelimit

MAX_NAME = 150


def client_ip(request: HttpRequest) -> str:
    """The peer address gunicorn saw. Forwarded headers are not trusted: meari serves without a proxy."""
    return request.META.get("REMOTE_ADDR") or "unknown"


@never_cache
@csrf_protect
def login_view(request: HttpRequest) -> HttpResponse:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=False):
        nxt = ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(nxt or "web:campaigns")
    error = ""
    username = ""
    status = 200
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip()[:MAX_NAME]
        user, error, status = attempt_login(request, username, request.POST.get("password") or "")
        if user is not None:
            return redirect(nxt or "web:campaigns")
    return render(request, "web/login.html", {"error": error, "username": username, "next": nxt}, status=status)


def attempt_login(request: HttpRequest, username: str, password: str) -> tuple[object | None, str, int]:
    """Log in with the rate limiter in front: (user, "", 200), or (None, error shown to the user, status).

    The page and the API both come here. A refused or failed attempt sends ``user_login_failed`` (the
    store's receiver writes it to the ledger): ``authenticate`` sends it for a wrong password, we send it
    for attempts the limiter or a blank field stopped before ``authenticate`` ran.
    """
    username = username.strip()[:MAX_NAME]
    ip = client_ip(request)
    wait = ratelimit.blocked_for(username, ip)
    if wait:
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request,
                               reason="rate-limited")
        minutes = max(1, math.ceil(wait / 60))
        return None, ngettext("Too many failed logins. Try again in %(n)d minute.",
                              "Too many failed logins. Try again in %(n)d minutes.", minutes) % {"n": minutes}, 429
    user = authenticate(request, username=username, password=password) if username and password else None
    if user is None:
        if not (username and password):
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
        ratelimit.record_failure(username, ip)
        return None, _("Wrong user name or password."), 401
    ratelimit.clear(username, ip)
    login(request, user)
    return user, "", 200


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form or API call without a valid CSRF token: JSON for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "CSRF check failed: send the X-CSRFToken header from the page"}, status=403)
    return render(request, "web/error.html", {
        "title": _("Form expired"),
        "message": _("The form was not accepted (security token missing or expired). Reload the page and try again."),
    }, status=403)


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
