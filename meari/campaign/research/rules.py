"""Who may do what with profiles, themes, pretests, ratings and outcomes (plain functions, no Django).

Analysts write them; every other member of the campaign reads them (a writer needs the profile and the
pretest results beside the editor, an approver the pretest summary on the approval page); nobody outside
the campaign sees anything. A pretest is taken of the latest version; ratings go only to a pretest whose
version is still the latest (an edit after the pretest makes it stale: its results stay readable but
belong to the old text).
"""

from __future__ import annotations

from meari.campaign.rules import Actor, Decision, allow, can_read, deny, rule


@rule
def can_read_research(actor: Actor, campaign: str) -> Decision:
    """Every member reads profiles, themes, pretests and effects."""
    return can_read(actor, campaign)


@rule
def can_write_research(actor: Actor, campaign: str) -> Decision:
    """Analysts write profiles, themes, raters, pretests, ratings and outcomes."""
    if not actor.member:
        return can_read(actor, campaign)
    if "analyst" in actor.roles:
        return allow()
    return deny(f"only an analyst may write audience profiles, pretests and effects in {campaign}")


@rule
def can_rate(actor: Actor, campaign: str, stale: bool) -> Decision:
    """Ratings are entered by an analyst, only while the pretest's version is the latest."""
    d = can_write_research(actor, campaign)
    if not d:
        return d
    if stale:
        return deny("this pretest is stale: the message was edited after it; start a pretest of the new version")
    return allow()
