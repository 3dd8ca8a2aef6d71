"""Broadcast-ready loudspeaker audio: the loop, the voice, the file and its report.

The broadcast loop (configured by the message's ``broadcast:`` section):

    [attention chime] [gap] message [pause] message [pause] ... message [pause]
     \\___ if attention __/  \\______________ repeats times ________________/

The trailing pause lets a player loop the file without the next chime
treading on the last sentence. The voice is either a recording of a defector
reading the text (``broadcast.recording`` or ``--voice-file``: the real thing)
or a synthetic draft voice (``broadcast.voice``, e.g. ``espeak:ko``) for
previews and timing. Speech is band-limited and compressed once, the loop is
assembled, and the whole loop is loudness-normalised and true-peak limited
(:mod:`meari.produce.master`). The figures in the report are measured on the
samples written (for MP3, on the decoded file).
"""

from __future__ import annotations

import hashlib
import platform
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from meari import __version__
from meari.atomic import atomic_path
from meari.errors import MeariError
from meari.message import Message
from meari.outputs import STDOUT
from meari.produce import master as mastering
from meari.produce.master import Mastered, MasterSettings, Stage

FORMATS = {".wav": "WAV", ".flac": "FLAC", ".mp3": "MP3"}
MP3_RATES = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000}
MP3_BITRATES = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}

# Attention chime: a rising G major triad (G5 784 Hz, B5 988 Hz, D6 1175 Hz),
# notes 0.32 s apart, each a bell-like tone (partials 1x, 2x, 3x at 1, 0.35, 0.12)
# with a 5 ms attack and a 0.35 s exponential decay, 1.2 s long. All partials sit
# inside the horn band, near the ear's most sensitive region, and unlike any
# voice, so listeners know a message follows. Level: its loudest 400 ms (momentary
# loudness, EBU R 128) equals the speech's integrated loudness, so it alerts without
# startling and without eating the limiter's headroom.
CHIME_NOTES_HZ = (783.99, 987.77, 1174.66)
CHIME_STEP_S = 0.32
CHIME_NOTE_S = 1.2
CHIME_DECAY_S = 0.35
CHIME_PARTIALS = ((1.0, 1.0), (2.0, 0.35), (3.0, 0.12))
CHIME_GAP_S = 0.7  # silence between the chime's end and the first message
MAX_LOOP_S = 3600.0  # one file of an hour is already far longer than any loudspeaker loop
CHIME_LOUDNESS_LU = 0.0  # chime's maximum momentary loudness relative to the speech's integrated loudness


def attention_chime(sample_rate: int) -> np.ndarray:
    """The attention signal (unit-free; levelled against the speech later)."""
    n_total = int((CHIME_STEP_S * (len(CHIME_NOTES_HZ) - 1) + CHIME_NOTE_S) * sample_rate)
    out = np.zeros(n_total)
    t = np.arange(int(CHIME_NOTE_S * sample_rate)) / sample_rate
    env = np.exp(-t / CHIME_DECAY_S) * np.minimum(1.0, t / 0.005)
    for i, f0 in enumerate(CHIME_NOTES_HZ):
        note = sum(a * np.sin(2 * np.pi * f0 * m * t) for m, a in CHIME_PARTIALS) * env
        start = int(i * CHIME_STEP_S * sample_rate)
        out[start : start + len(note)] += note
    return out / np.abs(out).max()


@dataclass
class Segment:
    """One part of the loop, in seconds from the file's start."""

    kind: str  # attention | message | pause
    start_s: float
    end_s: float

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3)}


@dataclass
class AudioOptions:
    """Command-line overrides of the message's ``broadcast:`` section and the mastering settings."""

    voice_file: Path | None = None  # a recording; overrides broadcast.recording
    voice: str | None = None  # force a synthetic voice (e.g. for previews when a recording exists)
    repeats: int | None = None
    pause_s: float | None = None
    attention: bool | None = None
    allow_clipped: bool = False
    force: bool = False  # produce even if review finds errors (the report then says approved: false)
    settings: MasterSettings = field(default_factory=MasterSettings)
    mp3_bitrate: int = 128


