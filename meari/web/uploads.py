"""Uploaded files and form values turned into what the store's functions take, with clear errors.

Every upload is size-limited and parsed here before anything else sees it; none is ever saved under a
name or path the user chose (a parsed GeoJSON goes through a private temp dir with a fixed file name).
"""

from __future__ import annotations

import math
import tempfile
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from meari.errors import MeariError

MAX_MESSAGE_YAML = 256 * 1024  # a message file is a few kB
MAX_GEOJSON = 5 * 1024 * 1024  # a target area is a few polygons
MAX_AUDIO = 25 * 1024 * 1024  # a recorded voice or noise recording (minutes of WAV/FLAC)


def _read(f: UploadedFile | None, where: str, limit: int) -> bytes:
    if f is None:
        raise MeariError("choose a file to upload", where)
    if f.size is not None and f.size > limit:
        raise MeariError(f"file is {f.size:,} bytes; at most {limit:,} accepted", where)
    data = f.read(limit + 1)
    if len(data) > limit:
        raise MeariError(f"file is over {limit:,} bytes", where)
    if not data:
        raise MeariError("file is empty", where)
    return data


def message_yaml(f: UploadedFile | None) -> str:
    """The text of an uploaded message YAML file: UTF-8, NFC, validated as a message (line-numbered errors)."""
    where = "message file"
    data = _read(f, where, MAX_MESSAGE_YAML)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise MeariError(f"invalid UTF-8 at byte {e.start} (line {line})", where) from None
    text = unicodedata.normalize("NFC", text)
    from meari.message import parse_message

    parse_message(text, where)
    return text


def target_aim(f: UploadedFile) -> tuple[float, float]:
    """Aim point (lat, lon) = area centroid of an uploaded GeoJSON target (Polygon/MultiPolygon)."""
    from meari.plan.geo import area_centroid, load_target

    data = _read(f, "target GeoJSON", MAX_GEOJSON)
    with tempfile.TemporaryDirectory(prefix="meari-upload-") as tmp:
        path = Path(tmp) / "target.geojson"
        path.write_bytes(data)
        try:
            geom = load_target(path)
        except MeariError as e:
            raise MeariError(e.problem, "target GeoJSON") from None
    return area_centroid(geom)


MAX_AUDIO_SECONDS = 15 * 60


def audio(f: UploadedFile | None, where: str, max_seconds: float = MAX_AUDIO_SECONDS) -> tuple[Any, int]:
    """A recorded voice or noise recording (WAV, FLAC, OGG or MP3) as (mono float samples, sample rate).

    Decoded in memory by libsndfile; refused with the reason when it is not audio, is empty or is longer
    than ``max_seconds``.
    """
    import io

    import numpy as np
    import soundfile as sf

    data = _read(f, where, MAX_AUDIO)
    try:
        info = sf.info(io.BytesIO(data))
    except (RuntimeError, ValueError, TypeError, sf.LibsndfileError):
        raise MeariError("not an audio file meari can read (WAV, FLAC, OGG or MP3)", where) from None
    if info.frames <= 0 or info.samplerate <= 0:
        raise MeariError("holds no audio samples", where)
    if info.duration > max_seconds:
        raise MeariError(f"is {info.duration / 60:.1f} min long; at most {max_seconds / 60:g} min accepted", where)
    try:
        x, fs = sf.read(io.BytesIO(data), dtype="float64", always_2d=True)
    except (RuntimeError, ValueError, sf.LibsndfileError) as e:
        raise MeariError(f"cannot decode the audio: {str(e).splitlines()[0]}", where) from None
    if x.size == 0:
        raise MeariError("holds no audio samples", where)
    return np.asarray(x.mean(axis=1)), int(fs)


_EXTS = {"WAV": "wav", "FLAC": "flac", "OGG": "ogg", "MP3": "mp3"}


def voice_recording(f: UploadedFile | None) -> tuple[bytes, str]:
    """An uploaded recorded voice: its bytes and the extension of the format libsndfile found in them.

    The extension comes from the decoded format, never from the uploaded file's name.
    """
    import io

    import soundfile as sf

    where = "voice recording"
    audio(f, where)  # decodable, not empty, not too long
    f.seek(0)
    data = f.read()
    fmt = sf.info(io.BytesIO(data)).format
    if fmt not in _EXTS:
        raise MeariError(f"{fmt} audio is not accepted: use WAV, FLAC, OGG or MP3", where)
    return data, _EXTS[fmt]


