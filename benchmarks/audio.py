"""Benchmark: loudspeaker mastering speed (and the draft TTS) in CPU seconds.

Masters 60 s of 44.1 kHz speech (the example appeal, spoken by eSpeak NG and
repeated with pauses) through the full chain of meari.produce.master.master
(band-limit, align, compress, loudness-normalise, true-peak limit, quantise,
measure) and reports seconds of audio per CPU second (time.process_time), the
median of 5 runs after one warm-up. Also times the eSpeak NG synthesis.

Last line: ``realtime_factor=<float> tts_realtime_factor=<float> ...``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from meari.message import load_message  # noqa: E402
from meari.produce.master import MasterSettings, master  # noqa: E402
from meari.produce.recording import _resample  # noqa: E402
from meari.produce.tts import get_backend  # noqa: E402

SECONDS = 60.0
RUNS = 5


def main() -> None:
    msg = load_message(ROOT / "examples" / "appeal.yaml")
    backend = get_backend(msg.broadcast.voice)
    backend.synthesise(msg.text[:20], 4.0)  # load the library and voice
    t = time.process_time()
    speech, sr = backend.synthesise(msg.text, msg.broadcast.syllables_per_s)
    tts_cpu = time.process_time() - t
    tts_rtf = len(speech) / sr / tts_cpu
    s = MasterSettings()
    speech = _resample(speech, sr, s.sample_rate)
    gap = np.zeros(int(2.0 * s.sample_rate))
    n = int(SECONDS * s.sample_rate)
    reps = int(np.ceil(n / (len(speech) + len(gap))))
    audio = np.concatenate([np.concatenate([speech, gap])] * reps)[:n]
    master(audio[: 5 * s.sample_rate], s)  # warm-up: imports, filter design caches
    times = []
    for _ in range(RUNS):
        t = time.process_time()
        out = master(audio, s)
        times.append(time.process_time() - t)
    cpu = statistics.median(times)
    print(f"mastered {SECONDS:g} s: CPU {cpu * 1000:.0f} ms (median of {RUNS}; min {min(times) * 1000:.0f} ms)")
    print(f"result: {out.loudness_lufs:.2f} LUFS (target {s.target_lufs:g}), {out.true_peak_dbtp:.2f} dBTP")
    print(
        f"realtime_factor={SECONDS / cpu:.1f} tts_realtime_factor={tts_rtf:.0f} "
        f"loudness_lufs={out.loudness_lufs:.2f} true_peak_dbtp={out.true_peak_dbtp:.2f}"
    )


if __name__ == "__main__":
    main()
