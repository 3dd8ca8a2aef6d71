"""Cyrillic transcription of Korean for Russian and Ukrainian readers, generated from the text.

Why generated, not stored: the transcription must follow the Korean exactly; a hand-written
column drifts when a phrase is edited. We use the Kontsevich system (Л. Р. Концевич, based on
А. А. Холодович's 1950s transcription; the standard for Korean in Russian, and in its Ukrainian
adaptation the usual system in Ukrainian reference works). It is phonetic: what a speaker
hears, not letter-for-letter. Rules applied, per syllable boundary:

- ㄱ ㄷ ㅂ ㅈ are voiceless word-initially and after an obstruent final (к т п ч), voiced between
  vowels and after the sonorants ㄴ ㅁ ㅇ ㄹ (г д б; ㅈ → чж in Russian, дж in Ukrainian).
- ㄹ is р at the start of a syllable, ль at the end of one; ㄴ+ㄹ, ㄹ+ㄴ, ㄹ+ㄹ → лл.
- final ㅇ is н; before a vowel нъ in Russian (평양 → Пхёнъян), н' in Ukrainian (which has no ъ;
  the apostrophe is Ukrainian's separating sign). The conventional Пхеньян is an exception
  the system does not produce.
- finals are neutralised before a consonant and at a word end (ㅅ ㅆ ㅈ ㅊ ㅌ ㅎ → т, ㅋ ㄲ → к,
  ㅍ → п); before a vowel a final consonant is read at the start of the next syllable.
- assimilation only where Kontsevich's medial table prescribes it: nasalisation (ㄱ ㄷ ㅂ before
  ㄴ ㅁ → н н м; before ㄹ → нн, нн, мн; ㅁ ㅇ + ㄹ → мн, нн), aspiration with ㅎ (ㄱ+ㅎ → кх,
  ㅎ+ㄷ → тх …), silent ㅎ before a vowel. Tensing is not marked except by the voiceless value.
- vowels per the tables (ru: ㅓ о, ㅡ ы, ㅐ э, ㅕ ё; uk: ㅡ и, ㅣ і, ㅐ е, ㅕ йо / ьо after a
  consonant, ㅖ є); ㅖ after a consonant and ㅢ after a consonant or inside a word → е / и (uk е / і).

Names (``name=True``): surname, then each given-name syllable as its own capitalised word,
voicing applied across (김정은 → Ким Чжон Ын). Text is lower-case except the first letter of
each sentence, which is what a reader needs to read it aloud.
"""

from __future__ import annotations

import re
import unicodedata

from meari.lang import hangul as H

LANGS = ("ru", "uk")

# initial consonant index (0..18) order: ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ
_INIT_PLAIN = {"ru": ["к", "кк", "н", "т", "тт", "р", "м", "п", "пп", "с", "сс", "", "ч", "чч", "чх", "кх", "тх",
                      "пх", "х"],
               "uk": ["к", "кк", "н", "т", "тт", "р", "м", "п", "пп", "с", "сс", "", "ч", "чч", "чх", "кх", "тх",
                      "пх", "х"]}
_VOICED = {"ru": {0: "г", 3: "д", 7: "б", 12: "чж"}, "uk": {0: "г", 3: "д", 7: "б", 12: "дж"}}
# vowel index order: ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ
_VOW = {"ru": ["а", "э", "я", "йя", "о", "е", "ё", "йе", "о", "ва", "вэ", "ве", "ё", "у", "во", "ве", "ви", "ю",
               "ы", "ый", "и"],
        "uk": ["а", "е", "я", "йя", "о", "е", "йо", "є", "о", "ва", "ве", "ве", "йо", "у", "во", "ве", "ві", "ю",
               "и", "ий", "і"]}

