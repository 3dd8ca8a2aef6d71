"""Find a phrase in seconds: any of the five languages, typos, and the ways Koreans type.

Korean is compared as jamo (both sides decomposed, complex vowels and finals split into
what the keys type), so a half-typed last syllable still matches: 무 + ㄹ shows as 물, whose
jamo ㅁㅜㄹ begin 무릎. A query of bare consonants (ㅁㄹ) is matched against each text's
initial consonants (머리, 무릎). Latin letters are also read as 두벌식 keys (``anf`` = 물) when
they spell Hangul. Ranking: exact, then prefix, then contains, then fuzzy (rapidfuzz), the
shorter text first within a tier, then book order. Everything a query needs is precomputed
in :class:`Index` at load, so a lookup is a few C-level string scans.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from meari.errors import MeariError
from meari.lang import hangul as H
from meari.phrase.keyboard import compose, keys_to_jamo
from meari.phrase.model import LANGS, Entry

EXACT, PREFIX, CONTAINS, FUZZY = 400.0, 300.0, 200.0, 100.0
FUZZY_CUTOFF = 72.0
MAX_QUERY = 200

_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_CHO_SET = frozenset(_CHO)
# Split complex vowels and finals into the simple jamo a 두벌식 user types.
_SPLIT = {"ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
          "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ",
          "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ"}
_COMPLEX_VOWEL_KEYS = frozenset(("ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅜㅓ", "ㅜㅔ", "ㅜㅣ", "ㅡㅣ"))  # ㅘ ㅙ ㅚ ㅝ ㅞ ㅟ ㅢ
_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff]")
_LATIN = re.compile(r"[a-zA-Z]")
_APOS = re.compile(r"[ʼ'’`]")

# field -> language group used by --lang
FIELD_LANG = {"nk": "nk", "sk": "sk", "uk": "uk", "ru": "ru", "en": "en", "translit_uk": "uk",
              "translit_ru": "ru"}
KO_FIELDS = ("nk", "sk")
TEXT_FIELDS = ("uk", "ru", "en", "translit_uk", "translit_ru")


def jamo(text: str) -> str:
    """Compatibility jamo of every Hangul syllable/jamo in ``text``, complex ones split; others dropped."""
    out: list[str] = []
    for ch in text:
        if H.is_syllable(ch):
            for j in (H.initial(ch), H.vowel(ch), H.final(ch)):
                if j:
                    out.append(_SPLIT.get(j, j))
        elif 0x3131 <= ord(ch) <= 0x318E:
            out.append(_SPLIT.get(ch, ch))
        elif 0x1100 <= ord(ch) <= 0x11FF:
            out.append(jamo(unicodedata.normalize("NFKC", ch)))
    return "".join(out)


def choseong(text: str) -> str:
    """Initial consonants of the Hangul syllables in ``text`` (바로 서시오 -> ㅂㄹㅅㅅㅇ)."""
    return "".join(H.initial(ch) for ch in text if H.is_syllable(ch))


def norm_text(text: str) -> str:
    """Case-folded, punctuation-free, single-spaced; ё = е; apostrophes dropped."""
    t = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    t = _APOS.sub("", t)
    return _SPACE.sub(" ", _PUNCT.sub(" ", t)).strip()


def _hangul_words(text: str) -> list[str]:
    return [w for w in (re.sub(r"[^\uac00-\ud7a3\u3131-\u318e]", "", w) for w in text.split()) if w]


@dataclass(slots=True)
class _KoTarget:
    entry: int
    field: str
    syl: str  # Hangul only, no spaces
    jamo: str
    cho: str
    word_jamo: tuple[str, ...]
    word_cho: tuple[str, ...]


@dataclass(slots=True)
class _TextTarget:
    entry: int
    field: str
    norm: str
    spaced: str  # " " + norm, for word-start tests


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    score: float
    field: str
    how: str  # exact | prefix | contains | fuzzy

    def to_dict(self) -> dict:
        d = self.entry.to_dict(self.score)
        d["matched"] = {"field": self.field, "how": self.how}
        return d


@dataclass(frozen=True)
class Query:
    """A parsed query: what it is compared as."""

    raw: str
    text: str  # normalised Latin/Cyrillic form ("" if Hangul)
    jamo: str  # jamo to compare with Korean ("" if none)
    cho: str  # bare initial consonants ("" unless the query is only consonants)
    syl: str  # Hangul syllables typed (for a syllable-aligned bonus)
    from_keys: bool  # jamo came from Latin keys


def parse_query(q: str, lang: str | None = None) -> Query:
    if not isinstance(q, str) or not q.strip():
        raise MeariError("empty query", "query")
    q = unicodedata.normalize("NFC", q).strip()
    if len(q) > MAX_QUERY:
        raise MeariError(f"query is {len(q)} characters; at most {MAX_QUERY}", "query")
    if _HANGUL.search(q):
        compact = "".join(ch for ch in q if _HANGUL.match(ch))
        cho = compact if compact and all(ch in _CHO_SET for ch in compact) else ""
        syl = "".join(ch for ch in compact if H.is_syllable(ch))
        return Query(q, "", jamo(compact), cho, syl, False)
    text = norm_text(q)
    if not text:
        raise MeariError("query has no letters or digits", "query")
    kj = ""
    cho = ""
    keys = ""
    if _LATIN.search(q) and lang not in ("en", "uk", "ru"):
        keys = keys_to_jamo(re.sub(r"[^A-Za-z]", "", q))
        if keys and _plausible_keys(keys):
            kj = "".join(_SPLIT.get(j, j) for j in keys)
            if all(j in _CHO_SET for j in keys) and len(keys) >= 2:
                cho = keys
    syl = re.sub(r"[^\uac00-\ud7a3]", "", compose(keys)) if kj else ""
    return Query(q, text, kj, cho, syl, bool(kj))


def _plausible_keys(keys: str) -> bool:
    """Does a jamo key sequence look like Hangul typing? (every vowel after a consonant, no 4+ consonant runs)."""
    prev_cons = 0
    vowels = 0
    prev = ""
    for j in keys:
        if j in _CHO_SET:
            prev_cons += 1
            if prev_cons > 3:
                return False
        else:
            if prev_cons == 0 and (prev + j) not in _COMPLEX_VOWEL_KEYS:
                return False
            vowels += 1
            prev_cons = 0
        prev = j
    return vowels > 0 or len(keys) >= 2


class Index:
    """Precomputed search forms of every entry (phrases, glossary or both)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = list(entries)
        self.ko: list[_KoTarget] = []
        self.text: list[_TextTarget] = []
        for i, e in enumerate(self.entries):
            for f in KO_FIELDS:
                t = e.text(f)
                words = _hangul_words(t)
                syl = "".join(words)
                if not syl:
                    continue
                self.ko.append(_KoTarget(i, f, syl, jamo(syl), choseong(syl), tuple(jamo(w) for w in words),
                                         tuple(choseong(w) for w in words)))
            for f in TEXT_FIELDS:
                n = norm_text(e.text(f))
                if n:
                    self.text.append(_TextTarget(i, f, n, " " + n))
        # Word vocabularies for the any-order and fuzzy tiers: word -> targets holding it.
        self._text_vocab, self._text_words = self._vocab(t.norm.split() for t in self.text)
        self._ko_vocab, self._ko_words = self._vocab(t.word_jamo for t in self.ko)
        self._by_len = {}
        self._by_first = {}
        for v in (self._text_vocab, self._ko_vocab):
            order = sorted(range(len(v)), key=lambda k, v=v: len(v[k]))
            self._by_len[id(v)] = (order, [v[k] for k in order], [len(v[k]) for k in order])
            groups: dict[str, list[int]] = {}
            for k in order:
                groups.setdefault(v[k][:1], []).append(k)
            self._by_first[id(v)] = {ch: (ks, [v[k] for k in ks], [len(v[k]) for k in ks])
                                     for ch, ks in groups.items()}

    @staticmethod
    def _vocab(word_lists) -> tuple[list[str], list[list[int]]]:
        where: dict[str, list[int]] = {}
        for k, words in enumerate(word_lists):
            for w in set(words):
                where.setdefault(w, []).append(k)
        vocab = sorted(where)
        return vocab, [where[w] for w in vocab]

    def search(self, query: str, lang: str | None = None, module: str | list[str] | None = None,
               n: int = 10) -> list[Hit]:
        if lang is not None and lang not in LANGS:
            raise MeariError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}", "--lang")
        if n < 1:
            raise MeariError("must be at least 1", "-n")
        q = parse_query(query, lang)
        mods = {module} if isinstance(module, str) else set(module) if module else None
        best: dict[int, tuple[float, str, str]] = {}

        def ok(t) -> bool:
            if lang is not None and FIELD_LANG[t.field] != lang:
                return False
            return mods is None or self.entries[t.entry].module in mods

        def put(i: int, score: float, field: str, how: str) -> None:
            cur = best.get(i)
            if cur is None or score > cur[0]:
                best[i] = (score, field, how)

        penalty = 15.0 if q.from_keys else 0.0  # mistyped Korean ranks below a direct hit
        if q.cho:
            qc = q.cho
            for t in self.ko:
                if qc not in t.cho or not ok(t):
                    continue
                r = len(qc) / len(t.cho)
                if t.cho == qc:
                    put(t.entry, EXACT - penalty, t.field, "exact")
                elif t.cho.startswith(qc):
                    put(t.entry, PREFIX + 50 + 40 * r - penalty, t.field, "prefix")
                elif any(w.startswith(qc) for w in t.word_cho):
                    put(t.entry, PREFIX + 40 * r - penalty, t.field, "prefix")
                else:
                    put(t.entry, CONTAINS + 40 * r - penalty, t.field, "contains")
        if q.jamo and not (q.cho and not q.from_keys):
            qj = q.jamo
            for t in self.ko:
                if qj not in t.jamo or not ok(t):
                    continue
                r = len(qj) / len(t.jamo)
                bonus = 8.0 if q.syl and q.syl in t.syl else 0.0
                if t.jamo == qj:
                    put(t.entry, EXACT - penalty, t.field, "exact")
                elif t.jamo.startswith(qj):
                    put(t.entry, PREFIX + 50 + 40 * r + bonus - penalty, t.field, "prefix")
                elif any(w.startswith(qj) for w in t.word_jamo):
                    put(t.entry, PREFIX + 40 * r + bonus - penalty, t.field, "prefix")
                else:
                    put(t.entry, CONTAINS + 40 * r + bonus - penalty, t.field, "contains")
        if q.text:
            qt = q.text
            sq = " " + qt
            for t in self.text:
                if qt not in t.norm or not ok(t):
                    continue
                r = len(qt) / len(t.norm)
                if t.norm == qt:
                    put(t.entry, EXACT, t.field, "exact")
                elif t.norm.startswith(qt):
                    put(t.entry, PREFIX + 50 + 40 * r, t.field, "prefix")
                elif sq in t.spaced:
                    put(t.entry, PREFIX + 40 * r, t.field, "prefix")
                else:
                    put(t.entry, CONTAINS + 40 * r, t.field, "contains")
        if q.text and " " in q.text:
            self._words(q.text.split(), self._text_vocab, self._text_words, self.text, ok, put, 0.0)
        if q.jamo and not (q.cho and not q.from_keys):
            kw = [jamo(w) for w in q.raw.split()] if not q.from_keys else [q.jamo]
            kw = [w for w in kw if w]
            if len(kw) > 1:
                self._words(kw, self._ko_vocab, self._ko_words, self.ko, ok, put, penalty)
        if len(best) < n:
            if q.text:
                self._fuzzy(q.text.split(), self._text_vocab, self._text_words, self.text, ok, put, 0.0)
            if q.jamo and not (q.cho and not q.from_keys):
                kw = [jamo(w) for w in q.raw.split()] if not q.from_keys else [q.jamo]
                self._fuzzy([w for w in kw if w], self._ko_vocab, self._ko_words, self.ko, ok, put, penalty,
                            stem=True)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.entries[kv[0]].order))
        return [Hit(self.entries[i], s, f, how) for i, (s, f, how) in ranked[:n]]

    @staticmethod
    def _words(qwords: list[str], vocab: list[str], holders: list[list[int]], targets, ok, put,
               penalty: float) -> None:
        """Every query word begins some word of the target, in any order (drop weapon -> Drop your weapon)."""
        common: set[int] | None = None
        for w in qwords:
            found: set[int] = set()
            lo, hi = bisect_left(vocab, w), bisect_left(vocab, w + "\uffff")
            for k in range(lo, hi):  # the vocabulary is sorted: words starting with w are one slice
                found.update(holders[k])
            common = found if common is None else common & found
            if not common:
                return
        qlen = sum(len(w) for w in qwords)
        for k in common or ():
            t = targets[k]
            if ok(t):
                total = len(t.norm) if hasattr(t, "norm") else len(t.jamo)
                put(t.entry, CONTAINS + 40 * min(1.0, qlen / max(total, 1)) - penalty, t.field, "contains")

    def _fuzzy(self, qwords: list[str], vocab: list[str], holders: list[list[int]], targets, ok, put,
               penalty: float, stem: bool = False) -> None:
        """Typos: each query word against the vocabulary (rapidfuzz ratio); a target scores the mean
        of its query words' best similarities (a word it lacks counts 0)."""
        qwords = [w for w in qwords if len(w) >= 2]
        if not qwords:
            return
        order, by_len, lengths = self._by_len[id(vocab)]
        first = self._by_first[id(vocab)]
        per_target: dict[int, list[float]] = {}
        for qi, w in enumerate(qwords):
            cutoff = 60.0 if len(w) >= 5 else 66.0
            # ratio >= c needs the other word's length within [c/(200-c), (200-c)/c] x len(w): scan only those
            lo = bisect_left(lengths, int(len(w) * cutoff / (200 - cutoff)))
            hi = bisect_left(lengths, int(len(w) * (200 - cutoff) / cutoff) + 1)
            found = [(c, s, order[lo + k]) for c, s, k in
                     process.extract(w, by_len[lo:hi], scorer=fuzz.ratio, limit=25, score_cutoff=cutoff)]
            if len(w) >= 5 and w[0] in first:
                # a misspelt stem of a longer word (alergy ~ allergic): best window, longer words with the
                # same first letter only (partial_ratio is ten times dearer than ratio)
                f_order, f_by_len, f_lengths = first[w[0]]
                lo, hi = bisect_left(f_lengths, len(w)), bisect_left(f_lengths, len(w) + 5)
                found += [(c, s, f_order[lo + k]) for c, s, k in
                          process.extract(w, f_by_len[lo:hi], scorer=fuzz.partial_ratio, limit=25,
                                          score_cutoff=78.0)]
            if stem and len(w) >= 4:
                # Korean endings: the same stem with another ending (아파 ~ 아픕니까, 배고파 ~ 배고픕니까):
                # words sharing all but the query's last jamo score by the share of the query they share
                lo, hi = bisect_left(vocab, w[:-1]), bisect_left(vocab, w[:-1] + "\uffff")
                sim = 100.0 * (len(w) - 1) / len(w)
                found += [(vocab[k], sim, k) for k in range(lo, hi)]
            if len(qwords) > 1:  # a word that begins a target word counts fully (어디 -> 어디가)
                lo, hi = bisect_left(vocab, w), bisect_left(vocab, w + "\uffff")
                found += [(vocab[k], 100.0, k) for k in range(lo, hi)]
            for _, s, k in found:
                for ti in holders[k]:
                    row = per_target.setdefault(ti, [0.0] * len(qwords))
                    if s > row[qi]:
                        row[qi] = s
        for ti, row in per_target.items():
            score = sum(row) / len(row)
            # Partial queries (어디 아파 against 어디가 아픕니까): half the words begin words of the text.
            partial = sum(1 for v in row if v >= 100.0) * 2 >= len(row)
            if score < FUZZY_CUTOFF and not partial:
                continue
            t = targets[ti]
            if ok(t):
                total = len(t.norm) if hasattr(t, "norm") else len(t.jamo)
                cover = min(1.0, sum(len(w) for w in qwords) / max(total, 1))
                put(t.entry, FUZZY + 0.8 * score + 15 * cover - penalty, t.field, "fuzzy")


_INDEXES: dict[tuple[int, str], Index] = {}


def index_for(book, scope: str = "phrases") -> Index:
    """The (cached) index of a loaded phrasebook: ``phrases``, ``glossary`` or ``all``."""
    key = (id(book), scope)
    idx = _INDEXES.get(key)
    if idx is None:
        if scope == "phrases":
            entries = book.phrases
        elif scope == "glossary":
            entries = book.glossary
        elif scope == "all":
            entries = book.phrases + book.glossary
        else:
            raise ValueError(scope)
        idx = _INDEXES[key] = Index(entries)
    return idx
