"""Text-to-speech backends for draft broadcasts (previews and timing).

A synthetic voice is never the broadcast: a defector's recorded voice is. The
draft voice lets a producer hear the loop, check its length and feed the range
planner before the recording exists. Backends share one tiny interface,
:class:`TTSBackend`, so a better offline voice can be added later without
touching the mastering code; ``broadcast.voice`` picks one by name
(``"<backend>:<voice>"``, e.g. ``espeak:ko`` or ``espeak:ko+m3``).

eSpeak NG is driven through ctypes from the library and data that the
``espeakng-loader`` wheel ships (the ``espeakng`` PyPI package only shells out
to a binary that is not installed). It synthesises Korean about 1,000x faster
than real time, formant-style: robotic, but every syllable is there.
"""

from __future__ import annotations

import ctypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from meari.errors import MeariError

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3


def count_syllables(text: str) -> int:
    """Number of precomposed Hangul syllables: the unit Korean speaking rates are counted in."""
    return sum(1 for ch in text if HANGUL_FIRST <= ord(ch) <= HANGUL_LAST)


def speech_text(text: str) -> str:
    """Text as a speech engine should read it.

    North Korean print quotes with 《 》 and 〈 〉; engines would spell those out
    or stumble, so they become plain pauses. Line breaks end a sentence when the
    line has no final punctuation, so each line is spoken as its own phrase.
    """
    t = re.sub(r"[《》〈〉「」『』“”\"]", "", text)
    lines = [ln.strip() for ln in t.splitlines() if ln.strip()]
    out = []
    for ln in lines:
        out.append(ln if ln[-1] in ".!?。,;:" else ln + ".")
    return " ".join(out)


@runtime_checkable
class TTSBackend(Protocol):
    """A speech synthesiser: text and a speaking rate in, mono samples out."""

    name: str  # e.g. "espeak:ko+m3"

    def synthesise(self, text: str, rate: float) -> tuple[np.ndarray, int]:
        """Speak ``text`` at about ``rate`` syllables per second; return (float samples in [-1, 1], sample rate)."""
        ...

    def describe(self) -> dict:
        """Engine, version and settings for the report and provenance signature."""
        ...


