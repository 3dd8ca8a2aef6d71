"""``meari audio MESSAGE -o OUT.wav|.flac|.mp3``: the mastered loudspeaker loop.

Argument parsing and I/O only; the work is in :mod:`meari.produce.audio`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "audio",
        help="loudspeaker audio: attention chime + message loop, mastered for horns",
        description=(
            "Make a broadcast-ready loudspeaker loop from a message file: attention chime, then the message "
            "repeated with pauses, band-limited to the horn, compressed, loudness-normalised and true-peak "
            "limited. The format follows the output suffix (.wav, .flac, .mp3). See docs/audio.md."
        ),
    )
    p.add_argument("message", type=Path, help="message file (.yaml, or .txt with the text only)")
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="output file: .wav, .flac or .mp3; - writes WAV to stdout (the report goes to stderr)")
    v = p.add_mutually_exclusive_group()
    v.add_argument(
        "--voice-file", type=Path, help="recording of the text (WAV/FLAC/MP3/OGG); overrides broadcast.recording"
    )
    v.add_argument("--voice", help="use this synthetic draft voice even if a recording is set (e.g. espeak:ko+m3)")
    p.add_argument("--repeats", type=int, help="times the message is spoken (default: broadcast.repeats)")
    p.add_argument("--pause", type=float, metavar="S", help="seconds of silence after each message (broadcast.pause_s)")
    p.add_argument("--no-attention", action="store_true", help="leave out the attention chime")
    p.add_argument(
        "--target",
        type=float,
        default=-16.0,
        metavar="LUFS",
        help="integrated loudness (default -16; -14 for a louder horn)",
    )
    p.add_argument("--ceiling", type=float, default=-1.0, metavar="DBTP", help="true-peak ceiling (default -1.0)")
    p.add_argument(
        "--band", type=float, nargs=2, default=[300.0, 5000.0], metavar=("LOW", "HIGH"),
        help="horn pass band in Hz (default 300 5000)",
    )  # fmt: skip
    p.add_argument("--sample-rate", type=int, default=44100, metavar="HZ", help="output sample rate (default 44100)")
    p.add_argument("--bitrate", type=int, default=128, metavar="KBPS", help="MP3 bit rate (default 128)")
    p.add_argument("--allow-clipped", action="store_true", help="accept a clipped recording (warn instead of fail)")
    p.add_argument("--sponsor", metavar="NAME",
                   help="who the product is attributed to, for a message that does not name one (a .txt)")
    p.add_argument("--force", action="store_true",
                   help="produce even if review finds errors (the report marks it NOT APPROVED)")
    p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    p.set_defaults(func=run)


def _options(args: argparse.Namespace):
    from meari.produce.audio import AudioOptions
    from meari.produce.master import MasterSettings

    settings = MasterSettings(
        sample_rate=args.sample_rate,
        highpass_hz=args.band[0],
        lowpass_hz=args.band[1],
        target_lufs=args.target,
        ceiling_dbtp=args.ceiling,
    )
    return AudioOptions(
        voice_file=args.voice_file,
        voice=args.voice,
        repeats=args.repeats,
        pause_s=args.pause,
        attention=False if args.no_attention else None,
        allow_clipped=args.allow_clipped,
        force=args.force,
        settings=settings,
        mp3_bitrate=args.bitrate,
    )


def run(args: argparse.Namespace) -> int:
    from meari import outputs
    from meari.errors import MeariError
    from meari.message import load_message, with_sponsor
    from meari.produce.audio import produce_audio

    to_stdout = str(args.output) == outputs.STDOUT
    if to_stdout and args.json:
        raise MeariError("-o - puts the WAV on stdout, so the JSON report cannot go there too; "
                         "write the audio to a file to get --json", "--json")
    outputs.resolve(args.output)  # an unusable place fails before the (slow) synthesis
    message = with_sponsor(load_message(args.message), args.sponsor)
    report = produce_audio(message, args.message, args.output, _options(args))
    for w in report["warnings"]:
        print(f"meari: warning: {w}", file=sys.stderr)
    say = sys.stderr if to_stdout else sys.stdout  # keep a WAV on stdout clean
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        v = report["voice"]
        voice = v.get("file") or v.get("id")
        print(
            f"wrote {report['output']}: {report['duration_s']:.1f} s, {report['integrated_lufs']:.1f} LUFS, "
            f"{report['true_peak_dbtp']:.1f} dBTP, {report['sample_rate']} Hz mono; "
            f"{report['loop']['structure']}; voice: {v['source']} ({voice})", file=say
        )
        if report["text"].get("converted"):
            std = "North Korean" if report["text"]["language"] == "nk" else "South Korean"
            print(f"text converted to {std} standard ({report['text'].get('edits', 0)} edits) before speaking",
                  file=say)
    return 0


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """``make demo``: out/demo/broadcast.wav (synthetic draft voice) and its report broadcast.json."""
    from meari.outputs import ensure_dir

    ensure_dir(outdir)  # the demo's out/ directory is created (documented in README)
    from meari.atomic import write_text
    from meari.message import load_message
    from meari.produce.audio import AudioOptions, produce_audio

    message = load_message(message_path)
    wav = outdir / "broadcast.wav"
    report = produce_audio(message, message_path, wav, AudioOptions(voice=message.broadcast.voice))
    js = outdir / "broadcast.json"
    write_text(js, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return [wav, js]
