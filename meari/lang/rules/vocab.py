"""Vocabulary substitution from the lexicon (``nk.vocab`` / ``sk.vocab``).

South->North uses only curated pairs (meari/data/lexicon.yaml): a harvested
NK-HanDic pair says a North Korean word *exists*, not that a North Korean
writer would use it instead of the South Korean word, and a wrong substitution
is worse than none. North->South uses harvested pairs whose North Korean word
is not a South Korean word at all (so the gloss cannot be a rare sense).
"""

from __future__ import annotations

from meari.lang import hangul as H
from meari.lang.guard import south_reads_grammar, whole_run
from meari.lang.hangul import to_jamo
from meari.lang.lexicon import classify, exact_gloss
from meari.lang.rules.base import Context

NOUNS = frozenset({"NNG", "NNP", "NNB", "NP", "NR"})  # NR: 하나+님
MAX_PARTS = 3  # 북한+군, 아이스+크림: compounds the analyser splits


def _match_nouns(ctx: Context, table: dict, fam_ok) -> list[tuple[int, int, str, str]]:
    """Longest runs of noun morphemes (inside one word) whose concatenation is a lexicon key.

    Computed once per line and table (vocabulary and sai-siot share it), then
    filtered by family.
    """
    key = id(table)
    runs = ctx.cache.get(key)
    if runs is None:
        runs = ctx.cache[key] = _noun_runs(ctx, table)
    return [r for r in runs if fam_ok(r[3])]


def _noun_runs(ctx: Context, table: dict) -> list[tuple[int, int, str, str]]:
    out = []
    ms = ctx.morphs
    n = len(ms)
    prefixes = ctx.lex.key_prefixes(table)
    i = 0
    while i < n:
        m = ms[i]
        if m.tag not in NOUNS or m.surface not in prefixes:
            i += 1
            continue
        best = None
        surf = ""
        for k in range(i, min(n, i + MAX_PARTS)):
            mk = ms[k]
            if mk.word != m.word or mk.tag not in NOUNS:
                break
            surf += mk.surface
            if surf not in prefixes:
                break  # no key starts so: a longer run cannot match either
            pair = table.get(surf)
            if pair is not None and (not pair.hanja or pair.hanja == _run_hanja(ms, i, k + 1)):
                best = (i, k + 1, surf, pair)
        if best:
            out.append(best)
            i = best[1]
        else:
            i += 1
    return out


def _run_hanja(ms, i: int, j: int) -> str:  # noqa: ANN001
    import unicodedata

    return "".join(unicodedata.normalize("NFC", ms[k].hanja) if ms[k].hanja not in ("", "*") else "?"
                   for k in range(i, j))


