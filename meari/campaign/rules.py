"""Workflow rules: who may do what to a version, as plain functions over plain data.

Each rule takes an :class:`Actor` (a user and their roles in the campaign concerned) and, where it
matters, the :class:`VersionState` of a message version, and returns a :class:`Decision` (allowed or
denied, with the reason a user is shown). No Django here: the workflow module builds the plain data
from the database and applies these, the web and API go through the workflow module, and the tests
check every rule and role without a server.

The chain a version goes through: the linguist signs the language; legal resolves every ihl./truth.
finding (fixed, or accepted with a written reason) and signs; an approver who is neither an author nor
a signer approves. The author never signs or approves their own message; an edit after approval voids
it (the new version needs the whole chain again); products are built only from an approved version
that is still the latest.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

ROLES = ("admin", "writer", "linguist", "legal", "approver", "operator", "analyst")
#: finding families legal must resolve before signing
LEGAL_FAMILIES = ("ihl.", "truth.")
#: a written reason shorter than this is not a reason
MIN_REASON_CHARS = 10

#: products built for each channel of the message model (the workbench builds all of them)
CHANNEL_PRODUCTS: dict[str, tuple[str, ...]] = {
    "leaflet": ("appeal-leaflet", "safe-conduct", "instructions", "imposed", "drift"),
    "loudspeaker": ("audio", "range"),
    "interpreter": ("safe-conduct", "instructions"),
}


@dataclass(frozen=True)
class Decision:
    """Allowed or denied, with a one-line reason (shown to the user and returned by the API)."""

    allowed: bool
    reason: str
    rule: str = ""  # the rule function that decided (e.g. "can_approve"): a stable id for the API

    def __bool__(self) -> bool:
        return self.allowed


def allow(reason: str = "allowed") -> Decision:
    return Decision(True, reason)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def rule(fn: Callable[..., Decision]) -> Callable[..., Decision]:
    """Mark a rule function: its decisions carry the function's name as their stable rule id."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs) -> Decision:  # noqa: ANN002, ANN003
        d = fn(*args, **kwargs)
        return replace(d, rule=fn.__name__)

    return wrapper


@dataclass(frozen=True)
class Actor:
    """A user as the rules see them: id, name, roles in the campaign at hand, global admin or not."""

    id: int
    name: str
    roles: frozenset[str] = frozenset()
    global_admin: bool = False

    @property
    def member(self) -> bool:
        return bool(self.roles)


@dataclass(frozen=True)
class VersionState:
    """Everything the rules need about one message version."""

    campaign: str
    number: int
    latest: bool
    channel: str
    authors: frozenset[int]  # everyone who wrote this version or an earlier one
    language_by: int | None = None
    legal_by: int | None = None
    approved_by: int | None = None
    unresolved: tuple[str, ...] = ()  # keys of ihl./truth. findings without a resolution
    resolvable: frozenset[str] = field(default_factory=frozenset)  # keys legal may resolve on this version

    @property
    def approved(self) -> bool:
        return self.approved_by is not None

    @property
    def signers(self) -> frozenset[int]:
        return frozenset(x for x in (self.language_by, self.legal_by) if x is not None)


def needs_legal(rule_id: str) -> bool:
    """True for findings legal must resolve (ihl./truth.)."""
    return rule_id.startswith(LEGAL_FAMILIES)


def finding_key(finding: dict, number: int) -> str:
    """Stable key of a finding reported on version ``number``: version, rule id, field and span."""
    span = f"{finding.get('start', -1)}-{finding.get('end', -1)}"
    return f"v{number}:{finding['id']}:{finding.get('field', 'text')}:{span}"


# ------------------------------------------------------------------------------------------------
# Campaign-level rules


@rule
def can_read(actor: Actor, campaign: str) -> Decision:
    """Any member of a campaign may read it; nobody else sees anything of it."""
    if actor.member:
        return allow()
    return deny(f"{actor.name} is not a member of campaign {campaign}")


@rule
def can_edit(actor: Actor, campaign: str) -> Decision:
    """Writers draft messages and save new versions."""
    if not actor.member:
        return can_read(actor, campaign)
    if "writer" in actor.roles:
        return allow()
    return deny(f"only a writer may draft or edit messages in {campaign}")


@rule
def can_add_audience(actor: Actor, campaign: str) -> Decision:
    """Writers (and the campaign's admin) describe the audiences messages are written for."""
    if not actor.member:
        return can_read(actor, campaign)
    if actor.roles & {"writer", "admin"}:
        return allow()
    return deny(f"only a writer or admin may add audiences in {campaign}")


@rule
def can_manage_members(actor: Actor, campaign: str | None) -> Decision:
    """A global admin manages every campaign's members; a campaign admin manages their campaign's."""
    if actor.global_admin or "admin" in actor.roles:
        return allow()
    return deny(f"only an admin may change users and roles{f' in {campaign}' if campaign else ''}")


@rule
def can_create_campaign(actor: Actor) -> Decision:
    """Only a global admin opens a campaign."""
    return allow() if actor.global_admin else deny("only a global admin may create a campaign")


