"""The South<->North lexicon, harvested from the installed dictionaries.

Nothing here is copied into the repository: the pairs are read from the
compiled ``sys.dic`` of the installed ``nkhandic`` (and ``handic``) packages on
first use and cached (pickle) under :func:`meari.lang.cache.cache_dir`, keyed by
the dictionaries' versions and this module's ``BUILD``. Curated pairs from
``meari/data/lexicon.yaml`` are merged on top; they win over harvested ones.

Why harvest the binary: neither package ships its CSV sources, but MeCab's
``sys.dic`` stores every entry's feature string as NUL-terminated UTF-8. NK-HanDic
marks North-specific entries ``&북한어`` with a gloss naming the South Korean
word (``‘노동자’의 북한어.``) or its South Korean spelling (``⇒규범 표기는
‘가열처절하다’이다.``).

What we keep:
  readings   hanja character -> {syllable: number of entries read so} (from every
             entry whose hanja and form align one to one); decides initial-sound cases.
  nk_hanja   NK-HanDic noun form -> hanja strings (confirms a restored 로동 exists).
  sk_nouns   HanDic noun forms (is this a South Korean word?).
  nk2sk      NK noun -> (SK word, family, note) from the glosses, filtered.
  sk2nk      SK word -> (NK word, family, note): only families that are safe in
             that direction (sai-siot, loanword spellings) plus curated pairs.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import re
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from meari.errors import MeariError
from meari.lang import hangul as H
from meari.lang.analyse import dicdir, dictionary_version
from meari.lang.cache import cache_dir

BUILD = "15"  # bump when the harvesting logic changes
DATA = Path(__file__).resolve().parent.parent / "data"
CURATED = DATA / "lexicon.yaml"
LOANWORDS = DATA / "loanwords.yaml"

_GLOSS_WORD = re.compile(r"^[‘']([^’']+)[’']의 북한어\.?(?:\s|$)")
_GLOSS_EXACT = re.compile(r"^[‘']([^’']+)[’']의 북한어\.?$")
_GLOSS_SPELL = re.compile(r"⇒규범 표기는 ‘([^’]+)’")
_HANJA = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]+$")
_LOAN_ORIGIN = re.compile(r"^(?:&[^\W\d_]{1,3})?[A-Za-z][A-Za-z .'-]*$")  # cup, &독Energie, &일patteri


@dataclass(frozen=True, slots=True)
class Pair:
    """A word pair with the rule family it belongs to and why it is there."""

    target: str
    family: str  # initial-sound | sai-siot | vocab | spelling
    note: str
    curated: bool = False
    hanja: str = ""  # when set, only a morpheme with these hanja matches (원수 怨讐 → 원쑤, not 元首)


@dataclass
class Lexicon:
    version: str
    readings: dict[str, dict[str, int]] = field(default_factory=dict)
    nk_hanja: dict[str, frozenset[str]] = field(default_factory=dict)
    sk_nouns: frozenset[str] = frozenset()
    nk2sk: dict[str, Pair] = field(default_factory=dict)
    sk2nk: dict[str, Pair] = field(default_factory=dict)
    nk_only: frozenset[str] = frozenset()  # NK-HanDic noun forms marked &북한어
    sk_verbs: frozenset[str] = frozenset()  # HanDic verb/adjective lemmas (가져오다: one word)
    verb_yeo_sk2nk: dict[str, int] = field(default_factory=dict)  # SK verb lemma -> index of 어 the North writes 여
    verb_yeo_nk2sk: dict[str, int] = field(default_factory=dict)  # NK verb lemma -> index of 여 the South writes 어
    names: frozenset[str] = frozenset()  # protected foreign names (loanword table, kind name/place, sk == nk)
    proper: frozenset[str] = frozenset()  # HanDic proper nouns without hanja (foreign names: 로마)
    sk_noun_hanja: dict[str, frozenset[str]] = field(default_factory=dict)  # HanDic noun -> hanja (연대순 年代順)

    def is_sk_noun(self, word: str) -> bool:
        return word in self.sk_nouns

    def key_prefixes(self, table: dict[str, Pair]) -> frozenset[str]:
        """Every prefix of every key of ``table`` (a noun run stops as soon as it is none)."""
        cache = self.__dict__.setdefault("_prefixes", {})
        key = id(table)
        if key not in cache:
            cache[key] = frozenset(k[:n] for k in table for n in range(1, len(k) + 1))
        return cache[key]

    def loan_keys(self, table: dict[str, Pair]) -> tuple[dict[str, list[str]], re.Pattern[str] | None]:
        """Loanword-table keys of ``table`` by first letter, longest first, and one regex of them all."""
        cache = self.__dict__.setdefault("_loan_keys", {})
        key = id(table)
        if key not in cache:
            by: dict[str, list[str]] = defaultdict(list)
            for k, p in table.items():
                if p.curated and p.note.startswith("loanword table") and len(k) >= 2:
                    by[k[0]].append(k)
            for v in by.values():
                v.sort(key=len, reverse=True)
            allk = sorted((k for v in by.values() for k in v), key=len, reverse=True)
            cache[key] = (dict(by), re.compile("|".join(map(re.escape, allk))) if allk else None)
        return cache[key]


# ---------------------------------------------------------------- initial sound
# Initial-sound law (두음 법칙), South Korean standard: word-initial ㄹ/ㄴ before
# ㅣ ㅑ ㅕ ㅛ ㅠ ㅖ become ㅇ; word-initial ㄹ before other vowels becomes ㄴ.
_IY = set("ㅣㅑㅕㅛㅠㅖ")


@lru_cache(maxsize=4096)
def apply_initial_law(syl: str) -> str:
    """South Korean reading of a syllable at the start of a word (로 -> 노, 리 -> 이, 녀 -> 여)."""
    if not H.is_syllable(syl):
        return syl
    ini, vow = H.initial(syl), H.vowel(syl)
    if ini in ("ㄹ", "ㄴ") and vow in _IY:
        return H.with_initial(syl, "ㅇ")
    if ini == "ㄹ":
        return H.with_initial(syl, "ㄴ")
    return syl


@lru_cache(maxsize=4096)
def original_candidates(syl: str) -> tuple[str, ...]:
    """Readings a word-initial SK syllable may have lost to the law (이 -> 리, 니; 노 -> 로)."""
    if not H.is_syllable(syl):
        return []
    ini, vow = H.initial(syl), H.vowel(syl)
    if ini == "ㅇ" and vow in _IY:
        return (H.with_initial(syl, "ㄹ"), H.with_initial(syl, "ㄴ"))
    if ini == "ㄴ" and vow not in _IY:
        return (H.with_initial(syl, "ㄹ"),)
    return ()


def original_reading(syl: str, hanja: str, readings: dict[str, dict[str, int]]) -> str | None:
    """The original (North Korean) reading of word-initial ``syl`` written with ``hanja``, or None.

    A candidate must be attested for the hanja in at least 3 entries and at
    least a fifth as often as the South Korean reading itself, and clearly
    dominate any other candidate (x5): the dictionaries hold a few misaligned
    entries (異 read 리 in 4 of 232, 量 read 냥 in 2). Measured on the installed
    dictionaries, hanja with a true ㄹ/ㄴ reading score 0.6 (勞) to 370 (里);
    misreadings score below 0.02 (異, 延, 有, 仁).
    """
    counts = readings.get(hanja)
    if not counts:
        return None
    cands = sorted(((counts.get(c, 0), c) for c in original_candidates(syl)), reverse=True)
    if not cands or cands[0][0] < 3 or cands[0][0] < 0.2 * counts.get(syl, 0):
        return None
    if len(cands) > 1 and cands[0][0] < 5 * cands[1][0]:
        return None
    return cands[0][1]


def gloss_pair(nk: str, gloss: str, family: str) -> Pair | None:
    """A pair from the NK-HanDic gloss of the entry the analyser chose in context.

    Used at run time for orthographic families only (initial-sound, sai-siot):
    the analyser picked this North-specific entry for this sentence, and the
    gloss names its South Korean spelling, so no sense guessing is involved.
    """
    m = _GLOSS_WORD.match(gloss) or _GLOSS_SPELL.search(gloss)
    if m:
        sk = m.group(1).strip()
    elif _HANGUL_WORD.match(gloss):  # some entries gloss with the bare South Korean word
        sk = gloss
    else:
        return None
    # The South may space a compound the North writes as one word (련합부대 → 연합 부대):
    # classify on the unspaced form, keep the South's spacing in the target.
    flat = sk.replace(" ", "")
    if _HANGUL_WORD.match(flat) and sk.count(" ") <= 2 and classify(nk, flat) == family:
        return Pair(sk, family, f"NK-HanDic gloss: ‘{sk}’")
    return None


def exact_gloss(gloss: str) -> str | None:
    """X when an NK-HanDic gloss is exactly "‘X’의 북한어." and X is one Hangul word."""
    m = _GLOSS_EXACT.match(gloss)
    if m and _HANGUL_WORD.match(m.group(1).strip()):
        return m.group(1).strip()
    return None


def classify(nk: str, sk: str) -> str:
    """Which rule family turns NK ``nk`` into SK ``sk`` (vocab when none does)."""
    if len(nk) == len(sk) and all(H.is_syllable(c) for c in nk + sk):
        diff = [i for i in range(len(nk)) if nk[i] != sk[i]]
        # one syllable differs by the law: word start, compound element (평양랭면),
        # or 렬/률 after a vowel (비률)
        if diff and all(apply_initial_law(nk[i]) == sk[i] for i in diff) and len(diff) <= 2:
            return "initial-sound"
        if len(diff) == 1:
            i = diff[0]
            if i < len(nk) - 1 and H.final(nk[i]) == "" and H.with_final(nk[i], "ㅅ") == sk[i]:
                return "sai-siot"
    return "vocab"


# ---------------------------------------------------------------- harvesting
def _features(path: str) -> list[str]:
    """Every feature string stored in a compiled MeCab sys.dic."""
    with open(path, "rb") as fh:
        raw = fh.read()
    out = []
    for chunk in raw.split(b"\0"):
        if chunk.count(b",") >= 10:
            try:
                out.append(chunk.decode("utf-8"))
            except UnicodeDecodeError:
                continue
    return out


def _fields(feat: str) -> list[str]:
    return next(csv.reader([feat])) if '"' in feat else feat.split(",")


def _plain(lemma: str) -> str:
    return lemma.rstrip("0123456789")


def _harvest(version: str) -> Lexicon:
    readings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    nk_hanja: dict[str, set[str]] = defaultdict(set)
    sk_nouns: set[str] = set()
    sk_verbs: set[str] = set()

    def add_readings(form: str, hanja: str) -> None:
        hanja = unicodedata.normalize("NFC", hanja)
        if len(hanja) != len(form):
            return
        for hc, sc in zip(hanja, form, strict=True):
            if _HANJA.match(hc) and H.is_syllable(sc):
                readings[hc][sc] += 1

    proper: set[str] = set()
    sk_common: set[str] = set()  # HanDic common nouns: a name that is also one is not "only a name"
    sk_noun_hanja: dict[str, set[str]] = defaultdict(set)
    sk_loan: set[str] = set()  # HanDic nouns with a foreign origin in the gloss field (cup, &독Energie)
    for feat in _features(os.path.join(dicdir("sk"), "sys.dic")):
        f = _fields(feat)
        if f[0] == "Noun":
            sk_nouns.add(f[6])
            if f[10] != "NNP":
                sk_common.add(f[6])
            elif f[7] in ("*", "") and len(f[6]) >= 2:
                proper.add(f[6])  # a foreign or native name without hanja (로마, 루이); Korean names have hanja
            if f[7] not in ("*", "") and len(f[6]) >= 3:
                sk_noun_hanja[f[6]].add(unicodedata.normalize("NFC", f[7]))
            if f[7] in ("*", "") and f[10] == "NNG" and _LOAN_ORIGIN.match(f[8]):
                sk_loan.add(f[6])
        elif f[10] in ("VV", "VA"):
            sk_verbs.add(_plain(f[5]))
        if f[7] not in ("*", ""):
            add_readings(f[6], f[7])

    nk_only: set[str] = set()
    nk_verbs_marked: set[str] = set()
    word_pairs: dict[str, set[str]] = defaultdict(set)
    exact_pairs: set[tuple[str, str]] = set()
    spell_pairs: dict[str, set[str]] = defaultdict(set)
    for feat in _features(os.path.join(dicdir("nk"), "sys.dic")):
        f = _fields(feat)
        if len(f) < 11:
            continue
        if f[7] not in ("*", ""):
            add_readings(f[6], f[7])
        if len(f) >= 13 and f[11] == "&북한어" and f[10] in ("VV", "VA"):
            nk_verbs_marked.add(_plain(f[5]))
        if f[0] != "Noun":
            continue
        form = f[6]
        if len(f) >= 13 and f[11] == "&북한어" and _HANGUL_WORD.match(form):
            nk_only.add(form)
        if f[7] not in ("*", ""):
            nk_hanja[form].add(unicodedata.normalize("NFC", f[7]))
        if len(f) >= 13 and f[11] == "&북한어" and f[10] == "NNG" and _HANGUL_WORD.match(form):
            m = _GLOSS_WORD.match(f[12])
            if m:
                word_pairs[form].add(m.group(1).strip())
                if _GLOSS_EXACT.match(f[12]):
                    exact_pairs.add((form, m.group(1).strip()))
            s = _GLOSS_SPELL.search(f[12])
            if s:
                spell_pairs[form].add(s.group(1).strip())

    nk2sk: dict[str, Pair] = {}
    sk2nk_cands: dict[str, set[str]] = defaultdict(set)
    for nk, sks in word_pairs.items():
        if len(sks) != 1:  # several SK words: ambiguous, leave alone
            continue
        sk = next(iter(sks))
        if not _HANGUL_WORD.match(sk) or sk == nk:
            continue
        fam = classify(nk, sk)
        if sk not in sk_nouns:
            continue
        if nk in sk_nouns:
            # A North word that is also a South word (조선, 회수) may gloss a rare
            # sense: only the sai-siot spelling is kept, and only South->North.
            if fam == "sai-siot":
                sk2nk_cands[sk].add(nk)
            continue
        # Vocabulary pairs only when the gloss is nothing but "‘X’의 북한어." (a
        # longer gloss often ties the pair to one sense) and X is a real word.
        if fam == "vocab" and ((nk, sk) not in exact_pairs or len(sk) < 2):
            continue
        nk2sk[nk] = Pair(sk, fam, f"NK-HanDic: ‘{sk}’의 북한어")
        if fam in ("sai-siot",):
            sk2nk_cands[sk].add(nk)
    for nk, sps in spell_pairs.items():
        if nk in nk2sk or len(sps) != 1:
            continue
        sk = next(iter(sps))
        if not _HANGUL_WORD.match(sk) or sk == nk or nk in sk_nouns:
            continue
        fam = classify(nk, sk)
        if fam == "vocab":
            continue  # a spelling pair must be explained by a rule
        nk2sk[nk] = Pair(sk, fam, f"NK-HanDic: 규범 표기 ‘{sk}’")
        if fam == "sai-siot":
            sk2nk_cands[sk].add(nk)
    sk2nk = {sk: Pair(next(iter(nks)), "sai-siot", "NK-HanDic pair without sai-siot")
             for sk, nks in sk2nk_cands.items() if len(nks) == 1}
    # Loanwords: the North's spelling of a foreign word, from an NK-only entry glossed exactly
    # "‘X’의 북한어." where X is a HanDic loanword (its gloss field names the foreign origin) and
    # no other North form is glossed to X (쵸콜레트 ← 초콜릿, 빠다 ← 버터, 비루스 ← 바이러스).
    loan_cands: dict[str, set[str]] = defaultdict(set)
    for nk, sk in exact_pairs:
        if sk in sk_loan and nk not in sk_nouns and len(sk) >= 2 and _HANGUL_WORD.match(nk):
            loan_cands[sk].add(nk)
    for sk, nks in loan_cands.items():
        # a respelling of the same foreign word (케이블 → 케블, 리튬 → 리티움), not a native
        # coinage (플랑크톤 → 떠살이생물), whose use in print today is uncertain
        nk = next(iter(nks))
        if len(nks) == 1 and sk not in sk2nk and _same_word(sk, nk) and sk not in nk and nk not in sk:
            # (코드 → 코드실, 코일 → 코일선: the gloss names one sense of a longer word; left out)
            sk2nk[sk] = Pair(nk, "vocab", f"NK-HanDic loanword entry: ‘{sk}’의 북한어")

    # Verbs the North spells with -여 inside (헤여지다, 뛰여가다): one 어 -> 여 after
    # a syllable in ㅣ ㅐ ㅔ ㅚ ㅟ ㅢ, and the South form is a HanDic verb.
    verb_yeo_sk2nk: dict[str, int] = {}
    verb_yeo_nk2sk: dict[str, int] = {}
    for nk in nk_verbs_marked:
        for i in range(1, len(nk) - 1):
            if nk[i] == "여" and H.final(nk[i - 1]) == "" and H.vowel(nk[i - 1]) in "ㅣㅐㅔㅚㅟㅢ":
                sk = nk[:i] + "어" + nk[i + 1:]
                if sk in sk_verbs:
                    verb_yeo_sk2nk[sk] = i
                    verb_yeo_nk2sk[nk] = i
                    break

    return Lexicon(
        version=version,
        readings={k: dict(v) for k, v in readings.items()},
        nk_hanja={k: frozenset(v) for k, v in nk_hanja.items()},
        sk_nouns=frozenset(sk_nouns),
        nk2sk=nk2sk,
        sk2nk=sk2nk,
        nk_only=frozenset(nk_only),
        sk_verbs=frozenset(sk_verbs),
        verb_yeo_sk2nk=verb_yeo_sk2nk,
        verb_yeo_nk2sk=verb_yeo_nk2sk,
        # both are consulted only for words the initial-sound rule may touch (ㅇ/ㄴ first syllable)
        proper=frozenset(w for w in proper - sk_common if H.initial(w[0]) in ("ㅇ", "ㄴ")),
        sk_noun_hanja={k: frozenset(v) for k, v in sk_noun_hanja.items() if H.initial(k[0]) in ("ㅇ", "ㄴ")},
    )


def _same_word(a: str, b: str) -> bool:
    """Two spellings of one foreign word: most of their consonant and vowel letters agree."""
    from difflib import SequenceMatcher

    ja, jb = H.to_jamo(a), H.to_jamo(b)
    return SequenceMatcher(None, ja, jb, autojunk=False).ratio() >= 0.6


@lru_cache(maxsize=1)
def _curated() -> tuple[list[dict], str]:
    """The curated pairs and their file hash, read once per process."""
    raw = CURATED.read_bytes()
    try:
        items = yaml.safe_load(raw) or []
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{CURATED}:{mark.line + 1}" if mark else str(CURATED)
        raise MeariError(f"bad YAML in the curated lexicon: {getattr(e, 'problem', e)}", where) from None
    loan_raw = LOANWORDS.read_bytes()
    try:
        loans = (yaml.safe_load(loan_raw) or {}).get("entries") or []
    except (yaml.YAMLError, AttributeError) as e:
        raise MeariError(f"bad YAML in the loanword table: {e}", str(LOANWORDS)) from None
    for n, it in enumerate(loans, 1):
        if not isinstance(it, dict) or not all(isinstance(it.get(k), str) and it[k] for k in ("sk", "nk", "source")):
            raise MeariError(f"entry {n} needs non-empty sk, nk and source", str(LOANWORDS))
        items = [*items, {"sk": it["sk"], "nk": it["nk"], "note": f"loanword table ({it.get('kind', '?')}): "
                          f"{it['source']}", "directions": it.get("directions", "both"),
                          "kind": it.get("kind", "")}]
    raw = raw + loan_raw
    for n, it in enumerate(items, 1):
        if not isinstance(it, dict) or not all(isinstance(it.get(k), str) and it[k] for k in ("sk", "nk", "note")):
            raise MeariError(f"entry {n} needs non-empty sk, nk and note", str(CURATED))
        if it.get("directions", "both") not in ("both", "sk2nk", "nk2sk"):
            raise MeariError(f"entry {n} ({it['sk']}): directions must be both, sk2nk or nk2sk", str(CURATED))
    return items, hashlib.sha256(raw).hexdigest()[:12]


def _merge_curated(lex: Lexicon, items: list[dict]) -> None:
    names = set()
    for it in items:
        sk, nk, note = it["sk"], it["nk"], it["note"]
        if sk == nk:
            names.add(sk)  # a name listed to protect it: no rule respells it
            continue
        fam = it.get("family", "vocab")
        dirs = it.get("directions", "both")
        hj = unicodedata.normalize("NFC", str(it.get("hanja", "")))
        key = sk.replace(" ", "")
        if dirs in ("both", "sk2nk"):
            lex.sk2nk[key] = Pair(nk, fam, note, curated=True, hanja=hj)
        if dirs in ("both", "nk2sk"):
            lex.nk2sk[nk.replace(" ", "")] = Pair(sk, fam, note, curated=True, hanja=hj)
    lex.names = frozenset(names)


@lru_cache(maxsize=1)
def lexicon_version() -> str:
    """Version string that goes into every signature: dictionaries + build + curated data."""
    _, digest = _curated()
    return f"handic-{dictionary_version('sk')}.nkhandic-{dictionary_version('nk')}.b{BUILD}.c{digest}"


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load the lexicon from the cache, harvesting the dictionaries on first use."""
    items, _ = _curated()
    version = lexicon_version()
    path = cache_dir() / f"lexicon-{version}.pickle"
    lex: Lexicon | None = None
    try:
        with open(path, "rb") as fh:
            lex = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        lex = None
    if lex is None or lex.version != version:
        lex = _harvest(version)
        _merge_curated(lex, items)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lexicon.")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(lex, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # read-only home: rebuild next time, still correct
    return lex