def noise_levels(f: UploadedFile | None, dba: float | None) -> tuple[list[float], str]:
    """Octave-band levels (dB) of an uploaded noise recording, calibrated to the A-weighted level given.

    A recording has no absolute level, so the operator states the measured dBA at the listener (as with
    ``meari range --noise FILE --noise-dba``).
    """
    from meari.plan.bands import octave_band_levels
    from meari.plan.noise import calibrate_recording

    if dba is None:
        raise MeariError("a noise recording has no absolute level: give its A-weighted level (dBA)", "noise_dba")
    x, fs = audio(f, "noise recording")
    try:
        bands = octave_band_levels(x, fs, where="noise recording")
        levels = calibrate_recording(bands, dba)
    except MeariError as e:
        raise MeariError(e.problem, "noise recording") from None
    return [round(float(v), 2) for v in levels], f"uploaded recording, calibrated to {dba:g} dBA"


def _num(post: Any, key: str, lo: float, hi: float, *, integer: bool = False) -> float | int | None:
    raw = (post.get(key) or "").strip()
    if not raw:
        return None
    try:
        v = int(raw) if integer else float(raw)
    except ValueError:
        raise MeariError(f"expected a {'whole ' if integer else ''}number, got {raw[:40]!r}", key) from None
    if not (math.isfinite(v) and lo <= v <= hi):
        raise MeariError(f"must be between {lo:g} and {hi:g}", key)
    return v


def product_params(kind: str, post: Any, files: Any) -> dict:
    """Parameters for ``workflow.build_product`` from the products form (only the kind's own fields)."""
    p: dict[str, Any] = {}
    if kind == "imposed":
        sheet = post.get("sheet") or "A4"
        if sheet not in ("A4", "A3", "SRA3"):
            raise MeariError("sheet must be A4, A3 or SRA3", "sheet")
        p["sheet"] = sheet
    elif kind == "drift":
        if files.get("target"):
            lat, lon = target_aim(files["target"])
            p["aim"] = f"{lat:.6f},{lon:.6f}"
        for key in ("release", "aim"):
            if (post.get(key) or "").strip():
                p[key] = post[key].strip()[:60]
        if "release" in p and "aim" in p:
            raise MeariError("give a release point or an aim point (or a target), not both", "drift")
        if (post.get("wind") or "").strip():
            p["wind"] = post["wind"].strip()[:400]
        for key, lo, hi in (("height_m", 1, 20000),):
            v = _num(post, key, lo, hi)
            if v is not None:
                p[key] = v
        n = _num(post, "n", 100, 200000, integer=True)
        if n is not None:
            p["n"] = n
    elif kind == "range":
        for key, lo, hi in (("spl_1m_db", 80, 160), ("temp_c", -40, 50), ("rh_pct", 1, 100)):
            v = _num(post, key, lo, hi)
            if v is not None:
                p[key] = v
        for key in ("noise", "terrain"):
            if (post.get(key) or "").strip():
                p[key] = post[key].strip()[:40]
        if files.get("noise_file"):
            p["noise_db"], p["noise_source"] = noise_levels(files["noise_file"], _num(post, "noise_dba", -10, 140))
            p.pop("noise", None)
    return p


def when(value: str | None) -> datetime:
    """An aware datetime from a form's ``datetime-local`` value (read as UTC)."""
    try:
        dt = datetime.fromisoformat((value or "").strip())
    except ValueError:
        raise MeariError("give the time as YYYY-MM-DDTHH:MM (UTC)", "time") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def dissemination_fields(post: Any) -> dict:
    """Keyword arguments for ``workflow.record_dissemination`` from the dissemination form."""
    quantity = _num(post, "quantity", 1, 10**9, integer=True)
    if quantity is None:
        raise MeariError("how many went out?", "quantity")
    lat = _num(post, "lat", -90, 90)
    lon = _num(post, "lon", -180, 180)
    if lat is None or lon is None:
        raise MeariError("give the place as latitude and longitude", "place")
    channel = (post.get("channel") or "").strip()[:100]
    if not channel:
        raise MeariError("name the channel (balloon, drone, hand, loudspeaker...)", "channel")
    release: dict[str, Any] = {}
    for key, lo, hi in (("height_m", 0, 20000), ("wind_speed_ms", 0, 80), ("wind_from_deg", 0, 360)):
        v = _num(post, key, lo, hi)
        if v is not None:
            release[key] = v
    if (post.get("release_notes") or "").strip():
        release["notes"] = post["release_notes"].strip()[:1000]
    out: dict[str, Any] = {"quantity": int(quantity), "channel": channel, "time": when(post.get("time")),
                           "lat": float(lat), "lon": float(lon), "release": release,
                           "notes": (post.get("notes") or "").strip()[:2000]}
    if (post.get("drift_plan") or "").strip():
        try:
            int(post["drift_plan"])
        except ValueError:
            raise MeariError("no such drift plan", "drift_plan") from None
        out["drift_plan_id"] = True
    return out