@rule
def can_upload(actor: Actor, campaign: str) -> Decision:
    """Writers and operators add input files (a recorded voice) to a campaign."""
    if not actor.member:
        return can_read(actor, campaign)
    if actor.roles & {"writer", "operator"}:
        return allow()
    return deny("only a writer or operator may upload a recording")


@rule
def can_read_ledger(actor: Actor, campaign: str) -> Decision:
    """Admins, approvers and analysts read a campaign's part of the ledger."""
    if not actor.member:
        return can_read(actor, campaign)
    if actor.roles & {"admin", "approver", "analyst"}:
        return allow()
    return deny("only an admin, approver or analyst may read the ledger")


# ------------------------------------------------------------------------------------------------
# Version-level rules


def _member_and_current(actor: Actor, v: VersionState) -> Decision:
    if not actor.member:
        return can_read(actor, v.campaign)
    if not v.latest:
        return deny(f"version {v.number} is stale: a newer version exists and needs the chain again")
    return allow()


@rule
def can_sign_language(actor: Actor, v: VersionState) -> Decision:
    """The linguist signs the language of a version someone else wrote."""
    if not (d := _member_and_current(actor, v)):
        return d
    if "linguist" not in actor.roles:
        return deny("only a linguist may sign off the language")
    if actor.id in v.authors:
        return deny("the author may not sign off their own message")
    if v.language_by is not None:
        return deny(f"the language of version {v.number} is already signed off")
    return allow()


@rule
def can_resolve_finding(actor: Actor, v: VersionState, key: str, status: str, reason: str) -> Decision:
    """Legal resolves an ihl./truth. finding: fixed (gone from this version) or accepted with a written reason."""
    if not (d := _member_and_current(actor, v)):
        return d
    if "legal" not in actor.roles:
        return deny("only the legal reviewer may resolve ihl./truth. findings")
    if actor.id in v.authors:
        return deny("the author may not resolve findings on their own message")
    if v.legal_by is not None:
        return deny(f"version {v.number} is already signed off by legal")
    if key not in v.resolvable:
        return deny(f"no open ihl./truth. finding {key} on version {v.number}")
    if status == "fixed":
        if key.startswith(f"v{v.number}:"):
            return deny("a finding still in this version is not fixed: fix it in a new version, or accept it "
                        "with a reason")
        return allow()
    if status == "accepted":
        if len((reason or "").strip()) < MIN_REASON_CHARS:
            return deny(f"accepting a finding needs a written reason (at least {MIN_REASON_CHARS} characters)")
        return allow()
    return deny(f"unknown resolution {status!r}: use fixed or accepted")


@rule
def can_sign_legal(actor: Actor, v: VersionState) -> Decision:
    """Legal signs once every ihl./truth. finding is resolved, on a version someone else wrote."""
    if not (d := _member_and_current(actor, v)):
        return d
    if "legal" not in actor.roles:
        return deny("only the legal reviewer may sign off legally")
    if actor.id in v.authors:
        return deny("the author may not sign off their own message")
    if v.legal_by is not None:
        return deny(f"version {v.number} is already signed off by legal")
    if v.unresolved:
        return deny(f"{len(v.unresolved)} ihl./truth. finding(s) unresolved (first: {v.unresolved[0]})")
    return allow()


@rule
def can_approve(actor: Actor, v: VersionState) -> Decision:
    """An approver approves the latest version after both sign-offs; a third person, neither author nor signer."""
    if not (d := _member_and_current(actor, v)):
        return d
    if "approver" not in actor.roles:
        return deny("only an approver may approve")
    if actor.id in v.authors:
        return deny("the author may not approve their own message")
    if actor.id in v.signers:
        return deny("the approver must be a third person: they signed off this version")
    if v.language_by is None:
        return deny(f"version {v.number} has no language sign-off")
    if v.legal_by is None:
        return deny(f"version {v.number} has no legal sign-off")
    if v.approved:
        return deny(f"version {v.number} is already approved")
    return allow()


@rule
def can_build_product(actor: Actor, v: VersionState, kind: str) -> Decision:
    """An operator builds a product of the message's channel from the latest, approved version."""
    if not (d := _member_and_current(actor, v)):
        return d
    if "operator" not in actor.roles:
        return deny("only an operator may build products")
    if not v.approved:
        return deny(f"version {v.number} is not approved: products are built only from an approved version")
    kinds = CHANNEL_PRODUCTS.get(v.channel, ())
    if kind not in kinds:
        return deny(f"a {v.channel} message has no {kind!r} product (it has: {', '.join(kinds)})")
    return allow()


@rule
def can_record_dissemination(actor: Actor, v: VersionState) -> Decision:
    """An operator records what went out, for a product of the latest approved version."""
    if not (d := _member_and_current(actor, v)):
        return d
    if "operator" not in actor.roles:
        return deny("only an operator may record a dissemination")
    if not v.approved:
        return deny(f"version {v.number} is not approved")
    return allow()