# Final index (0..27) -> (class for a following consonant, consonant carried to a following vowel)
# classes: K T P N M L NG H (ㅎ-like: aspirates the next stop), "" none.
# carried: initial index read at the next syllable before a vowel (None: nothing), plus what stays.
_FINALS: dict[int, tuple[str, str, int | None]] = {
    # ti: (class, stays-in-this-syllable-before-vowel, carried initial index)
    0: ("", "", None),
    1: ("K", "", 0), 2: ("K", "", 1), 3: ("K", "K", 9),        # ㄱ ㄲ ㄳ
    4: ("N", "", 2), 5: ("N", "N", 12), 6: ("NH", "", 2),      # ㄴ ㄵ ㄶ
    7: ("T", "", 3),                                          # ㄷ
    8: ("L", "", 5), 9: ("K", "L", 0), 10: ("M", "L", 6), 11: ("L", "L", 7),  # ㄹ ㄺ ㄻ ㄼ
    12: ("L", "L", 9), 13: ("L", "L", 16), 14: ("P", "L", 17), 15: ("LH", "", 5),  # ㄽ ㄾ ㄿ ㅀ
    16: ("M", "", 6), 17: ("P", "", 7), 18: ("P", "P", 9),     # ㅁ ㅂ ㅄ
    19: ("T", "", 9), 20: ("T", "", 10), 21: ("NG", "", None),  # ㅅ ㅆ ㅇ
    22: ("T", "", 12), 23: ("T", "", 14), 24: ("K", "", 15),   # ㅈ ㅊ ㅋ
    25: ("T", "", 16), 26: ("P", "", 17), 27: ("H", "", None),  # ㅌ ㅍ ㅎ
}
_FINAL_TEXT = {"": "", "K": "к", "T": "т", "P": "п", "N": "н", "M": "м", "L": "ль", "NG": "н", "H": "т",
               "NH": "н", "LH": "ль"}
_SONORANT = {"N", "M", "L", "NG", "NH", "LH"}
_ASPIRATE = {0: 15, 3: 16, 7: 17, 12: 14}  # ㄱ ㄷ ㅂ ㅈ + ㅎ -> ㅋ ㅌ ㅍ ㅊ
_APOS = {"ru": "ъ", "uk": "'"}
_WORD = re.compile(r"[\uac00-\ud7a3]+")
_SENTENCE_START = re.compile(r"((?:^|[.!?]\s+)[\s《«\"'(\[]*)([а-яёіїєґ])")


def _syllables(word: str) -> list[tuple[int, int, int]]:
    return [H.split_syllable(ch) for ch in word]


def _vowel(lang: str, vi: int, li: int, word_initial: bool, after_vowel_or_son: bool) -> str:
    v = _VOW[lang][vi]
    has_cons = li != 11  # initial is not silent ㅇ
    if vi == 7 and has_cons:  # ㅖ after a consonant
        return "е"
    if vi == 19 and (has_cons or not word_initial):  # ㅢ
        return "и" if lang == "ru" else "і"
    if vi == 3 and has_cons:  # ㅒ after a consonant
        return "я"
    if lang == "uk" and vi in (6, 12) and has_cons:  # ㅕ ㅛ after a consonant: ьо
        return "ьо"
    return v


def transcribe_word(word: str, lang: str, prev_class: str = "") -> tuple[str, str]:
    """One run of Hangul syllables -> (Cyrillic, class of its last final).

    ``prev_class`` is the final class of the preceding syllable when voicing crosses a space (names).
    """
    syl = _syllables(word)
    out: list[str] = []
    n = len(syl)
    carry: int | None = None  # initial carried from the previous final before a vowel
    prev = prev_class  # class of previous final ("" = open syllable or word start)
    start = prev_class == ""
    prev_was_open = prev_class == "open"
    for k, (li, vi, ti) in enumerate(syl):
        first = k == 0
        init = ""
        # --- initial consonant, depending on the previous final
        if carry is not None and li == 11:
            init = _VOICED[lang].get(carry, _INIT_PLAIN[lang][carry])  # linking: read between vowels
        elif first and (start and not prev_was_open):
            init = _INIT_PLAIN[lang][li]
        else:
            init = _initial_after(lang, li, prev, prev_was_open or (first and prev_was_open))
        carry = None
        # --- vowel
        v = _vowel(lang, vi, li, first and start, True)
        # --- final
        cls, stays, carried = _FINALS[ti]
        nxt = syl[k + 1] if k + 1 < n else None
        fin = ""
        if ti:
            if nxt is None:
                fin = _FINAL_TEXT[cls]
            else:
                nli = nxt[0]
                if nli == 11:  # next syllable starts with a vowel
                    if cls == "NG":
                        fin = "н" + _APOS[lang]
                    else:
                        fin = _FINAL_TEXT[stays] if stays else ""
                        carry = carried
                        if cls in ("H",):
                            carry = None
                        if cls in ("NH", "LH"):
                            carry = 2 if cls == "NH" else 5
                else:
                    fin = _final_before(lang, cls, nli)
        out.append(init + v + fin)
        prev = cls if ti else "open"
        prev_was_open = not ti
        start = False
    last = prev if syl else prev_class
    return "".join(out), last


