"""Product builders: an approved message version -> the bytes of one product, its provenance and notes.

Plain functions over :class:`meari.message.Message` (no Django): the workflow module checks who may build,
stores the bytes under the data dir with their SHA-256 and writes the ledger entry. Each builder calls
the same produce/plan functions the commands call.

Two workbench decisions differ from the command line, and each is written into the product's notes:
- Legal's sign-off is the review gate here: a finding legal *accepted* with a reason does not stamp the
  product NOT APPROVED (the commands stamp it, because there no one has accepted it).
- A leaflet without a headline gets the template's default headline instead of failing.
- The loudspeaker audio always uses the synthetic voice named in ``broadcast.voice``: a recording path in
  a stored message is never opened (no path from a user value to the file system); recorded voices come
  in as uploads through the web app.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meari.campaign.rules import CHANNEL_PRODUCTS
from meari.errors import MeariError
from meari.message import Message

#: used when an appeal leaflet's message has no headline ("Come back alive", North Korean spelling)
DEFAULT_HEADLINE = "살아서 돌아가십시오"
LEAFLET_TEMPLATES = {"appeal-leaflet": "appeal", "safe-conduct": "safe-conduct", "instructions": "instructions"}
#: illustrative drift defaults (the operator gives release/aim point and winds for a real plan)
DRIFT_DEFAULTS = {"height_m": 300.0, "wind": "0:3@250,100:5@255,300:8@265,1000:12@275", "leaflet": "6x3-20lb",
                  "turbulence": 0.1, "n": 20000, "seed": 0}
RANGE_DEFAULTS = {"spl_1m_db": 130.0, "noise": "distant-artillery", "temp_c": 15.0, "rh_pct": 60.0,
                  "terrain": "open"}


@dataclass
class Built:
    """The bytes of one product and what the store records about it."""

    kind: str
    data: bytes
    ext: str
    media_type: str
    signature: str
    meta: dict[str, Any] = field(default_factory=dict)


def with_defaults(message: Message, kind: str) -> tuple[Message, list[str]]:
    """The message as built for ``kind`` (template defaults filled in) and the notes saying what was filled."""
    notes: list[str] = []
    if kind in ("appeal-leaflet", "imposed") and not (message.leaflet.headline or "").strip():
        from meari.produce.leaflet import load_template

        tpl = load_template("appeal")
        head = tpl.texts.get("default_headline") or DEFAULT_HEADLINE
        message = message.model_copy(update={"leaflet": message.leaflet.model_copy(update={"headline": head})})
        notes.append(f"the message has no leaflet.headline: the template default {head!r} was used "
                     "(review it, or give a headline and save a new version)")
    return message, notes


def _leaflet_prep(message: Message, template: str, notes: list[str]) -> Any:
    from meari.produce import leaflet as lf

    prep = lf.prepare(message, template=template, force=True, where="message")
    if not prep.approved:
        # Errors here were each accepted by legal with a written reason before approval (rules.can_sign_legal).
        prep = dataclasses.replace(prep, approved=True,
                                   signature=prep.signature.replace("review:ERRORS-FORCED", "review:legal-accepted"))
        notes.append("review errors remain, each accepted by the legal reviewer with a reason (see the ledger)")
    return prep


def _read(path: Path) -> bytes:
    return path.read_bytes()


def build_leaflet(message: Message, kind: str) -> Built:
    """Appeal leaflet, safe-conduct pass or instructions leaflet (two-sided PDF)."""
    from meari.produce import leaflet as lf

    message, notes = with_defaults(message, kind)
    prep = _leaflet_prep(message, LEAFLET_TEMPLATES[kind], notes)
    with tempfile.TemporaryDirectory(prefix="meari-product-") as tmp:
        out = lf.write_pdf(prep, Path(tmp) / "product.pdf")
        data = _read(out)
    return Built(kind, data, "pdf", "application/pdf", prep.signature,
                 {"template": prep.template.id, "size": prep.size.name, "notes": notes})


#: print sheets tried in order when none is asked for: the smallest that holds the leaflet
SHEETS = ("A4", "A3", "SRA3")


def fitting_sheet(size: str) -> str | None:
    """The first of SHEETS a leaflet of ``size`` fits on (with bleed and crop marks), or None."""
    from meari.produce.leaflet import impose, parse_size

    sz = parse_size(size)
    for sheet in SHEETS:
        try:
            impose.plan(sheet, sz)
            return sheet
        except MeariError:
            continue
    return None


def build_imposed(message: Message, sheet: str | None = None) -> Built:
    """The appeal leaflet imposed n-up on a duplex print sheet (default: the smallest sheet it fits on)."""
    from meari.produce import leaflet as lf

    message, notes = with_defaults(message, "imposed")
    if sheet is None:
        sheet = fitting_sheet(message.leaflet.size or "6x3") or "A4"
        if sheet != "A4":
            notes.append(f"the leaflet does not fit on A4: imposed on {sheet}")
    prep = _leaflet_prep(message, "appeal", notes)
    with tempfile.TemporaryDirectory(prefix="meari-product-") as tmp:
        out = lf.write_imposed(prep, Path(tmp) / "product.pdf", sheet)
        data = _read(out)
    return Built("imposed", data, "pdf", "application/pdf", prep.signature,
                 {"template": "appeal", "sheet": sheet, "size": prep.size.name, "notes": notes})


def build_audio(message: Message, voice_file: Path | None = None) -> Built:
    """The mastered loudspeaker loop (MP3): a recorded voice from the upload store, else ``broadcast.voice``.

    ``voice_file`` is a path the store built from an upload's SHA-256 (never from a user value).
    """
    from meari.produce.audio import AudioOptions, build_broadcast, write_broadcast

    notes: list[str] = []
    if message.broadcast.recording:
        notes.append("broadcast.recording is not opened by the workbench; "
                     + ("the uploaded recording was used" if voice_file else "the synthetic draft voice was used"))
    opts = (AudioOptions(voice_file=voice_file, force=True) if voice_file is not None
            else AudioOptions(voice=message.broadcast.voice, force=True))
    bc = build_broadcast(message, None, opts)
    with tempfile.TemporaryDirectory(prefix="meari-product-") as tmp:
        report = write_broadcast(bc, Path(tmp) / "product.mp3")
        data = _read(Path(tmp) / "product.mp3")
    notes += report.get("warnings", [])
    meta = {"duration_s": report.get("duration_s"), "integrated_lufs": report.get("integrated_lufs"),
            "true_peak_dbtp": report.get("true_peak_dbtp"), "voice": report.get("voice"), "notes": notes}
    return Built("audio", data, "mp3", "audio/mpeg", bc.signature, meta)


def _float(params: dict, key: str, default: Any) -> float:
    v = params.get(key, default)
    try:
        return float(v)
    except (TypeError, ValueError):
        raise MeariError(f"expected a number, got {v!r}", key) from None


def _noise(p: dict) -> tuple[tuple[float, ...], str]:
    """Background noise for the range plan: measured band levels (an uploaded, calibrated recording), or a
    preset, optionally rescaled to a measured A-weighted level."""
    import math

    from meari.plan import noise as noise_mod

    if p.get("noise_db") is not None:
        levels = p["noise_db"]
        ok = isinstance(levels, list | tuple) and len(levels) == 7 and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and -20 <= v <= 160
            for v in levels)
        if not ok:
            raise MeariError("needs 7 octave-band levels (125 Hz-8 kHz) in dB, each -20..160", "noise_db")
        src = str(p.get("noise_source") or "measured octave-band levels")[:300]
        return tuple(float(v) for v in levels), src
    name = str(p.get("noise") or noise_mod.DEFAULT_PRESET)
    if name not in noise_mod.PRESETS:
        raise MeariError(f"unknown noise preset {name!r} (one of {', '.join(noise_mod.PRESETS)})", "noise")
    pre = noise_mod.preset(name)
    levels, src = tuple(pre.levels_db), f"preset '{pre.id}' ({pre.label})"
    if p.get("noise_dba") is not None:
        dba = _float(p, "noise_dba", None)
        levels = tuple(float(v) for v in noise_mod.scale_to_dba(levels, dba))
        src += f", rescaled from {pre.dba:.1f} to {dba:g} dBA"
    return levels, src


def build_range(message: Message, params: dict | None = None) -> Built:
    """The loudspeaker range plan (STI against distance) as the ``meari range --json`` document.

    Params: spl_1m_db, temp_c, rh_pct, terrain, and the noise: ``noise`` (preset) [+ ``noise_dba``], or
    ``noise_db`` (7 calibrated band levels, e.g. from an uploaded recording) + ``noise_source``.
    """
    from meari import __version__
    from meari.plan.acoustics import RangeSetup, plan_range

    p = {**RANGE_DEFAULTS, **(params or {})}
    noise_db, noise_source = _noise(p)
    setup = RangeSetup(spl_1m_db=_float(p, "spl_1m_db", 130), noise_db=noise_db, noise_source=noise_source,
                       temp_c=_float(p, "temp_c", 15), rh_pct=_float(p, "rh_pct", 60), terrain=str(p["terrain"]))
    result = plan_range(setup)
    doc = result.to_dict()
    data = (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    sig = f"meari:{__version__}|range|src:sha256={message.text_hash()}|params:{json.dumps(p, sort_keys=True)}"
    meta = {"params": p, "ranges_m": doc.get("range_m"), "range_status": doc.get("range_status"),
            "noise_source": noise_source, "notes": []}
    return Built("range", data, "json", "application/json", sig, meta)


def build_drift(message: Message, params: dict | None = None) -> Built:
    """A leaflet drift plan (``meari drift --json`` document with the GeoJSON footprint)."""
    from meari import __version__
    from meari.plan import drift
    from meari.plan.geo import parse_latlon
    from meari.plan.wind import parse_wind

    p = {**DRIFT_DEFAULTS, **(params or {})}
    release = parse_latlon(str(p["release"]), "release") if p.get("release") else None
    aim = parse_latlon(str(p["aim"]), "aim") if p.get("aim") else None
    if (release is None) == (aim is None):
        raise MeariError("a drift plan needs exactly one of a release point or an aim point (LAT,LON)", "drift")
    try:
        n, seed = int(p["n"]), int(p["seed"])
    except (TypeError, ValueError):
        raise MeariError("n and seed must be integers", "drift") from None
    sc = drift.Scenario(height_m=_float(p, "height_m", 300), wind=parse_wind(str(p["wind"])),
                        leaflet=drift.leaflet_type(str(p["leaflet"])), turbulence=_float(p, "turbulence", 0.1),
                        n=n, seed=seed)
    plan = drift.plan(sc, release, aim=aim)
    doc = drift.to_dict(plan)
    data = (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    sig = f"meari:{__version__}|drift|src:sha256={message.text_hash()}|params:{json.dumps(p, sort_keys=True)}"
    return Built("drift", data, "json", "application/json", sig, {"params": p, "notes": []})


def build(message: Message, kind: str, params: dict | None = None, voice_file: Path | None = None) -> Built:
    """Build one product of ``kind`` for a message (MeariError on bad parameters)."""
    if kind in LEAFLET_TEMPLATES:
        return build_leaflet(message, kind)
    if kind == "imposed":
        sheet = (params or {}).get("sheet")
        return build_imposed(message, str(sheet) if sheet else None)
    if kind == "audio":
        return build_audio(message, voice_file)
    if kind == "range":
        return build_range(message, params)
    if kind == "drift":
        return build_drift(message, params)
    raise MeariError(f"unknown product kind {kind!r}", "product")


def acceptance_problems(message: Message, *, layout: bool = True) -> list[str]:
    """Why the workbench would refuse this message (empty when every product of its channel can be built).

    With ``layout`` the leaflets of the channel are laid out for real (no file is written): that is the
    only way to know that every text box takes its text (Korean-only boxes, glyphs, text that must fit at
    the minimum size), so a message the workbench accepts never fails later at the print step.
    """
    problems = []
    if not (message.sponsor or "").strip():
        problems.append("sponsor: every product is attributed to its real sponsor; give one")
    kinds = [k for k in CHANNEL_PRODUCTS.get(message.channel, ()) if k in LEAFLET_TEMPLATES]
    if kinds:
        from meari.produce.leaflet import list_templates, parse_size

        names = list_templates()
        if (message.leaflet.template or "appeal") not in names:
            # a template path would be a path from a user value to the file system
            problems.append(f"leaflet.template: {message.leaflet.template!r} is not one of {', '.join(names)}")
        try:
            parse_size(message.leaflet.size or "6x3")
        except MeariError as e:
            problems.append(f"leaflet.size: {e.problem}")
        else:
            if message.channel == "leaflet" and fitting_sheet(message.leaflet.size or "6x3") is None:
                problems.append(f"leaflet.size: {message.leaflet.size} does not fit on any print sheet "
                                f"({', '.join(SHEETS)}) with bleed and crop marks")
        if layout and not problems:
            from meari.produce import leaflet as lf

            for kind in kinds:
                m, _ = with_defaults(message, kind)
                try:
                    lf.prepare(m, template=LEAFLET_TEMPLATES[kind], force=True, where=kind)
                except MeariError as e:
                    problems.append(f"{kind} leaflet: {e.problem}")
    if message.channel == "loudspeaker":
        from meari.produce.audio import MAX_LOOP_S

        b = message.broadcast
        syllables = sum(1 for ch in message.text if "\uac00" <= ch <= "\ud7a3")
        est = (syllables / b.syllables_per_s + b.pause_s) * b.repeats
        if est > 0.9 * MAX_LOOP_S:
            problems.append(f"broadcast: about {est / 60:.0f} min of loop ({b.repeats} repeats); at most "
                            f"{MAX_LOOP_S / 60:.0f} min: fewer repeats or a shorter text")
    return problems
