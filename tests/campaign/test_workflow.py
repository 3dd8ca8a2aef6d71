"""The review chain on a real database: sign-offs, legal resolutions, approval, voiding, products."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meari.campaign import workflow
from meari.campaign.models import Approval, LedgerEntry, MessageVersion
from meari.errors import MeariError

from .conftest import CLEAN, THREAT


def _signed(t, yaml=CLEAN):  # noqa: ANN001, ANN202
    v = workflow.create_message(t["writer"], t["own"], yaml)
    workflow.sign_off(t["linguist"], v, "language")
    for f in workflow.legal_findings(v):
        workflow.resolve_finding(t["legal"], v, f["key"], "accepted", "reviewed: acceptable in context")
    workflow.sign_off(t["legal"], v, "legal")
    return v


def test_versions_are_immutable_and_numbered(team) -> None:
    v1 = workflow.create_message(team["writer"], team["own"], CLEAN)
    v2 = workflow.save_version(team["writer"], v1.message, CLEAN.replace("천천히", "조용히"))
    assert (v1.number, v2.number) == (1, 2)
    assert MessageVersion.objects.get(pk=v1.id).yaml == CLEAN
    v1.yaml = "changed"
    with pytest.raises(ValueError, match="immutable"):
        v1.save()
    with pytest.raises(ValueError, match="immutable"):
        v2.delete()


def test_invalid_message_is_refused_with_the_line(team) -> None:
    with pytest.raises(MeariError, match=r"message:\d+"):
        workflow.create_message(team["writer"], team["own"], "text: 안녕\nbogus: 1\n")
    with pytest.raises(MeariError, match="sponsor"):
        workflow.create_message(team["writer"], team["own"], "text: 무기를 내려놓으십시오\n")
    with pytest.raises(MeariError, match="template"):
        workflow.create_message(team["writer"], team["own"], CLEAN + "  template: /etc/passwd\n")
    assert not MessageVersion.objects.exists()


def test_author_never_signs_or_approves_own_message(team) -> None:
    """A writer who also holds linguist, legal and approver roles still cannot pass their own text."""
    from .conftest import make_user

    for role in ("linguist", "legal", "approver"):
        make_user("writer", role, team["own"])
    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    for call in (lambda: workflow.sign_off(team["writer"], v, "language"),
                 lambda: workflow.sign_off(team["writer"], v, "legal")):
        with pytest.raises(workflow.Denied, match="author"):
            call()
    workflow.sign_off(team["linguist"], v, "language")
    workflow.sign_off(team["legal"], v, "legal")
    with pytest.raises(workflow.Denied, match="author may not approve"):
        workflow.approve(team["writer"], v)


def test_co_author_of_an_earlier_version_is_an_author(team) -> None:
    from .conftest import make_user

    make_user("writer_b", "linguist", team["own"])
    v1 = workflow.create_message(team["writer_b"], team["own"], CLEAN)
    v2 = workflow.save_version(team["writer"], v1.message, CLEAN.replace("천천히", "조용히"))
    with pytest.raises(workflow.Denied, match="author"):
        workflow.sign_off(team["writer_b"], v2, "language")


def test_approver_must_be_a_third_person(team) -> None:
    from .conftest import make_user

    make_user("linguist", "approver", team["own"])
    v = _signed(team)
    with pytest.raises(workflow.Denied, match="third person"):
        workflow.approve(team["linguist"], v)
    workflow.approve(team["approver"], v)


def test_approval_needs_both_sign_offs(team) -> None:
    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    with pytest.raises(workflow.Denied, match="no language sign-off"):
        workflow.approve(team["approver"], v)
    workflow.sign_off(team["linguist"], v, "language")
    with pytest.raises(workflow.Denied, match="no legal sign-off"):
        workflow.approve(team["approver"], v)
    workflow.sign_off(team["legal"], v, "legal")
    workflow.approve(team["approver"], v)
    with pytest.raises(workflow.Denied, match="already approved"):
        workflow.approve(team["approver"], v)


def test_legal_must_resolve_every_ihl_and_truth_finding(team) -> None:
    v = workflow.create_message(team["writer"], team["own"], THREAT)
    needed = workflow.legal_findings(v)
    assert {f["id"] for f in needed} == {"ihl.no-quarter"} and len(needed) == 2
    with pytest.raises(workflow.Denied, match="2 ihl./truth. finding"):
        workflow.sign_off(team["legal"], v, "legal")
    with pytest.raises(workflow.Denied, match="written reason"):
        workflow.resolve_finding(team["legal"], v, needed[0]["key"], "accepted", "ok")
    with pytest.raises(workflow.Denied, match="not fixed"):
        workflow.resolve_finding(team["legal"], v, needed[0]["key"], "fixed")
    with pytest.raises(workflow.Denied, match="only the legal"):
        workflow.resolve_finding(team["linguist"], v, needed[0]["key"], "accepted", "a long enough reason")
    workflow.resolve_finding(team["legal"], v, needed[0]["key"], "accepted", "quotes the enemy's own order")
    with pytest.raises(workflow.Denied, match="1 ihl./truth."):
        workflow.sign_off(team["legal"], v, "legal")


def test_fixed_findings_are_those_gone_in_the_new_version(team) -> None:
    """Writer fixes the threat in v2; legal marks the v1 findings fixed on v2, then signs v2."""
    v1 = workflow.create_message(team["writer"], team["own"], THREAT)
    v2 = workflow.save_version(team["writer"], v1.message, CLEAN)
    needed = workflow.legal_findings(v2)
    assert needed and all(f["gone"] and f["on_version"] == 1 for f in needed)
    with pytest.raises(workflow.Denied, match="unresolved"):
        workflow.sign_off(team["legal"], v2, "legal")
    for f in needed:
        r = workflow.resolve_finding(team["legal"], v2, f["key"], "fixed")
        assert r.status == "fixed"
    with pytest.raises(workflow.Denied, match="no open"):
        workflow.resolve_finding(team["legal"], v2, needed[0]["key"], "fixed")
    workflow.sign_off(team["legal"], v2, "legal")


def test_edit_after_approval_voids_it(team) -> None:
    v1 = _signed(team)
    workflow.approve(team["approver"], v1)
    workflow.build_product(team["operator"], v1, "safe-conduct")
    v2 = workflow.save_version(team["writer"], v1.message, CLEAN.replace("천천히", "조용히"))
    saved = LedgerEntry.objects.filter(action="version.saved").order_by("-index").first()
    assert '"voids_approval_of":1' in saved.payload
    st = workflow.state(v1)
    assert not st.latest and Approval.objects.filter(version=v1).exists()
    with pytest.raises(workflow.Denied, match="stale"):
        workflow.build_product(team["operator"], v1, "safe-conduct")
    with pytest.raises(workflow.Denied, match="stale"):
        workflow.approve(team["approver"], v1)
    with pytest.raises(workflow.Denied, match="not approved"):
        workflow.build_product(team["operator"], v2, "safe-conduct")
    with pytest.raises(workflow.Denied, match="no language sign-off"):
        workflow.approve(team["approver"], v2)
    # the new version needs the chain again, then it builds
    workflow.sign_off(team["linguist"], v2, "language")
    workflow.sign_off(team["legal"], v2, "legal")
    workflow.approve(team["approver"], v2)
    assert workflow.build_product(team["operator"], v2, "safe-conduct").kind == "safe-conduct"


def test_products_only_from_an_approved_version(team) -> None:
    v = _signed(team)
    with pytest.raises(workflow.Denied, match="not approved"):
        workflow.build_product(team["operator"], v, "appeal-leaflet")
    workflow.approve(team["approver"], v)
    with pytest.raises(workflow.Denied, match="no 'audio' product"):
        workflow.build_product(team["operator"], v, "audio")


def test_dissemination_records_what_went_out(team) -> None:
    v = _signed(team)
    workflow.approve(team["approver"], v)
    leaflet = workflow.build_product(team["operator"], v, "safe-conduct")
    plan = workflow.build_product(team["operator"], v, "drift",
                                  {"aim": "51.70,35.30", "height_m": 300, "n": 2000, "seed": 1})
    t = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)
    d = workflow.record_dissemination(team["operator"], leaflet, quantity=5000, channel="drone", time=t,
                                      lat=51.69, lon=35.28, release={"height_m": 300}, drift_plan=plan)
    assert d.drift_plan_id == plan.id and d.quantity == 5000
    e = LedgerEntry.objects.filter(action="dissemination").get()
    assert leaflet.sha256 in e.payload and '"quantity":5000' in e.payload
    with pytest.raises(MeariError, match="lat"):
        workflow.record_dissemination(team["operator"], leaflet, quantity=1, channel="drone", time=t, lat=91, lon=0)
    with pytest.raises(MeariError, match="quantity"):
        workflow.record_dissemination(team["operator"], leaflet, quantity=0, channel="drone", time=t, lat=1, lon=0)
    with pytest.raises(MeariError, match="drift"):
        workflow.record_dissemination(team["operator"], leaflet, quantity=1, channel="drone", time=t, lat=1, lon=0,
                                      drift_plan=leaflet)
