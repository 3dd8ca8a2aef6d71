"""The workbench store: campaigns, members, messages and their immutable versions, the review chain
(finding resolutions, sign-offs, approval), products, disseminations and the audit ledger.

Business rules are not here: they are plain functions in :mod:`meari.campaign.rules`, applied by
:mod:`meari.campaign.workflow`, which also writes every state change to the ledger in the same
transaction. Models only refuse what would break the record itself (editing an immutable row).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

ROLES = ("admin", "writer", "linguist", "legal", "approver", "operator", "analyst")
PRODUCT_KINDS = ("appeal-leaflet", "safe-conduct", "instructions", "imposed", "audio", "range", "drift")
SIGNOFF_KINDS = ("language", "legal")
RESOLUTION_STATUSES = ("fixed", "accepted")


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class Immutable(models.Model):
    """A row that is written once: a second save or a delete raises (the ledger records it as it was)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError(f"{type(self).__name__} rows are immutable; write a new one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        raise ValueError(f"{type(self).__name__} rows are immutable and are never deleted")


class Campaign(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class Membership(models.Model):
    """A user's role in a campaign; ``campaign`` is null only for a global admin (manages users and campaigns)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="memberships")
    role = models.CharField(max_length=16, choices=_choices(ROLES))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "campaign", "role"], name="membership_unique"),
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(campaign__isnull=True),
                                    name="membership_global_unique"),
        ]


class Audience(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="audiences")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="audience_unique")]


class Message(models.Model):
    """A message in a campaign; its content lives in immutable :class:`MessageVersion` rows."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="messages")
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, null=True, blank=True, related_name="messages")
    title = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def latest(self) -> MessageVersion | None:
        return self.versions.order_by("-number").first()


class MessageVersion(Immutable):
    """One saved state of a message: the YAML text of :class:`meari.message.Message`, never changed."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    yaml = models.TextField()
    sha256 = models.CharField(max_length=64)
    channel = models.CharField(max_length=16)
    #: review findings at save time (list of meari.review.Finding dicts), so the chain checks a fixed set
    findings = models.JSONField(default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="version_unique")]
        ordering = ["message_id", "number"]


class FindingResolution(Immutable):
    """Legal's resolution of one ihl./truth. finding for a version (``key`` from :func:`rules.finding_key`)."""

    version = models.ForeignKey(MessageVersion, on_delete=models.PROTECT, related_name="resolutions")
    key = models.CharField(max_length=400)
    rule_id = models.CharField(max_length=100)
    field = models.CharField(max_length=100, default="text")
    start = models.IntegerField()
    end = models.IntegerField()
    text = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=_choices(RESOLUTION_STATUSES))
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="resolution_unique")]


class SignOff(Immutable):
    version = models.ForeignKey(MessageVersion, on_delete=models.PROTECT, related_name="signoffs")
    kind = models.CharField(max_length=16, choices=_choices(SIGNOFF_KINDS))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="signoff_unique")]


class Approval(Immutable):
    version = models.OneToOneField(MessageVersion, on_delete=models.PROTECT, related_name="approval")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)


class Product(Immutable):
    """A built file under the data dir (``path`` is relative to it), with its hash and provenance."""

    version = models.ForeignKey(MessageVersion, on_delete=models.PROTECT, related_name="products")
    kind = models.CharField(max_length=32, choices=_choices(PRODUCT_KINDS))
    path = models.CharField(max_length=500, unique=True)
    sha256 = models.CharField(max_length=64)
    signature = models.TextField()
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    #: parameters it was built with, notes (e.g. a default headline used) and a summary of plans
    meta = models.JSONField(default=dict)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Dissemination(Immutable):
    """What went out: a product, how many, by which channel, when and where, with which release and drift plan."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="disseminations")
    quantity = models.PositiveIntegerField()
    channel = models.CharField(max_length=100)
    time = models.DateTimeField()
    lat = models.FloatField()
    lon = models.FloatField()
    release = models.JSONField(default=dict)
    drift_plan = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notes = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)


class Upload(Immutable):
    """An input file kept for products (a recorded voice): stored as ``uploads/<sha256>.<ext>`` under the
    data dir, so its path comes from its hash and never from a user value."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="uploads")
    kind = models.CharField(max_length=32, choices=[("voice", "voice")])
    sha256 = models.CharField(max_length=64)
    ext = models.CharField(max_length=8)
    size = models.BigIntegerField()
    name = models.CharField(max_length=200, blank=True)  # the original file name, for display only
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "sha256"], name="upload_unique")]

    @property
    def path(self) -> str:
        return f"uploads/{self.sha256}.{self.ext}"


class LedgerEntry(Immutable):
    """One entry of the hash chain. ``payload`` is kept as canonical JSON text (PostgreSQL jsonb would reorder
    keys) and ``time`` as ISO text, so the hash is recomputed from exactly what was hashed."""

    index = models.BigIntegerField(unique=True)
    time = models.CharField(max_length=40)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    payload = models.TextField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["index"]