def sino_noun(m) -> bool:  # noqa: ANN001
    """A Sino-Korean common noun: all hanja, one per syllable (인도 人道; not 로씨야軍, not a name)."""
    h = m.hanja
    return m.tag == "NNG" and h not in ("", "*") and len(h) == len(m.surface) and all(
        "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in h)


def is_name_pair(pair) -> bool:  # noqa: ANN001
    """A foreign name (person, place, country) from the loanword table."""
    return pair.curated and pair.note.startswith(("loanword table (name", "loanword table (place",
                                                   "loanword table (country"))


def ms_start(ctx: Context, i: int) -> int:
    return ctx.morphs[i].start


def safe_run(ctx: Context, i: int, j: int, pair, north_input: bool) -> bool:  # noqa: ANN001
    """May a lexicon pair rewrite morphemes i..j-1? (see :mod:`meari.lang.guard`)"""
    if not whole_run(ctx, i, j, curated=pair.curated):
        return False
    if is_name_pair(pair) and any(sino_noun(ctx.morphs[k]) for k in range(i, j)):
        return False  # a foreign name never matches a Sino-Korean common noun (인도 人道 is not India)
    return pair.curated or not north_input or not south_reads_grammar(ctx, i, j)


# Particles whose form depends on whether the word before ends in a consonant
# (after a consonant, after a vowel). 으로 also follows a final ㄹ as 로.
_PARTICLES = [("이", "가"), ("을", "를"), ("은", "는"), ("과", "와"), ("으로", "로"), ("이나", "나"),
              ("이랑", "랑"), ("이며", "며"), ("아", "야"), ("으로서", "로서"), ("으로써", "로써")]
_AFTER_VOWEL = {c: v for c, v in _PARTICLES}
_AFTER_CONS = {v: c for c, v in _PARTICLES}
_PARTICLE_TAGS = frozenset({"JKS", "JKO", "JX", "JKB", "JC", "JKC", "JKV"})


def _particle_for(word: str, particle: str) -> str:
    """The form of ``particle`` that agrees with the last syllable of ``word``."""
    last = word[-1] if word else ""
    fin = H.final(last) if H.is_syllable(last) else ""
    if particle.startswith("으로") or particle in ("로", "로서", "로써"):
        base = particle[1:] if particle.startswith("으") else particle
        return base if fin in ("", "ㄹ") else "으" + base
    if fin:
        return _AFTER_CONS.get(particle, particle)
    return _AFTER_VOWEL.get(particle, particle)


def _apply_run(ctx: Context, i: int, j: int, target: str, rule: str, why: str) -> None:
    """Replace morphemes i..j-1 by ``target``; make a following particle agree with it."""
    if any(k in ctx.replaced or k in ctx.protected for k in range(i, j)):
        return
    ms = ctx.morphs
    if (j < len(ms) and ms[j].word == ms[i].word and ms[j].tag.startswith("E") and target and H.is_syllable(target[-1])
            and H.final(target[-1]) and not H.final(ms[j - 1].surface[-1:] or "가")):
        target += "이"  # the copula dropped after a vowel returns after a consonant: 간호사다 → 간호원이다
    if ctx.replace(i, to_jamo(target), rule, why):
        for k in range(i + 1, j):
            ctx.replaced[k] = ("", rule, why)
        ms = ctx.morphs
        if j < len(ms) and ms[j].word == ms[i].word and ms[j].tag in _PARTICLE_TAGS and j not in ctx.replaced:
            new = _particle_for(target, ms[j].surface)
            if new != ms[j].surface:
                ctx.replace(j, to_jamo(new), rule, f"particle {ms[j].surface} → {new} to agree with {target}")


# Syllables a foreign name takes as a Sino-Korean suffix inside one word (로씨야군, 꾸르스크주)
_NAME_SUFFIX = frozenset("군인측산제어령주식판계")
_GRAMMAR = ("J", "E", "XS", "VC", "S")


def loan_runs(ctx: Context, table: dict) -> list[tuple[int, int, str, object]]:
    """Words that begin with a loanword-table key, matched on the letters, not the analysis.

    The analyser cuts names it does not know into nonsense (꾸르스크 = 꾸+르+스+크), so a
    listed foreign name or loanword is found as a prefix of the word instead; it must end
    at a morpheme boundary followed by grammar (꾸르스크+는), or inside the last morpheme of a
    noun with one listed suffix syllable (로씨야군). Returns (i, j, replacement, pair).
    """
    keys, any_key = ctx.lex.loan_keys(table)
    if any_key is None or not any_key.search(ctx.line):
        return []
    ms = ctx.morphs
    out = []
    first = ctx.first_of_word()
    for w, (ws, we) in enumerate(ctx.words):
        word = ctx.line[ws:we]
        cands = keys.get(word[:1])
        if not cands:
            continue
        for key in cands:  # longest first
            if not word.startswith(key):
                continue
            end = ws + len(key)
            i = first[w]
            j = i
            while j < len(ms) and ms[j].word == w and ms[j].end <= end:
                j += 1
            if is_name_pair(table[key]) and any(sino_noun(ms[k]) for k in range(i, min(j + 1, len(ms)))
                                                if ms[k].word == w and ms[k].start < end):
                break  # the analyser reads a Sino-Korean common noun here (인도 人道 in 인도적): not the name
            if j > i and ms[j - 1].end == end and (j == len(ms) or ms[j].word != w or ms[j].tag.startswith(_GRAMMAR)):
                out.append((i, j, table[key].target, table[key]))
                break
            if (j < len(ms) and ms[j].word == w and ms[j].start < end < ms[j].end and ms[j].tag.startswith("NN")
                    and ms[j].end == end + 1 and word[len(key)] in _NAME_SUFFIX):
                out.append((i, j + 1, table[key].target + word[len(key)], table[key]))
                break
    return out


class VocabToNK:
    id = "nk.vocab"
    explanation = "Replace South Korean or foreign vocabulary with the North Korean word (curated pairs)."

    def apply(self, ctx: Context) -> None:
        # Curated pairs of any family (e.g. 노동신문 → 로동신문 is initial-sound, but a
        # proper noun the rule itself leaves alone) carry their family's rule id.
        for i, j, new, pair in loan_runs(ctx, ctx.lex.sk2nk):
            _apply_run(ctx, i, j, new, self.id, f"{ctx.line[ms_start(ctx, i):ctx.morphs[j - 1].end]} → {new}: "
                                                 f"{pair.note}")
        for i, j, surf, pair in _match_nouns(ctx, ctx.lex.sk2nk, lambda p: p.family == "vocab" or p.curated):
            if not safe_run(ctx, i, j, pair, False):
                continue
            rid = self.id if pair.family == "vocab" else f"nk.{pair.family}"
            _apply_run(ctx, i, j, pair.target, rid, f"{surf} → {pair.target}: {pair.note}")


class LexiconToSK:
    id = "sk.vocab"
    explanation = "Replace a North Korean word with its South Korean equivalent (NK-HanDic gloss or curated)."

    def apply(self, ctx: Context) -> None:
        for i, j, new, pair in loan_runs(ctx, ctx.lex.nk2sk):
            _apply_run(ctx, i, j, new, self.id, f"{ctx.line[ms_start(ctx, i):ctx.morphs[j - 1].end]} → {new}: "
                                                 f"{pair.note}")
        for i, j, surf, pair in _match_nouns(ctx, ctx.lex.nk2sk, lambda p: p.family == "vocab"):
            if not safe_run(ctx, i, j, pair, True):
                continue
            _apply_run(ctx, i, j, pair.target, self.id, f"{surf} → {pair.target}: {pair.note}")
        # Words the analyser itself resolved to a North-specific NK-HanDic entry
        # whose gloss is nothing but "‘X’의 북한어." (우 → 위, 잠간 → 잠깐, 웨치다 → 외치다).
        lex = ctx.lex
        for i, m in enumerate(ctx.morphs):
            if not m.nk_mark or i in ctx.replaced or m.tag not in _GLOSS_TAGS:
                continue
            sk = exact_gloss(m.nk_gloss)
            if not sk:
                continue
            note = f"NK-HanDic: ‘{sk}’의 북한어"
            if m.tag in ("VV", "VA"):
                new = _inflect_like(m.surface, m.lemma_plain, sk)
                if new:
                    ctx.replace(i, to_jamo(new), self.id, f"{m.surface} → {new}: {note}")
            elif m.tag == "MAG" or (sk in lex.sk_nouns and m.surface not in lex.sk_nouns):
                # (a North word that is also a South word, 홈 groove, may gloss a rare sense: 홈 → 폼)
                if classify(m.surface, sk) == "vocab" and whole_run(ctx, i, i + 1) and not south_reads_grammar(
                        ctx, i, i + 1):
                    _apply_run(ctx, i, i + 1, sk, self.id, f"{m.surface} → {sk}: {note}")


_GLOSS_TAGS = frozenset({"NNG", "MAG", "VV", "VA"})


def _inflect_like(surface: str, nk_lemma: str, sk_lemma: str) -> str | None:
    """웨쳐 (웨치다) → 외쳐 (외치다): swap the one differing stem syllable when the
    inflected form still contains it unchanged; otherwise (irregular stems) None."""
    if len(nk_lemma) != len(sk_lemma) or not nk_lemma.endswith("다") or not sk_lemma.endswith("다"):
        return None
    diff = [k for k in range(len(nk_lemma)) if nk_lemma[k] != sk_lemma[k]]
    if len(diff) != 1 or diff[0] >= len(nk_lemma) - 1:
        return None  # one stem syllable differs, never 다
    k = diff[0]
    if surface[: k + 1] != nk_lemma[: k + 1]:
        return None
    return surface[:k] + sk_lemma[k] + surface[k + 1:]