@dataclass
class Broadcast:
    """A mastered loop ready to write, plus everything the report needs."""

    loop: np.ndarray  # assembled, prepared but not yet normalised (kept for MP3 re-mastering)
    mastered: Mastered
    segments: list[Segment]
    settings: MasterSettings
    voice: dict
    text: dict
    loop_info: dict
    warnings: list[str]
    signature: str
    sponsor: str | None = None


def spoken_text(message: Message) -> tuple[str, dict]:
    """The text to speak and its report.

    A message drafted in one standard for listeners of the other is converted
    first (``to_nk`` for North Korean listeners, ``to_sk`` the other way), so the
    voice reads what the audience reads.
    """
    info: dict = {"language": message.language, "drafted_in": message.source_language, "sha256": message.text_hash()}
    text = message.text
    if message.needs_conversion:
        from meari.lang import convert

        fn = convert.to_nk if message.language == "nk" else convert.to_sk
        conv = fn(text)
        text = conv.text
        info.update(
            converted=True,
            conversion=f"{conv.direction} (meari.lang.convert.{fn.__name__})",
            conversion_signature=conv.signature,
            edits=len(conv.edits),
        )
    else:
        info["converted"] = False
    from meari.produce.tts import count_syllables

    info["spoken"] = text
    info["spoken_sha256"] = hashlib.sha256(text.encode()).hexdigest()[:16]
    info["syllables"] = count_syllables(text)
    return text, info


def _file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def _voice(
    message: Message, message_path: Path | None, text: str, opts: AudioOptions, sr: int
) -> tuple[np.ndarray, dict, list[str]]:
    """Pick and load the voice: recording (file option, then message) or synthetic draft."""
    from meari.produce.recording import load_recording
    from meari.produce.tts import count_syllables, get_backend

    b = message.broadcast
    warnings: list[str] = []
    rec_path: Path | None = None
    if opts.voice is None:
        if opts.voice_file is not None:
            rec_path = Path(opts.voice_file)
        elif b.recording:
            base = message_path.parent if message_path is not None else Path.cwd()
            rec_path = base / b.recording
    if rec_path is not None:
        rec = load_recording(rec_path, sr, allow_clipped=opts.allow_clipped)
        warnings += rec.warnings
        syl = count_syllables(text)
        speech_s = len(rec.samples) / sr
        if syl:
            expected = syl / b.syllables_per_s
            if not 0.5 <= speech_s / expected <= 2.0:
                warnings.append(
                    f"recording lasts {speech_s:.1f} s but the text ({syl} syllables at {b.syllables_per_s:g}/s) "
                    f"should take about {expected:.0f} s: is it a reading of this message?"
                )
        info = {"source": "recording", "id": f"file:{Path(rec.path).name}@{_file_hash(rec.path)}", **rec.describe()}
        return rec.samples, info, warnings
    backend = get_backend(opts.voice or b.voice)
    x, tts_sr = backend.synthesise(text, b.syllables_per_s)
    if tts_sr != sr:
        from meari.produce.recording import _resample

        x = _resample(x, tts_sr, sr)
    desc = backend.describe()
    info = {
        "source": "synthetic",
        "id": f"{backend.name}@{desc.get('engine', '?')}",
        "syllables_per_s_requested": b.syllables_per_s,
        **desc,
    }
    if tts_sr != sr:
        info["resampled"] = f"{tts_sr} Hz -> {sr} Hz (scipy.signal.resample_poly)"
    warnings.append(f"synthetic draft voice ({backend.name}): for previews and timing only; broadcast a recorded voice")
    return x, info, warnings


def _signature(text_info: dict, voice: dict, s: MasterSettings, loop_info: dict) -> str:
    """Provenance signature, sacrebleu-style: enough to trace the file to the reviewed text."""
    parts = [
        f"meari:{__version__}",
        f"text:{text_info['sha256']}",
        f"spoken:{text_info['spoken_sha256']}",
        f"conv:{text_info.get('conversion_signature') or 'none'}" if text_info.get("converted") else "conv:none",
        f"voice:{voice['id']}",
        f"loop:{'A+' if loop_info['attention'] else ''}{loop_info['repeats']}x+{loop_info['pause_s']:g}s",
        f"band:{s.highpass_hz:g}-{s.lowpass_hz:g}",
        f"comp:{s.comp_ratio:g}:1@{s.comp_threshold_dbfs:g}",
        f"lufs:{s.target_lufs:g}",
        f"tp:{s.ceiling_dbtp:g}",
        f"sr:{s.sample_rate}",
    ]
    return "|".join(parts)