# --------------------------------------------------------------------------- eSpeak NG

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INIT_DONT_EXIT = 0x8000
_ESPEAK_RATE = 1
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EE_OK = 0
# eSpeak's rate parameter is in "words per minute"; its limits (speak_lib.h).
_WPM_MIN, _WPM_MAX = 80, 450
# Korean at espeakRATE 175 measured 5.0 syllables/s on examples/appeal.yaml (pauses
# included), i.e. ~35 wpm per syllable/s; the first guess, refined per text below.
_WPM_PER_SYLLABLE_S = 35.0

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Espeak:
    """The process-wide libespeak-ng instance (it keeps global state: one lock guards it)."""

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError:  # pragma: no cover - pinned dependency
            raise MeariError(
                "espeakng-loader is not installed; run `make test` to install dependencies", "voice"
            ) from None
        self.data_path = Path(espeakng_loader.get_data_path())
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        sr = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, str(self.data_path).encode(), _INIT_DONT_EXIT)
        if sr <= 0:
            raise MeariError(f"eSpeak NG failed to initialise with data at {self.data_path}", "voice")
        self.lib = lib
        self.sample_rate = int(sr)
        self.version = (lib.espeak_Info(None) or b"?").decode()
        self._chunks: list[np.ndarray] = []
        self._cb = _CALLBACK(self._collect)  # kept referenced: C holds the pointer
        lib.espeak_SetSynthCallback(self._cb)
        self.lock = threading.Lock()

    def _collect(self, wav, n, _events) -> int:
        if n > 0 and wav:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0  # 0 = continue synthesis

    def voices(self) -> tuple[set[str], set[str]]:
        """(languages, variants) available in the packaged data."""
        langs = {p.name for p in (self.data_path / "lang").rglob("*") if p.is_file()}
        variants = {p.name for p in (self.data_path / "voices" / "!v").iterdir() if p.is_file()}
        return langs, variants

    def synth(self, voice: str, text: str, wpm: int) -> np.ndarray:
        with self.lock:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
                raise MeariError(f"eSpeak NG has no voice {voice!r}", "broadcast.voice")
            self.lib.espeak_SetParameter(_ESPEAK_RATE, int(wpm), 0)
            self._chunks = []
            raw = text.encode("utf-8")
            rc = self.lib.espeak_Synth(raw, len(raw) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            if rc != _EE_OK:
                raise MeariError(f"eSpeak NG could not synthesise the text (error {rc})", "voice")
            chunks, self._chunks = self._chunks, []
        if not chunks:
            return np.zeros(0)
        return np.concatenate(chunks).astype(np.float64) / 32768.0


_ENGINE: _Espeak | None = None
_ENGINE_LOCK = threading.Lock()


def _engine() -> _Espeak:
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = _Espeak()
        return _ENGINE


def _voiced_span(x: np.ndarray, sr: int) -> float:
    """Seconds from the first to the last sample above -50 dBFS (speech without edge silence)."""
    idx = np.flatnonzero(np.abs(x) > 10 ** (-50 / 20))
    return (idx[-1] - idx[0] + 1) / sr if len(idx) else 0.0


@dataclass
class EspeakBackend:
    """eSpeak NG via ctypes. ``voice`` is an eSpeak name: ``ko`` or ``ko+<variant>`` (e.g. ``ko+m3``)."""

    voice: str = "ko"
    last_wpm: int | None = None
    last_rate: float | None = None

    def __post_init__(self) -> None:
        eng = _engine()
        langs, variants = eng.voices()
        lang, _, variant = self.voice.partition("+")
        if lang not in langs:
            raise MeariError(f"eSpeak NG has no language {lang!r} (Korean is 'ko')", "broadcast.voice")
        if variant and variant not in variants:
            some = ", ".join(sorted(v for v in variants if re.fullmatch(r"[fm]\d", v)))
            raise MeariError(f"eSpeak NG has no voice variant {variant!r} (try one of {some})", "broadcast.voice")

    @property
    def name(self) -> str:
        return f"espeak:{self.voice}"

    def synthesise(self, text: str, rate: float) -> tuple[np.ndarray, int]:
        """Synthesise, then re-synthesise once at a corrected eSpeak rate so the
        measured syllables per second (edge silence excluded) match ``rate``.
        eSpeak's rate is nominally words/minute and its pauses do not scale
        with it, so a fixed conversion is off by up to ~15 %; one correction
        costs a millisecond per second of speech.
        """
        eng = _engine()
        spoken = speech_text(text)
        n_syl = count_syllables(spoken)
        wpm = int(np.clip(round(rate * _WPM_PER_SYLLABLE_S), _WPM_MIN, _WPM_MAX))
        x = eng.synth(self.voice, spoken, wpm)
        span = _voiced_span(x, eng.sample_rate)
        if n_syl and span > 0:
            measured = n_syl / span
            if abs(measured / rate - 1) > 0.03:
                wpm2 = int(np.clip(round(wpm * rate / measured), _WPM_MIN, _WPM_MAX))
                if wpm2 != wpm:
                    wpm = wpm2
                    x = eng.synth(self.voice, spoken, wpm)
                    span = _voiced_span(x, eng.sample_rate)
        if len(x) == 0 or span == 0:
            raise MeariError("eSpeak NG produced no audio for this text (is it Korean?)", "text")
        self.last_wpm = wpm
        self.last_rate = n_syl / span if n_syl else None
        return x, eng.sample_rate

    def describe(self) -> dict:
        eng = _engine()
        return {
            "backend": "espeak",
            "voice": self.voice,
            "engine": f"eSpeak NG {eng.version}",
            "engine_sample_rate": eng.sample_rate,
            "espeak_rate_wpm": self.last_wpm,
            "syllables_per_s_measured": round(self.last_rate, 2) if self.last_rate else None,
        }


BACKENDS = {"espeak": EspeakBackend}


def get_backend(spec: str) -> TTSBackend:
    """Backend for a ``broadcast.voice`` value such as ``espeak:ko+m3``."""
    kind, sep, voice = spec.partition(":")
    if not sep or not voice:
        raise MeariError(f"voice {spec!r} must look like 'espeak:ko' (backend:voice)", "broadcast.voice")
    cls = BACKENDS.get(kind)
    if cls is None:
        raise MeariError(f"unknown voice backend {kind!r}; available: {', '.join(sorted(BACKENDS))}", "broadcast.voice")
    return cls(voice)
