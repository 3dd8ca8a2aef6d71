"""Security headers, Secure cookies over https, and a request-body size limit.

The Content-Security-Policy allows scripts, styles, images and requests from this origin only and no
inline script or style at all: the pages load ``htmx.min.js`` and ``app.js`` as files and configure
HTMX through a ``<meta name="htmx-config">`` tag (no eval, no inline indicator styles).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])


class SecurityHeadersMiddleware:
    """Adds CSP, Permissions-Policy and no-store caching of pages; marks cookies Secure on https requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            # pages hold campaign text: never keep them in a shared browser's or proxy's cache
            response.headers.setdefault("Cache-Control", "no-store")
        if request.is_secure():
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response


class BodySizeLimitMiddleware:
    """Refuse a request whose declared body exceeds ``MEARI_MAX_BODY_BYTES`` before anything reads it (413)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MEARI_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return JsonResponse({"detail": f"request body is {length:,} bytes; at most {limit:,} accepted"},
                                status=413)
        return self.get_response(request)
