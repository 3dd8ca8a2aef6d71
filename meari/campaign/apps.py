"""Django app for the workbench store (models, migrations, ledger)."""

from __future__ import annotations

from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "meari.campaign"
    label = "campaign"
    verbose_name = "meari campaign store"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A failed login is a ledger entry wherever it happens (web login form, API, admin).
        from django.contrib.auth.signals import user_login_failed

        from meari.campaign import workflow

        user_login_failed.connect(workflow.on_login_failed, dispatch_uid="meari.campaign.login_failed")
