"""Reading a captured North Korean text: each line beside its South Korean reading, with glosses.

For the interpreter and the intelligence officer, who read South Korean dictionaries and
South Korean-trained colleagues: every line of a note, diary or order is shown with the
converter's South Korean reading (:func:`meari.lang.convert.to_sk`, whose every change is an
edit with a reason) and a gloss of each North-specific word the dictionaries know (NK-HanDic
entries marked ``&북한어`` and the harvested NK->SK lexicon, :mod:`meari.lang.lexicon`). Words
the dictionaries do not mark are left alone: an unmarked word is not claimed to be Southern.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field

from meari.errors import MeariError

MAX_CHARS = 200_000


@dataclass
class Gloss:
    word: str  # the NK form as written
    sk: str  # the South Korean equivalent ('' if the dictionary gloss names none)
    source: str  # "NK-HanDic" | "lexicon" | rule id of the converter
    note: str


@dataclass
class ReadLine:
    n: int
    nk: str
    sk: str
    glosses: list[Gloss] = field(default_factory=list)


@dataclass
class Reading:
    lines: list[ReadLine]
    signature: str

    @property
    def glossed(self) -> int:
        return sum(len(x.glosses) for x in self.lines)


def read_text(text: str, where: str = "<text>") -> Reading:
    """Convert ``text`` line by line (N lines in, N out) and gloss its North-specific words."""
    from meari.lang.analyse import analyse
    from meari.lang.convert import to_sk
    from meari.lang.hangul import hangul_ratio
    from meari.lang.lexicon import load_lexicon

    if len(text) > MAX_CHARS:
        raise MeariError(f"text has {len(text):,} characters; at most {MAX_CHARS:,}", where)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    if text.endswith("\n"):
        text = text[:-1]  # the file's final newline ends the last line; it does not start another
    if text.strip() and hangul_ratio(text) < 0.3:
        raise MeariError("this does not look like Korean text (under 30 % of the letters are Hangul)", where)
    conv = to_sk(text)
    lex = load_lexicon()
    nk_lines = text.split("\n")
    sk_lines = conv.text.split("\n")
    out: list[ReadLine] = []
    for i, (nk, sk) in enumerate(zip(nk_lines, sk_lines, strict=True), 1):
        rl = ReadLine(i, nk, sk)
        seen: set[tuple[str, str]] = set()
        for e in conv.edits:
            if e.line != i:
                continue
            before, after = e.before, e.after
            if not before.strip() and not after.strip():  # a spacing edit: show the word it splits
                a = nk.rfind(" ", 0, e.col - 1) + 1
                b = nk.find(" ", e.col - 1)
                b = len(nk) if b < 0 else b
                k = e.col - 1 - a
                before = nk[a:b]
                after = before[:k] + e.after + before[k + len(e.before):]
            if (before, after) not in seen:
                seen.add((before, after))
                rl.glosses.append(Gloss(before, after, e.rule_id, e.why))
        if nk.strip():
            for m in analyse(nk, "nk"):
                word = m.lemma_plain or m.surface
                pair = lex.nk2sk.get(word)
                if m.nk_mark or pair is not None:
                    sk_word = pair.target if pair is not None else ""
                    key = (word, sk_word)
                    if key in seen or any(word in g.word for g in rl.glosses):
                        continue
                    seen.add(key)
                    note = m.nk_gloss or (pair.note if pair else "")
                    src = "NK-HanDic" if m.nk_mark else "lexicon"
                    rl.glosses.append(Gloss(word, sk_word, src, note))
        out.append(rl)
    return Reading(out, conv.signature)


def render_text(r: Reading) -> str:
    """Plain text: each line, its South Korean reading, then the glosses indented."""
    parts: list[str] = []
    for ln in r.lines:
        parts.append(f"{ln.n:3d} NK  {ln.nk}")
        if ln.sk != ln.nk:
            parts.append(f"    SK  {ln.sk}")
        for g in ln.glosses:
            arrow = f" → {g.sk}" if g.sk else ""
            parts.append(f"        · {g.word}{arrow}  [{g.source}] {g.note}".rstrip())
    parts.append(f"-- {r.glossed} gloss(es); {r.signature}")
    return "\n".join(parts) + "\n"


def render_html(r: Reading, title: str = "meari read") -> str:
    """A self-contained HTML page: NK and SK side by side, glosses under each line."""
    e = html.escape
    rows = []
    for ln in r.lines:
        gl = "".join(
            f"<li><b lang='ko'>{e(g.word)}</b>{' → <span lang=ko>' + e(g.sk) + '</span>' if g.sk else ''}"
            f" <small>[{e(g.source)}] {e(g.note)}</small></li>" for g in ln.glosses)
        changed = " class='changed'" if ln.sk != ln.nk else ""
        rows.append(f"<tr{changed}><td class='n'>{ln.n}</td><td lang='ko'>{e(ln.nk)}</td><td lang='ko'>{e(ln.sk)}"
                    f"</td><td><ul>{gl}</ul></td></tr>")
    return f"""<!doctype html><html lang="uk"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:16px}}table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #ddd;padding:6px;vertical-align:top;text-align:left}}td[lang=ko]{{font-size:17px}}
td.n{{color:#888;width:2em}}tr.changed td:nth-child(3){{background:#fff6e0}}ul{{margin:0;padding-left:1em}}
small{{color:#666}}footer{{color:#888;font-size:12px;margin-top:12px}}</style></head><body>
<h1>{e(title)}</h1><table><thead><tr><th>#</th><th>North Korean (as written)</th>
<th>South Korean reading</th><th>North-specific words</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
<footer>{r.glossed} gloss(es) · {e(r.signature)} · machine reading: check every line against the original.</footer>
</body></html>
"""
