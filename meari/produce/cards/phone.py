# ruff: noqa: E501  (the page's JavaScript and CSS are embedded verbatim; wrapping them would not help a reader)
"""The phone page: one offline HTML file (plus ``audio/<id>.mp3``) to search, play and show phrases.

Why one file and plain JS: it must open from a phone's file manager or a USB stick with no
network, no server and no build step. The search forms (jamo, initial consonants, normalised
words) are precomputed by :mod:`meari.phrase.lookup` and embedded as JSON, so the page's
script applies the same rules as ``meari phrase`` (exact > prefix > contains > fuzzy; 두벌식
keys read as Korean) with a few dozen lines. A subset of Noto Sans KR Bold (OFL) is embedded
as WOFF so the Korean shows on a phone without Korean fonts.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

from meari import __version__
from meari.atomic import write_text
from meari.errors import MeariError
from meari.phrase.keyboard import KEYS, SHIFT
from meari.phrase.lookup import KO_FIELDS, TEXT_FIELDS, choseong, jamo, norm_text
from meari.phrase.lookup import _hangul_words as hangul_words


def _font_face(entries) -> str:
    """@font-face with a WOFF subset of Noto Sans KR Bold covering the Korean on the page ('' if unavailable)."""
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        from meari.produce.leaflet.fonts import ensure_fonts
    except ImportError:
        return ""
    try:
        path = ensure_fonts().paths["kr-bold"]
    except MeariError:
        return ""
    chars = {ord(c) for e in entries for f in ("nk", "sk") for c in e.text(f)} | set(range(0x20, 0x7F))
    chars |= {ord(c) for c in "《》·…→예아니요" + "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"}
    font = TTFont(str(path))
    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = []
    opts.hinting = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    b64 = base64.b64encode(buf.getvalue()).decode("ascii")
    return ("@font-face{font-family:'MeariKR';font-weight:700;"
            f"src:url(data:font/woff;base64,{b64}) format('woff');}}")


def page_data(entries, audio: dict[str, str]) -> list[dict]:
    """Entries with their precomputed search forms (the same forms :class:`Index` uses)."""
    out = []
    for e in entries:
        ko = []
        for f in KO_FIELDS:
            words = hangul_words(e.text(f))
            syl = "".join(words)
            if syl:
                ko.append([f, jamo(syl), choseong(syl), [jamo(w) for w in words], [choseong(w) for w in words], syl])
        tx = [[f, n] for f in TEXT_FIELDS if (n := norm_text(e.text(f)))]
        out.append({"id": e.id, "module": e.module, "kind": e.kind, "nk": e.nk, "sk": e.sk, "uk": e.uk, "ru": e.ru,
                    "en": e.en, "tu": e.translit_uk, "tr": e.translit_ru, "answer": e.answer, "art17": e.art17,
                    "audio": audio.get(e.id), "o": e.order, "k": ko, "t": tx})
    return out


_JS = r"""
const D = JSON.parse(document.getElementById('data').textContent);
const KEYS = __KEYS__, SHIFT = __SHIFT__;
const CHO = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ', JUNG = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
const JONG = ['', 'ㄱ','ㄲ','ㄳ','ㄴ','ㄵ','ㄶ','ㄷ','ㄹ','ㄺ','ㄻ','ㄼ','ㄽ','ㄾ','ㄿ','ㅀ','ㅁ','ㅂ','ㅄ','ㅅ','ㅆ','ㅇ','ㅈ','ㅊ','ㅋ','ㅌ','ㅍ','ㅎ'];
const SPLIT = {'ㅘ':'ㅗㅏ','ㅙ':'ㅗㅐ','ㅚ':'ㅗㅣ','ㅝ':'ㅜㅓ','ㅞ':'ㅜㅔ','ㅟ':'ㅜㅣ','ㅢ':'ㅡㅣ','ㄳ':'ㄱㅅ','ㄵ':'ㄴㅈ','ㄶ':'ㄴㅎ','ㄺ':'ㄹㄱ','ㄻ':'ㄹㅁ','ㄼ':'ㄹㅂ','ㄽ':'ㄹㅅ','ㄾ':'ㄹㅌ','ㄿ':'ㄹㅍ','ㅀ':'ㄹㅎ','ㅄ':'ㅂㅅ'};
const sp = j => SPLIT[j] || j;
function jamo(s) {  // same as meari.phrase.lookup.jamo
  let o = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c >= 0xAC00 && c <= 0xD7A3) { const x = c - 0xAC00; o += CHO[Math.floor(x / 588)] + sp(JUNG[Math.floor(x % 588 / 28)]) + sp(JONG[x % 28]); }
    else if (c >= 0x3131 && c <= 0x318E) o += sp(ch);
  }
  return o;
}
const isHangul = ch => /[\uac00-\ud7a3\u3131-\u318e]/.test(ch);
function norm(s) { return s.normalize('NFC').toLowerCase().replace(/ё/g, 'е').replace(/[ʼ'’`]/g, '').replace(/[^\p{L}\p{N}\s_]+/gu, ' ').replace(/\s+/g, ' ').trim(); }
function keys(s) { let o = ''; for (const ch of s.replace(/[^A-Za-z]/g, '')) o += SHIFT[ch] || KEYS[ch.toLowerCase()]; return o; }
const VV = {'ㅗㅏ':'ㅘ','ㅗㅐ':'ㅙ','ㅗㅣ':'ㅚ','ㅜㅓ':'ㅝ','ㅜㅔ':'ㅞ','ㅜㅣ':'ㅟ','ㅡㅣ':'ㅢ'};
const TT = {'ㄱㅅ':'ㄳ','ㄴㅈ':'ㄵ','ㄴㅎ':'ㄶ','ㄹㄱ':'ㄺ','ㄹㅁ':'ㄻ','ㄹㅂ':'ㄼ','ㄹㅅ':'ㄽ','ㄹㅌ':'ㄾ','ㄹㅍ':'ㄿ','ㄹㅎ':'ㅀ','ㅂㅅ':'ㅄ'};
function compose(k) {  // 두벌식 IME composition, as meari.phrase.keyboard.compose; returns syllables only
  let out = '', L = '', V = '', T = '';
  const flush = () => { if (L && V) out += String.fromCharCode(0xAC00 + (CHO.indexOf(L) * 21 + JUNG.indexOf(V)) * 28 + JONG.indexOf(T)); L = V = T = ''; };
  for (const j of k) {
    if (CHO.includes(j)) {
      if (L && V && !T && JONG.includes(j)) { T = j; continue; }
      if (L && V && T && TT[T + j]) { T = TT[T + j]; continue; }
      flush(); L = j;
    } else {
      if (L && V && !T && VV[V + j]) { V = VV[V + j]; continue; }
      if (L && V && T) { let move = T, keep = ''; for (const [ab, t] of Object.entries(TT)) if (t === T) { keep = ab[0]; move = ab[1]; } T = keep; flush(); L = move; V = j; continue; }
      if (L && !V) { V = j; continue; }
      flush();
    }
  }
  flush(); return out;
}
function plausible(k) { let pc = 0, v = 0, prev = ''; for (const j of k) { if (CHO.includes(j)) { if (++pc > 3) return false; } else { if (!pc && !VV[prev + j]) return false; v++; pc = 0; } prev = j; } return v > 0 || k.length >= 2; }
function parse(q) {
  q = q.normalize('NFC').trim();
  if ([...q].some(isHangul)) {
    const c = [...q].filter(isHangul).join('');
    const cho = [...c].every(ch => CHO.includes(ch)) ? c : '';
    return {text: '', jamo: jamo(c), cho, syl: [...c].filter(ch => /[\uac00-\ud7a3]/.test(ch)).join(''), keys: false, words: q.split(/\s+/).map(jamo).filter(Boolean)};
  }
  const t = norm(q); let kj = '', cho = '';
  if (/[A-Za-z]/.test(q)) { const k = keys(q); if (k && plausible(k)) { kj = [...k].map(sp).join(''); if ([...k].every(j => CHO.includes(j)) && k.length >= 2) cho = k; } }
  return {text: t, jamo: kj, cho, syl: kj ? compose(keys(q)) : '', keys: !!kj, words: kj ? [kj] : []};
}
function ratio(a, b) {  // Indel similarity 0..100, as rapidfuzz fuzz.ratio
  if (!a.length && !b.length) return 100;
  const m = a.length, n = b.length; let prev = new Array(n + 1).fill(0);
  for (let i = 1; i <= m; i++) { const cur = [0]; for (let j = 1; j <= n; j++) cur[j] = a[i-1] === b[j-1] ? prev[j-1] + 1 : Math.max(prev[j], cur[j-1]); prev = cur; }
  return 200 * prev[n] / (m + n);
}
function partial(a, b) { let best = 0; for (let i = 0; i + a.length <= b.length; i++) best = Math.max(best, ratio(a, b.substr(i, a.length))); return best; }
function tiers(q, t, full, words, pen) {
  if (!t.includes(q)) return null;
  const r = q.length / t.length;
  if (t === q) return [400 - pen, 'exact'];
  if (t.startsWith(q)) return [350 + 40 * r - pen, 'prefix'];
  if (words.some(w => w.startsWith(q))) return [300 + 40 * r - pen, 'prefix'];
  return [200 + 40 * r - pen, 'contains'];
}
function search(query, mod, n) {
  const q = parse(query); const pen = q.keys ? 15 : 0; const best = new Map();
  const put = (e, s, how) => { const c = best.get(e); if (!c || s > c[0]) best.set(e, [s, how]); };
  const useJamo = q.jamo && !(q.cho && !q.keys);
  for (const e of D) {
    if (mod && e.module !== mod) continue;
    for (const [f, j, c, wj, wc, syl] of e.k) {
      if (q.cho) { const r = tiers(q.cho, c, c, wc, pen); if (r) put(e, r[0], r[1]); }
      if (useJamo) { const r = tiers(q.jamo, j, j, wj, pen); if (r) put(e, r[0] + (r[1] !== 'exact' && q.syl && syl.includes(q.syl) ? 8 : 0), r[1]); }
      if (useJamo && q.words.length > 1 && q.words.every(w => wj.some(x => x.startsWith(w)))) put(e, 200 + 40 * Math.min(1, q.words.join('').length / j.length) - pen, 'contains');
    }
    if (q.text) for (const [f, t] of e.t) {
      const ws = t.split(' '); const r = tiers(q.text, t, t, ws, 0); if (r) put(e, r[0], r[1]);
      const qw = q.text.split(' ');
      if (qw.length > 1 && qw.every(w => ws.some(x => x.startsWith(w)))) put(e, 200 + 40 * Math.min(1, q.text.length / t.length), 'contains');
    }
  }
  if (best.size < n) {  // fuzzy: each query word against each word; mean of best similarities
    const fz = (qw, words, len, pen2, e, stem) => {
      qw = qw.filter(w => w.length >= 2); if (!qw.length) return;
      let sum = 0, full = 0;
      for (const w of qw) { let b = 0; const cut = w.length >= 5 ? 60 : 66;
        for (const x of words) { let s = ratio(w, x); if (w.length >= 5 && x.length >= w.length && x.length < w.length + 5 && x[0] === w[0]) { const p = partial(w, x); if (p >= 78) s = Math.max(s, p); } if (qw.length > 1 && x.startsWith(w)) s = 100; if (stem && w.length >= 4 && x.startsWith(w.slice(0, -1))) s = Math.max(s, 100 * (w.length - 1) / w.length); if (s >= cut) b = Math.max(b, s); }
        sum += b; if (b >= 100) full++; }
      const score = sum / qw.length; if (score < 72 && full * 2 < qw.length) return;
      const cover = Math.min(1, qw.join('').length / Math.max(len, 1));
      put(e, 100 + 0.8 * score + 15 * cover - pen2, 'fuzzy');
    };
    for (const e of D) {
      if (mod && e.module !== mod) continue;
      if (q.text) for (const [f, t] of e.t) fz(q.text.split(' '), t.split(' '), t.length, 0, e);
      if (useJamo) for (const [f, j, c, wj] of e.k) fz(q.words.length ? q.words : [q.jamo], wj, j.length, pen, e, true);
    }
  }
  return [...best.entries()].sort((a, b) => b[1][0] - a[1][0] || a[0].o - b[0].o).slice(0, n);
}
const $ = s => document.querySelector(s);
const player = $('#player'); window.meariPlayed = [];
player.addEventListener('play', () => window.meariPlayed.push(player.dataset.id));
function play(e) { if (!e.audio) return; player.dataset.id = e.id; player.src = e.audio; player.currentTime = 0; const p = player.play(); if (p) p.catch(err => { $('#status').textContent = 'audio: ' + err.message; }); }
function show(e) { $('#show-ko').textContent = e.nk; $('#show-tr').textContent = e.tu + ' / ' + e.tr; $('#show').hidden = false; $('#show').dataset.id = e.id; play(e); }
$('#show').addEventListener('click', ev => { if (ev.target.id === 'replay') { play(D.find(x => x.id === $('#show').dataset.id)); return; } $('#show').hidden = true; player.pause(); });
const ANS = {'yes-no': '예 / 아니요', 'number': '0–9', 'pointing': '☝', 'choice': '☐', 'free': '✎', 'none': ''};
function render() {
  const q = $('#q').value, mod = $('#mod').value; const list = $('#results'); list.textContent = '';
  const rows = q.trim() ? search(q, mod, 30).map(x => x[0]) : D.filter(e => !mod || e.module === mod).slice(0, 60);
  $('#count').textContent = rows.length;
  for (const e of rows) {
    const li = document.createElement('li'); li.className = 'hit'; li.dataset.id = e.id;
    const ko = document.createElement('div'); ko.className = 'ko'; ko.lang = 'ko'; ko.textContent = e.nk;
    const tr = document.createElement('div'); tr.className = 'tr'; tr.textContent = e.tu;
    const me = document.createElement('div'); me.className = 'me'; me.textContent = e.uk + ' · ' + e.ru + ' · ' + e.en;
    const tag = document.createElement('div'); tag.className = 'tag ' + e.art17; tag.textContent = e.id + (e.art17 === 'voluntary' ? ' · voluntary / не обовʼязково' : e.art17 === 'required' ? ' · GC III Art. 17' : '') + (ANS[e.answer] ? ' · ' + ANS[e.answer] : '');
    li.append(ko, tr, me, tag); li.addEventListener('click', () => show(e)); list.append(li);
  }
}
$('#q').addEventListener('input', render); $('#mod').addEventListener('change', render);
window.meariSearch = (q, n) => search(q, '', n || 5).map(x => x[0].id);
render();
"""

_CSS = """
__FONT__
*{box-sizing:border-box}body{margin:0;font-family:system-ui,'DejaVu Sans',sans-serif;background:#f4f1ea;color:#111}
header{position:sticky;top:0;background:#1d3557;color:#fff;padding:8px;z-index:2}
header h1{font-size:15px;margin:0 0 6px}#q{width:100%;font-size:20px;padding:10px;border-radius:8px;border:0}
#mod{margin-top:6px;font-size:15px;max-width:70%}.warn{font-size:11px;opacity:.85;margin-top:4px}
ul{list-style:none;margin:0;padding:6px}.hit{background:#fff;border-radius:10px;margin:6px 0;padding:10px 12px;
box-shadow:0 1px 2px #0002}.ko{font-family:'MeariKR',sans-serif;font-weight:700;font-size:26px;line-height:1.25}
.tr{color:#1d3557;font-size:16px;margin-top:2px}.me{font-size:14px;color:#333;margin-top:3px}
.tag{font-size:11px;color:#777;margin-top:4px}.tag.voluntary{color:#8a4b00}.tag.required{color:#0a5}
#show{position:fixed;inset:0;background:#fff;z-index:5;display:flex;flex-direction:column;justify-content:center;
align-items:center;padding:16px;text-align:center}#show[hidden]{display:none}
#show-ko{font-family:'MeariKR',sans-serif;font-weight:700;font-size:min(14vw,72px);line-height:1.2}
#show-tr{font-size:18px;color:#555;margin-top:16px}#replay{margin-top:28px;font-size:22px;padding:10px 26px;border-radius:30px;
border:2px solid #1d3557;background:#fff}.hint{position:absolute;bottom:10px;font-size:12px;color:#999}
"""


def build_page(book, entries, audio: dict[str, str], title: str = "meari — перекладач / 통역") -> str:
    """The whole HTML page as a string (no external resource)."""
    data = json.dumps(page_data(entries, audio), ensure_ascii=False, separators=(",", ":"))
    data = data.replace("</", "<\\/")
    mods = "".join(f'<option value="{html.escape(m.name)}">{html.escape(m.title.get("uk", m.name))} / '
                   f'{html.escape(m.title.get("ko", ""))}</option>' for m in book.modules
                   if any(e.module == m.name for e in entries))
    if any(e.kind == "glossary" for e in entries):
        mods += '<option value="glossary">Глосарій / 용어</option>'
    js = _JS.replace("__KEYS__", json.dumps(KEYS, ensure_ascii=False)).replace(
        "__SHIFT__", json.dumps(SHIFT, ensure_ascii=False))
    css = _CSS.replace("__FONT__", _font_face(entries))
    return f"""<!doctype html>
<html lang="uk"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; media-src 'self'; font-src data:; img-src data:">
<title>{html.escape(title)}</title><style>{css}</style></head>
<body>
<header><h1>{html.escape(title)}</h1>
<input id="q" type="search" autocomplete="off" autofocus placeholder="пошук · поиск · search · 찾기 (ㅁㄹ, anf…)">
<select id="mod"><option value="">усі модулі / all</option>{mods}</select> <span id="count"></span>
<div class="warn">Чернетка: переклади не перевірені носієм мови та юристом. Draft: translations not yet checked by a native speaker and a lawyer. meari {html.escape(__version__)}</div>
<div id="status"></div></header>
<ul id="results"></ul>
<div id="show" hidden><div id="show-ko" lang="ko"></div><div id="show-tr"></div>
<button id="replay" type="button">▶ 다시 / ще раз</button><div class="hint">торкніться, щоб закрити · tap to close</div></div>
<audio id="player" preload="none"></audio>
<script id="data" type="application/json">{data}</script>
<script>{js}</script>
</body></html>
"""


def export_html(book, entries, outdir: str | Path, audio: dict[str, str] | None = None) -> Path:
    """Write ``outdir/index.html``; ``audio`` maps phrase id -> path relative to ``outdir``."""
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise MeariError("is not a directory", str(out))
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    write_text(page, build_page(book, entries, audio or {}))
    return page
