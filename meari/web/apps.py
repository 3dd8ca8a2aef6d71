"""The web app's AppConfig: templates, static files and translations; no models."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "meari.web"
    label = "web"
    verbose_name = "meari workbench"
