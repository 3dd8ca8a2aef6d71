"""Korean line breaking and script checks, measured with a fixed-width metric (1 unit per char)."""

from __future__ import annotations

from meari.produce.leaflet.text import NO_END, NO_START, break_lines, foreign_letters


def w(s: str) -> float:
    return float(len(s))


def test_words_first() -> None:
    lines = break_lines("무기를 내려놓고 천천히 걸어 나오십시오", 10, w)
    assert lines == ["무기를 내려놓고", "천천히 걸어", "나오십시오"]


def test_long_unspaced_run_breaks_between_syllables_and_never_clips() -> None:
    run = "살아서가족을다시만날수있습니다"  # 15 syllables, NK-style spacing
    lines = break_lines(run, 6, w)
    assert "".join(lines) == run
    assert all(len(x) <= 6 for x in lines)


def test_punctuation_never_starts_a_line() -> None:
    text = "가나다라마바사." + " 《아자차카타》"
    for width in range(3, 12):
        lines = break_lines(text, width, w)
        assert lines is not None
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert line[0] not in NO_START, (width, lines)
            assert line[-1] not in NO_END, (width, lines)


def test_fill_split_only_for_long_hangul_runs() -> None:
    # a short word moves whole rather than leaving an orphan syllable
    assert break_lines("천천히 걸어 나오십시오", 9, w) == ["천천히 걸어", "나오십시오"]
    # Latin/Cyrillic words are never split when they fit a line
    assert break_lines("ab военнопленным", 15, w) == ["ab", "военнопленным"]
    # a long Hangul run fills the line instead of leaving it mostly empty
    lines = break_lines("가 나다라마바사아자차카타파하", 10, w)
    assert lines[0].startswith("가 ") and len(lines[0]) > 5


def test_nbsp_keeps_article_numbers_together() -> None:
    lines = break_lines("humane (Art.\u00a013) food", 11, w)
    assert "(Art.\u00a013)" in lines


def test_syllable_wider_than_box_is_none() -> None:
    assert break_lines("가나", 0.5, w) is None


def test_foreign_letters() -> None:
    assert foreign_letters("제네바협약(제13조), 《나는 살고 싶다》 № 7") == []
    assert foreign_letters("살아서 Ivan") == ["I", "v", "a", "n"]
    assert foreign_letters("歸鄕") == ["歸", "鄕"]
    assert foreign_letters("Живи") != []
