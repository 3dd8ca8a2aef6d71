"""Audience profiles (versioned), campaign themes, pretest panels and ratings, and outcome records.

Rules live in :mod:`meari.campaign.research.rules`, applied by :mod:`meari.campaign.research.workflow`,
which writes each new row's ledger entry in the same transaction. Profile versions, ratings and outcomes
are written once (a correction is a new row), like the store's versions and sign-offs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meari.campaign.models import Campaign, Dissemination, Immutable, MessageVersion, Product

DIMENSIONS = ("comprehension", "credibility", "authenticity", "attractiveness", "relevance", "acceptance",
              "motivation")
OUTCOME_KINDS = ("surrender", "hotline", "other-contact", "statement")
MOVED = ("yes", "no", "unknown")


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class AudienceProfile(models.Model):
    """A target audience as analysts describe it; its content is in :class:`ProfileVersion`."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="profiles")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("campaign", "name")]
        ordering = ["name"]


class ProfileVersion(Immutable):
    """One saved state of a profile: ``data`` as validated by :func:`meari.campaign.research.schema.validate_profile`
    (sections of claims, each with text, source, date and Admiralty grade)."""

    profile = models.ForeignKey(AudienceProfile, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("profile", "number")]
        ordering = ["profile_id", "number"]


class CampaignTheme(models.Model):
    """A campaign's copy of a shipped theme (``meari/data/themes/``), editable by analysts; ``data`` has the
    same shape as the shipped file. Every edit is a ledger entry with the new content's hash."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="themes")
    key = models.SlugField(max_length=64)
    data = models.JSONField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("campaign", "key")]
        ordering = ["key"]


class Rater(Immutable):
    """A pretest panel member, by code (no names), with the background that biases ratings."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="raters")
    code = models.CharField(max_length=64)
    years_since_leaving = models.PositiveIntegerField(null=True, blank=True)
    former_service = models.CharField(max_length=200, blank=True)
    unit_type = models.CharField(max_length=200, blank=True)
    defector = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("campaign", "code")]
        ordering = ["code"]


class Pretest(Immutable):
    """A pretest of one exact message version. Pretests with the same ``group`` are ranked together
    (default: all pretests of the same message)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pretests")
    version = models.ForeignKey(MessageVersion, on_delete=models.PROTECT, related_name="pretests")
    group = models.CharField(max_length=100)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Rating(Immutable):
    pretest = models.ForeignKey(Pretest, on_delete=models.PROTECT, related_name="ratings")
    rater = models.ForeignKey(Rater, on_delete=models.PROTECT, related_name="ratings")
    dimension = models.CharField(max_length=20, choices=_choices(DIMENSIONS))
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("pretest", "rater", "dimension")]
        ordering = ["id"]


class Outcome(Immutable):
    """What happened: a surrender, a contact, or a statement by a captured or surrendering soldier about
    which product he saw and whether it moved him; linked to the dissemination/product where known."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(max_length=20, choices=_choices(OUTCOME_KINDS))
    time = models.DateTimeField()
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    dissemination = models.ForeignKey(Dissemination, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="outcomes")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="outcomes")
    said = models.TextField(blank=True)
    moved = models.CharField(max_length=10, choices=_choices(MOVED), default="unknown")
    notes = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["time", "id"]