def assemble_loop(
    speech: np.ndarray, sr: int, repeats: int, pause_s: float, attention: bool
) -> tuple[np.ndarray, list[Segment]]:
    """Concatenate chime, gap, messages and pauses; ``speech`` must already be prepared."""
    parts: list[np.ndarray] = []
    segments: list[Segment] = []
    pos = 0

    def add(x: np.ndarray, kind: str | None) -> None:
        nonlocal pos
        if kind:
            segments.append(Segment(kind, pos / sr, (pos + len(x)) / sr))
        parts.append(x)
        pos += len(x)

    if attention:
        chime = attention_chime(sr)
        speech_loud = mastering.integrated_loudness(speech, sr)
        chime_loud = mastering.max_momentary_loudness(chime, sr)
        chime = chime * 10 ** ((speech_loud + CHIME_LOUDNESS_LU - chime_loud) / 20)
        add(chime, "attention")
        add(np.zeros(int(CHIME_GAP_S * sr)), None)
    pause = np.zeros(int(round(pause_s * sr)))
    for _ in range(repeats):
        add(speech, "message")
        if len(pause):
            add(pause, "pause")
    return np.concatenate(parts), segments


def build_broadcast(
    message: Message, message_path: str | Path | None = None, opts: AudioOptions | None = None
) -> Broadcast:
    """Make the mastered broadcast loop for a message (nothing is written)."""
    opts = opts or AudioOptions()
    s = opts.settings
    s.validate()
    b = message.broadcast
    repeats = opts.repeats if opts.repeats is not None else b.repeats
    pause_s = opts.pause_s if opts.pause_s is not None else b.pause_s
    attention = opts.attention if opts.attention is not None else b.attention
    if not 1 <= repeats <= 50:
        raise MeariError(f"repeats must be 1-50, not {repeats}", "--repeats")
    if not 0 <= pause_s <= 60:
        raise MeariError(f"pause must be 0-60 s, not {pause_s:g}", "--pause")
    mpath = Path(message_path) if message_path is not None else None
    text, text_info = spoken_text(message)
    raw, voice, warnings = _voice(message, mpath, text, opts, s.sample_rate)
    loop_s = (len(raw) / s.sample_rate + pause_s) * repeats
    if loop_s > MAX_LOOP_S:
        raise MeariError(
            f"the loop would last {loop_s / 60:.0f} min ({repeats} x {len(raw) / s.sample_rate:.0f} s); "
            f"at most {MAX_LOOP_S / 60:.0f} min: lower the repeats or shorten the message",
            "broadcast.repeats",
        )
    speech, stages = mastering.prepare_speech(raw, s)
    loop, segments = assemble_loop(speech, s.sample_rate, repeats, pause_s, attention)
    loop_info = {
        "structure": (
            ("attention chime, " if attention else "") + f"message x{repeats} each followed by a {pause_s:g} s pause"
        ),
        "attention": attention,
        "attention_signal": (
            f"rising chime {'/'.join(f'{f:.0f}' for f in CHIME_NOTES_HZ)} Hz, "
            f"{CHIME_STEP_S:g} s apart, {CHIME_GAP_S:g} s gap before the message"
            if attention
            else None
        ),
        "repeats": repeats,
        "pause_s": pause_s,
        "message_s": round(len(speech) / s.sample_rate, 3),
    }
    if attention:
        stages.append(
            Stage("attention", {"notes_hz": list(CHIME_NOTES_HZ), "max_momentary_vs_speech_lu": CHIME_LOUDNESS_LU})
        )
    out = mastering.normalise_and_limit(loop, s)
    out.stages = stages + out.stages
    warnings += out.warnings
    sig = _signature(text_info, voice, s, loop_info)
    return Broadcast(loop, out, segments, s, voice, text_info, loop_info, warnings, sig, message.sponsor)


