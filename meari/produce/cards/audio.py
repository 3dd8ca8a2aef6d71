"""One mastered audio file per phrase, named by phrase id (``cmd.stop.mp3``).

Why a preset per playback device: the phrase is played from a phone's speaker or a hand
megaphone a few metres from the prisoner, not over a long-range loudspeaker. Both have no
bass and little above 4-5 kHz, so the band is narrowed to what they reproduce and the speech
is compressed and brought to a loud, even level (phone players have no normaliser). The
chain is meari's broadcast mastering (:mod:`meari.produce.master`) with these settings;
voices are the existing TTS backends (draft quality: record a native speaker for field use).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from meari.atomic import atomic_path
from meari.errors import MeariError
from meari.produce.master import MasterSettings, master

PRESETS: dict[str, MasterSettings] = {
    # Phone speaker: ~300 Hz-6 kHz usable; loud (-14 LUFS, streaming-player loudness), 1 dBTP headroom.
    "phone": MasterSettings(sample_rate=22050, highpass_hz=300.0, lowpass_hz=6000.0, target_lufs=-14.0,
                            ceiling_dbtp=-1.0, comp_threshold_dbfs=-28.0, comp_ratio=3.0),
    # Hand megaphone / small horn: ~500 Hz-4 kHz, heavier compression for a steady level (-12 LUFS was
    # measured to be out of reach under the -1 dBTP ceiling for short eSpeak phrases: -14 is met).
    "megaphone": MasterSettings(sample_rate=22050, highpass_hz=500.0, lowpass_hz=4000.0, target_lufs=-14.0,
                                ceiling_dbtp=-1.0, comp_threshold_dbfs=-32.0, comp_ratio=4.0),
}
FORMATS = (".mp3", ".wav")
MP3_KBPS = 48  # mono speech at 22.05 kHz: transparent enough for a phone, ~6 kB per second


@dataclass
class PhraseAudio:
    id: str
    path: Path
    duration_s: float
    loudness_lufs: float
    true_peak_dbtp: float


def _resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    if sr_in == sr_out:
        return x
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(sr_in, sr_out)
    return resample_poly(x, sr_out // g, sr_in // g)


def _encode_mp3(samples: np.ndarray, sr: int) -> bytes:
    import lameenc

    pcm = np.clip(np.round(samples * 32768), -32768, 32767).astype(np.int16)
    enc = lameenc.Encoder()
    enc.set_bit_rate(MP3_KBPS)
    enc.set_in_sample_rate(sr)
    enc.set_channels(1)
    enc.set_quality(3)
    return bytes(enc.encode(pcm.tobytes()) + enc.flush())


def render_phrase(text: str, voice: str = "espeak:ko", preset: str = "phone", rate: float = 3.5):
    """Synthesise and master one phrase; returns :class:`meari.produce.master.Mastered`."""
    from meari.produce.tts import get_backend

    if preset not in PRESETS:
        raise MeariError(f"unknown preset {preset!r}; use one of {', '.join(PRESETS)}", "--preset")
    s = PRESETS[preset]
    backend = get_backend(voice)
    x, sr = backend.synthesise(text, rate)
    x = _resample(np.asarray(x, dtype=np.float64), sr, s.sample_rate)
    # a short lead-in and tail so a phone player does not clip the first syllable
    pad = np.zeros(int(0.12 * s.sample_rate))
    return master(np.concatenate([pad, x, pad]), s)


def write_phrase_audio(entries, outdir: str | Path, voice: str = "espeak:ko", preset: str = "phone",
                       fmt: str = ".mp3", rate: float = 3.5) -> list[PhraseAudio]:
    """One file per entry (its ``nk`` text) into ``outdir``, each written atomically."""
    import soundfile as sf

    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise MeariError("is not a directory", str(out))
    if fmt not in FORMATS:
        raise MeariError(f"unsupported audio format {fmt!r}; use {' or '.join(FORMATS)}", "--audio-format")
    if preset not in PRESETS:
        raise MeariError(f"unknown preset {preset!r}; use one of {', '.join(PRESETS)}", "--preset")
    out.mkdir(parents=True, exist_ok=True)
    written: list[PhraseAudio] = []
    for e in entries:
        m = render_phrase(e.nk, voice, preset, rate)
        path = out / f"{e.id}{fmt}"
        with atomic_path(path) as tmp:
            if fmt == ".mp3":
                tmp.write_bytes(_encode_mp3(m.samples, m.sample_rate))
            else:
                sf.write(str(tmp), m.samples, m.sample_rate, subtype="PCM_16", format="WAV")
        written.append(PhraseAudio(e.id, path, round(m.duration_s, 3), round(m.loudness_lufs, 2),
                                   round(m.true_peak_dbtp, 2)))
    return written
