"""Django app for audience profiles, themes, pretests and outcomes (label ``research``)."""

from __future__ import annotations

from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "meari.campaign.research"
    label = "research"
    verbose_name = "meari audience analysis, pretests and effects"
    default_auto_field = "django.db.models.BigAutoField"