def _check_output(path: Path, s: MasterSettings, bitrate: int) -> str:
    if str(path) == STDOUT:
        return "WAV"  # ``-o -``: standard output carries no suffix; WAV is the one self-describing choice
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise MeariError(
            f"unsupported output format {path.suffix or '(no suffix)'!r}; use .wav, .flac or .mp3", str(path)
        )
    if path.is_dir():
        raise MeariError("output is a directory; give a file name ending in .wav, .flac or .mp3", str(path))
    if fmt == "MP3":
        if s.sample_rate not in MP3_RATES:
            raise MeariError(
                f"MP3 cannot hold {s.sample_rate} Hz; use one of {', '.join(map(str, sorted(MP3_RATES)))}",
                "--sample-rate",
            )
        if bitrate not in MP3_BITRATES:
            raise MeariError(f"MP3 bit rate {bitrate} kbit/s is not one of {sorted(MP3_BITRATES)}", "--bitrate")
    return fmt


def _id3_tag(title: str, artist: str | None, comment: str) -> bytes:
    """A minimal ID3v2.3 tag (UTF-16 text frames) carrying title, sponsor and provenance signature."""

    def frame(fid: str, payload: bytes) -> bytes:
        return fid.encode() + len(payload).to_bytes(4, "big") + b"\0\0" + payload

    def text(s: str) -> bytes:
        return b"\x01" + s.encode("utf-16")  # encoding 1 = UTF-16 with BOM

    body = frame("TIT2", text(title)) + frame("TSSE", text(f"meari {__version__}"))
    if artist:
        body += frame("TPE1", text(artist))
    body += frame("COMM", b"\x01eng" + "".encode("utf-16") + b"\0\0" + comment.encode("utf-16"))
    n = len(body)
    size = bytes([(n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127])
    return b"ID3\x03\x00\x00" + size + body


def _encode_mp3(pcm: np.ndarray, sr: int, bitrate: int) -> bytes:
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(bitrate)
    enc.set_in_sample_rate(sr)
    enc.set_channels(1)
    enc.set_quality(3)  # lame -q 3: near -q 2 quality for speech at half the CPU
    return bytes(enc.encode(pcm.tobytes()) + enc.flush())


def _codec_delay(original: np.ndarray, decoded: np.ndarray, sr: int) -> int:
    """Samples of silence the MP3 encoder put in front (found by cross-correlating the first seconds)."""
    from scipy.signal import correlate

    n = min(len(original), 3 * sr)
    a = original[:n]
    b = decoded[: n + 4096]
    if not np.any(a):
        return 0
    c = correlate(b, a, mode="valid", method="fft")
    return int(np.argmax(c))


def _write_mp3(bc: Broadcast, tmp: Path, bitrate: int) -> tuple[Mastered, dict, float, float, float]:
    """Encode with LAME, decode the file back and correct until the *decoded* audio meets the spec.

    LAME at 128 kbit/s and below was measured to lower the level by about 0.45 dB
    (x0.95) and any lossy codec adds peaks, so the figures are taken from the
    decoded file: the encoder input is re-scaled by the loudness error and, if
    that would push the decoded true peak over the ceiling, the loop is mastered
    again with a lower internal ceiling (EBU Tech 3343 advises extra headroom before lossy coding).
    """
    import soundfile as sf

    s = bc.settings
    mastered = bc.mastered
    ceiling = s.ceiling_dbtp
    scale_db = 0.0
    decoded = np.zeros(0)
    loud = tp = float("nan")
    dsr = s.sample_rate
    goal = mastered.loudness_lufs  # the target, or what the master could reach under the ceiling
    for _attempt in range(6):
        pcm = np.clip(np.round(mastered.samples * 10 ** (scale_db / 20) * 32768), -32768, 32767).astype(np.int16)
        tmp.write_bytes(_id3_tag("meari broadcast", bc.sponsor, bc.signature) + _encode_mp3(pcm, dsr, bitrate))
        decoded, dsr = sf.read(str(tmp), dtype="float64")
        loud = mastering.integrated_loudness(decoded, dsr)
        tp = mastering.true_peak_dbtp(decoded)
        if tp <= s.ceiling_dbtp and abs(loud - goal) <= 0.1:
            break
        scale_db += goal - loud
        predicted_tp = tp + (goal - loud)
        if predicted_tp > s.ceiling_dbtp:
            ceiling -= predicted_tp - s.ceiling_dbtp + 0.05
            kept = [st for st in bc.mastered.stages if st.id not in ("loudness", "true_peak_limiter", "quantise")]
            mastered = mastering.normalise_and_limit(bc.loop, s, ceiling_db=ceiling)
            mastered.stages = kept + mastered.stages
            goal = mastered.loudness_lufs
    if tp > s.ceiling_dbtp:
        raise MeariError(
            f"MP3 encoding keeps the true peak at {tp:.2f} dBTP, over the {s.ceiling_dbtp:g} dBTP ceiling; "
            "lower --ceiling or write WAV",
            str(tmp),
        )
    delay = _codec_delay(mastered.samples, decoded, dsr)
    mastered.stages.append(
        Stage(
            "mp3",
            {
                "encoder": "LAME (lameenc)",
                "bitrate_kbps": bitrate,
                "quality": 3,
                "channels": 1,
                "level_correction_db": round(scale_db, 2),
                "limiter_ceiling_used_dbtp": round(ceiling, 2),
            },
        )
    )
    extra = {"bitrate_kbps": bitrate, "codec_delay_s": round(delay / dsr, 4)}
    return mastered, extra, loud, tp, len(decoded) / dsr


def write_broadcast(bc: Broadcast, out: str | Path, *, mp3_bitrate: int = 128) -> dict:
    """Write the broadcast atomically and return the report (measured on what was written)."""
    import soundfile as sf

    path = Path(out)
    s = bc.settings
    fmt = _check_output(path, s, mp3_bitrate)
    extra: dict = {"format": fmt}
    with atomic_path(path, ".wav" if str(path) == STDOUT else None) as tmp:
        if fmt in ("WAV", "FLAC"):
            m = bc.mastered
            pcm = np.round(m.samples * mastering.FULL_SCALE_16).astype(np.int16)
            with sf.SoundFile(str(tmp), "w", s.sample_rate, 1, "PCM_16", format=fmt) as f:
                f.title = "meari broadcast"
                if bc.sponsor:
                    f.artist = bc.sponsor
                f.comment = bc.signature
                f.write(pcm)
            extra["subtype"] = "PCM_16"
            loud, tp, dur = m.loudness_lufs, m.true_peak_dbtp, m.duration_s
        else:
            m, more, loud, tp, dur = _write_mp3(bc, tmp, mp3_bitrate)
            extra.update(more)
    return make_report(bc, m, str(path), loud, tp, dur, extra)


def make_report(bc: Broadcast, m: Mastered, output: str, loud: float, tp: float, dur: float, extra: dict) -> dict:
    """The JSON report: figures, loop, voice, text, stages, warnings and signature."""
    s = bc.settings
    return {
        "output": output,
        **extra,
        "duration_s": round(dur, 3),
        "sample_rate": s.sample_rate,
        "channels": 1,
        "integrated_lufs": round(loud, 2),
        "true_peak_dbtp": round(tp, 2),
        "target_lufs": s.target_lufs,
        "ceiling_dbtp": s.ceiling_dbtp,
        "loop": {**bc.loop_info, "segments": [seg.to_dict() for seg in bc.segments]},
        "voice": bc.voice,
        "text": bc.text,
        "stages": [st.to_dict() for st in m.stages],
        "warnings": bc.warnings,
        "provenance": {
            "meari_version": __version__,
            "text_sha256": bc.text["sha256"],
            "python": platform.python_version(),
            "signature": bc.signature,
        },
        "signature": bc.signature,
    }


def produce_audio(
    message: Message, message_path: str | Path | None, out: str | Path, opts: AudioOptions | None = None
) -> dict:
    """Build and write a broadcast; returns the report. Checks the output name before any work."""
    from meari.review import gate

    opts = opts or AudioOptions()
    _check_output(Path(out), opts.settings, opts.mp3_bitrate)
    rv = gate(message, opts.force, str(message_path or "message"))
    bc = build_broadcast(message, message_path, opts)
    report = write_broadcast(bc, out, mp3_bitrate=opts.mp3_bitrate)
    report["approved"] = not rv.has_errors
    report["review"] = rv.summary()
    legal = rv.legal_warnings
    report["legal_warnings"] = legal.to_dict()
    report["provenance"]["review"] = legal.signature
    if legal:
        report["warnings"].append(legal.note)
    if rv.has_errors:
        report["warnings"].append("review found errors: this broadcast is NOT APPROVED (made with --force)")
    return report