def _initial_after(lang: str, li: int, prev: str, prev_open: bool) -> str:
    """Initial ``li`` after a previous syllable whose final class is ``prev`` ("open" = vowel)."""
    if prev_open or prev == "open" or prev == "":
        return _VOICED[lang].get(li, _INIT_PLAIN[lang][li]) if li != 5 else "р"
    if prev in ("H", "NH", "LH"):
        if li in _ASPIRATE:
            return _INIT_PLAIN[lang][_ASPIRATE[li]]
        if li == 9:  # ㅎ+ㅅ -> сс
            return "сс"
        if li == 18:
            return "х"
        if li == 2 and prev == "H":
            return "н"
        if prev == "NH":
            return _VOICED[lang].get(li, _INIT_PLAIN[lang][li]) if li != 5 else "л"
        if prev == "LH":
            return "р" if li == 5 else _VOICED[lang].get(li, _INIT_PLAIN[lang][li])
    if li == 18 and prev in ("K", "T", "P"):  # aspiration: the final is dropped in _final_before
        return {"K": "кх", "T": "тх", "P": "пх"}[prev]
    if li == 5:  # ㄹ after a consonant final
        if prev in ("N", "L"):
            return "л"
        return "н"  # ㅁ ㅇ ㄱ ㄷ ㅂ + ㄹ -> н (final assimilated in _final_before)
    if prev in _SONORANT:
        return _VOICED[lang].get(li, _INIT_PLAIN[lang][li])
    return _INIT_PLAIN[lang][li]


def _final_before(lang: str, cls: str, nli: int) -> str:
    """Text of a final of class ``cls`` before a consonant initial ``nli``."""
    if nli == 18 and cls in ("K", "T", "P"):
        return ""  # aspirated into the next initial
    if cls in ("H", "NH", "LH"):
        base = {"H": "", "NH": "н", "LH": "ль"}[cls]
        if cls == "H" and nli == 2:
            return "н"
        if cls == "LH" and nli == 2:
            return "л"
        return base
    if cls == "T" and nli in (9, 10):  # 있습니다 -> иссымнида (т + с is heard as сс)
        return "с"
    if nli in (2, 6):  # ㄴ ㅁ: nasalisation
        if cls == "K":
            return "н"
        if cls == "T":
            return "н"
        if cls == "P":
            return "м"
        if cls == "L" and nli == 2:
            return "л"
    if nli == 5:  # ㄹ
        if cls in ("K", "T", "NG"):
            return "н"
        if cls in ("P", "M"):
            return "м"
        if cls == "N":
            return "л"
        if cls == "L":
            return "л"
    return _FINAL_TEXT[cls]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def transcribe(text: str, lang: str = "ru", name: bool = False) -> str:
    """Cyrillic reading of the Hangul in ``text`` (other characters pass through unchanged).

    Words are transcribed separately (voicing restarts at a space); the first word of each
    sentence is capitalised. ``name=True`` treats ``text`` as a personal name.
    """
    if lang not in LANGS:
        raise ValueError(f"transcription language must be one of {LANGS}, got {lang!r}")
    text = unicodedata.normalize("NFC", text)
    if name:
        return _transcribe_name(text, lang)
    out = _WORD.sub(lambda m: transcribe_word(m.group(), lang)[0], text)
    # Capitalise the first letter of each sentence (after an opening quote or bracket, too).
    out = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), out)
    # Korean quotation marks are not Cyrillic punctuation.
    return out.replace("《", "«").replace("》", "»")


def _transcribe_name(text: str, lang: str) -> str:
    words = text.split()
    out: list[str] = []
    for w in words:
        if not _WORD.fullmatch(w):
            out.append(w)
            continue
        if not out:  # surname
            sur = w[0] if len(words) == 1 and len(w) in (2, 3) else w
            given = w[len(sur):]
            t, cls = transcribe_word(sur, lang)
            out.append(_cap(t))
        else:
            given, cls = w, "open"
        for ch in given:
            t, c2 = transcribe_word(ch, lang, prev_class=cls if cls else "open")
            out.append(_cap(t))
            cls = c2 or "open"
    return " ".join(out)
