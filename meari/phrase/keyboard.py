"""Korean typed on a Latin keyboard in the 두벌식 (KS X 5002) layout: ``anf`` -> ``물``.

Why: an interpreter's phone or a borrowed laptop is often left in the Latin layout; the
keys still spell jamo. We map each key to its jamo (shift for the tense consonants and
ㅒ ㅖ) and compose syllables the way a Korean IME does, so both the jamo sequence (what
lookup compares) and the composed text (what the user is shown) are available.
"""

from __future__ import annotations

from meari.lang import hangul as H

# Unshifted keys; upper case gives these too except the shift jamo below.
KEYS = {
    "q": "ㅂ", "w": "ㅈ", "e": "ㄷ", "r": "ㄱ", "t": "ㅅ", "y": "ㅛ", "u": "ㅕ", "i": "ㅑ", "o": "ㅐ", "p": "ㅔ",
    "a": "ㅁ", "s": "ㄴ", "d": "ㅇ", "f": "ㄹ", "g": "ㅎ", "h": "ㅗ", "j": "ㅓ", "k": "ㅏ", "l": "ㅣ",
    "z": "ㅋ", "x": "ㅌ", "c": "ㅊ", "v": "ㅍ", "b": "ㅠ", "n": "ㅜ", "m": "ㅡ",
}
SHIFT = {"Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ"}

_CONS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_T = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
      "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
_VV = {("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ", ("ㅜ", "ㅓ"): "ㅝ", ("ㅜ", "ㅔ"): "ㅞ",
       ("ㅜ", "ㅣ"): "ㅟ", ("ㅡ", "ㅣ"): "ㅢ"}
_TT = {("ㄱ", "ㅅ"): "ㄳ", ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ", ("ㄹ", "ㄱ"): "ㄺ", ("ㄹ", "ㅁ"): "ㄻ",
       ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ", ("ㄹ", "ㅌ"): "ㄾ", ("ㄹ", "ㅍ"): "ㄿ", ("ㄹ", "ㅎ"): "ㅀ",
       ("ㅂ", "ㅅ"): "ㅄ"}
_TT_SPLIT = {v: k for k, v in _TT.items()}


def keys_to_jamo(text: str) -> str | None:
    """Jamo for each key, or None if ``text`` holds a letter that is not a layout key."""
    out = []
    for ch in text:
        if ch in SHIFT:
            out.append(SHIFT[ch])
        elif ch.lower() in KEYS:
            out.append(KEYS[ch.lower()])
        elif ch.isalpha():
            return None
        else:
            out.append(ch)
    return "".join(out)


def compose(jamo: str) -> str:
    """Compose a compatibility-jamo key sequence into syllables like a 두벌식 IME."""
    out: list[str] = []
    L = V = T = ""

    def flush() -> None:
        nonlocal L, V, T
        if L and V:
            out.append(H.join_syllable(_CONS.index(L), _VOWELS.index(V), _T.index(T)))
        else:
            out.append(L + V + T)
        L = V = T = ""

    for j in jamo:
        if j in _CONS:
            if L and V:
                if not T:
                    if j in _T:
                        T = j
                        continue
                elif (T, j) in _TT:
                    T = _TT[(T, j)]
                    continue
            flush()
            L = j
        elif j in _VOWELS:
            if L and V and not T and (V, j) in _VV:
                V = _VV[(V, j)]
                continue
            if L and V and T:  # the final moves to the new syllable (물 + ㅡ -> 무르)
                if T in _TT_SPLIT:
                    keep, move = _TT_SPLIT[T]
                else:
                    keep, move = "", T
                T = keep
                flush()
                L, V = move, j
                continue
            if L and not V:
                V = j
                continue
            if V and not L and (V, j) in _VV:
                V = _VV[(V, j)]
                continue
            flush()
            V = j
        else:
            flush()
            out.append(j)
    flush()
    return "".join(out)


def latin_to_hangul(text: str) -> str | None:
    """``anf`` -> ``물``; None if the text is not all layout keys (then it is not mistyped Korean)."""
    j = keys_to_jamo(text)
    return compose(j) if j is not None else None
