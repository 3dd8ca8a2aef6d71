"""The pages and the live panel (namespace ``web``)."""

from __future__ import annotations

from django.urls import path, re_path

from meari.web.views import auth, live, pages, static

app_name = "web"

urlpatterns = [
    path("healthz", auth.healthz, name="healthz"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("", pages.campaigns, name="campaigns"),
    path("c/<slug:slug>/", pages.campaign, name="campaign"),
    path("c/<slug:slug>/new", pages.message_new, name="message_new"),
    path("c/<slug:slug>/live", live.live, name="live"),
    path("c/<slug:slug>/live/preview", live.live_preview, name="live_preview"),
    path("c/<slug:slug>/products", pages.products, name="products"),
    path("c/<slug:slug>/disseminations", pages.disseminations, name="disseminations"),
    path("c/<slug:slug>/ledger", pages.ledger, name="ledger"),
    path("m/<int:message_id>/", pages.message, name="message"),
    path("m/<int:message_id>/edit", pages.message_edit, name="message_edit"),
    path("v/<int:version_id>/", pages.version, name="version"),
    path("v/<int:version_id>/yaml", pages.version_yaml, name="version_yaml"),
    path("v/<int:version_id>/signoff", pages.signoff, name="signoff"),
    path("v/<int:version_id>/approve", pages.approve, name="approve"),
    path("p/<int:product_id>/download", pages.product_download, name="product_download"),
    re_path(r"^preview/(?P<key>[0-9a-f]{32})/(?P<side>front|back)\.png$", live.preview, name="preview"),
    re_path(r"^static/(?P<name>[A-Za-z0-9_./-]+)$", static.asset, name="static"),
]
