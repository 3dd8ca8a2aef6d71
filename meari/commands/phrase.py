"""``meari phrase``: find interpreter phrases; write their audio; export the offline phone page.

    meari phrase QUERY [--lang nk|sk|uk|ru|en] [--module M] [--json] [-n N] [--glossary|--all]
    meari phrase --audio DIR [--module M] [--preset phone|megaphone] [--voice espeak:ko] [--audio-format mp3|wav]
    meari phrase --export-html DIR [--module M] [--no-audio]
    meari phrase --list-modules
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "phrase",
        help="find interpreter phrases in any language; phrase audio; offline phone page",
        description="Search the interpreter phrasebook (North Korean, South Korean, Ukrainian, Russian, "
        "English; typos, initial consonants such as ㅁㄹ, half-typed syllables, Korean typed on a Latin "
        "keyboard such as anf = 물). Ranking: exact, prefix, contains, fuzzy. Translations are drafts "
        "to be checked by native speakers and a lawyer (docs/interpreter.md).",
    )
    p.add_argument("query", nargs="*", help="what to look for")
    p.add_argument("--lang", choices=["nk", "sk", "uk", "ru", "en"], help="search only this language")
    p.add_argument("--module", action="append", metavar="M", help="only this module (repeatable)")
    p.add_argument("--json", action="store_true", help="print a JSON list of matches")
    p.add_argument("-n", type=int, default=5, metavar="N", help="number of matches (default 5)")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--glossary", action="store_true", help="search the military glossary instead of phrases")
    scope.add_argument("--all", action="store_true", help="search phrases and glossary")
    p.add_argument("--audio", type=Path, metavar="DIR", help="write one mastered audio file per phrase into DIR")
    p.add_argument("--preset", default="phone", choices=["phone", "megaphone"], help="playback device preset")
    p.add_argument("--voice", default="espeak:ko", help="TTS voice (default espeak:ko; draft quality)")
    p.add_argument("--audio-format", default="mp3", choices=["mp3", "wav"], help="audio file format")
    p.add_argument("--export-html", type=Path, metavar="DIR", help="write the offline phone page into DIR")
    p.add_argument("--no-audio", action="store_true", help="with --export-html: page without audio files")
    p.add_argument("--list-modules", action="store_true", help="list the modules and exit")
    p.add_argument("--phrasebook", type=Path, metavar="DIR", help="phrasebook directory (default: the shipped one)")
    p.set_defaults(func=run)


def _entries(book, modules: list[str] | None, scope: str = "phrases"):
    from meari.errors import MeariError

    pool = {"phrases": book.phrases, "glossary": book.glossary, "all": book.phrases + book.glossary}[scope]
    if modules:
        known = set(book.module_names()) | {"glossary"}
        for m in modules:
            if m not in known:
                raise MeariError(f"unknown module {m!r}; modules: {', '.join(book.module_names())}", "--module")
        pool = [e for e in pool if e.module in modules]
    return pool


def _print_hit(i: int, h) -> None:
    e = h.entry
    tag = e.module if e.kind == "phrase" else f"glossary:{e.category}"
    extra = f" · {e.art17}" if e.kind == "phrase" else ""
    print(f"{i:2d}. {e.id}  [{tag}{extra}]  {h.how} {h.score:.0f}")
    print(f"    {e.nk}")
    if e.sk != e.nk:
        print(f"    sk {e.sk}")
    print(f"    uk {e.uk}   [{e.translit_uk}]")
    print(f"    ru {e.ru}   [{e.translit_ru}]")
    print(f"    en {e.en}")
    if e.note and e.kind == "glossary":
        print(f"    note {e.note}")


def run(args: argparse.Namespace) -> int:
    from meari.errors import MeariError
    from meari.phrase.load import load_phrasebook
    from meari.phrase.lookup import index_for

    book = load_phrasebook(args.phrasebook)
    if args.n < 1:
        raise MeariError("must be at least 1", "-n")
    if args.list_modules:
        for m in book.modules:
            print(f"{m.name:14s} {len(m.ids):4d}  {m.title.get('en', '')} / {m.title.get('uk', '')}")
        print(f"{'glossary':14s} {len(book.glossary):4d}  ranks: {book.ranks_source or 'none (no rank table)'}")
        return 0
    did = False
    if args.audio is not None:
        from meari.produce.cards.audio import write_phrase_audio

        entries = _entries(book, args.module)
        res = write_phrase_audio(entries, args.audio, args.voice, args.preset, "." + args.audio_format)
        total = sum(r.duration_s for r in res)
        print(f"wrote {len(res)} audio files ({total:.0f} s, preset {args.preset}) into {args.audio}")
        print("warning: synthetic draft voice: record a native North Korean speaker for field use")
        did = True
    if args.export_html is not None:
        p = export_phone(book, args.export_html, args.module, with_audio=not args.no_audio, voice=args.voice,
                         preset=args.preset)
        print(f"wrote {p}")
        did = True
    query = " ".join(args.query).strip()
    if not query:
        if did:
            return 0
        raise MeariError("give a query, or --audio DIR, --export-html DIR or --list-modules", "meari phrase")
    scope = "glossary" if args.glossary else "all" if args.all else "phrases"
    _entries(book, args.module)  # names an unknown module
    hits = index_for(book, scope).search(query, lang=args.lang, module=args.module, n=args.n)
    if args.json:
        json.dump([h.to_dict() for h in hits], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not hits:
        print(f"no match for {query!r}")
        return 1
    for i, h in enumerate(hits, 1):
        _print_hit(i, h)
    return 0


def export_phone(book, outdir: Path, modules: list[str] | None = None, with_audio: bool = True,
                 voice: str = "espeak:ko", preset: str = "phone", audio_ids: set[str] | None = None) -> Path:
    """The phone page into ``outdir`` (audio into ``outdir/audio``; ``audio_ids`` limits which phrases get audio)."""
    from meari.errors import MeariError
    from meari.produce.cards.audio import write_phrase_audio
    from meari.produce.cards.phone import export_html

    if outdir.exists() and not outdir.is_dir():
        raise MeariError("is not a directory", str(outdir))
    entries = _entries(book, modules, "all")
    phrases = [e for e in entries if e.kind == "phrase"]
    audio: dict[str, str] = {}
    if with_audio:
        todo = [e for e in phrases if audio_ids is None or e.id in audio_ids]
        for r in write_phrase_audio(todo, outdir / "audio", voice, preset, ".mp3"):
            audio[r.id] = f"audio/{r.path.name}"
    return export_html(book, entries, outdir, audio)


DEMO_AUDIO = ("cmd.stop", "cmd.drop-weapon", "cmd.hands-up", "calm.safe", "id.surname", "need.water")


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """The phone page with a handful of phrase audio files (the demo must stay quick)."""
    from meari.phrase.load import load_phrasebook

    book = load_phrasebook()
    ids = {e.id for e in book.phrases}
    want = {i for i in DEMO_AUDIO if i in ids} or {e.id for e in book.phrases[:5]}
    page = export_phone(book, outdir / "phone", audio_ids=want)
    return [page] + sorted((outdir / "phone" / "audio").glob("*.mp3"))
