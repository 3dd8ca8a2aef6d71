"""Kontsevich transcription (ru) and its Ukrainian adaptation, against published examples."""

from __future__ import annotations

import pytest

from meari.phrase.translit import transcribe

RU = [
    ("조선", "Чосон"),
    ("서울", "Соуль"),
    ("평양", "Пхёнъян"),  # the system's output; the conventional name Пхеньян is an exception
    ("한국어", "Хангуго"),  # ㄱ voiced between vowels (linking)
    ("독립", "Тоннип"),  # ㄱ+ㄹ -> нн, ㄹ after a consonant -> н
    ("신라", "Силла"),  # ㄴ+ㄹ -> лл
    ("종로", "Чонно"),  # ㅇ+ㄹ -> нн
    ("국민", "Кунмин"),  # nasalisation
    ("학교", "Хаккё"),
    ("좋다", "Чотха"),  # ㅎ + ㄷ -> тх
    ("좋아요", "Чоаё"),  # ㅎ silent before a vowel
    ("있습니다", "Иссымнида"),
    ("없어요", "Опсоё"),
    ("로동", "Родон"),  # North Korean initial ㄹ kept: р
    ("물", "Муль"),  # final ㄹ -> ль
    ("의사", "Ыйса"),
    ("희망", "Химан"),  # ㅢ after a consonant -> и
    ("부산", "Пусан"),
    ("대구", "Тэгу"),
    ("김치", "Кимчхи"),
]
UK = [
    ("조선", "Чосон"),
    ("서울", "Соуль"),
    ("평양", "Пхьон'ян"),
    ("한국어", "Хангуго"),
    ("김치", "Кімчхі"),
    ("부산", "Пусан"),
    ("대구", "Тегу"),
    ("물", "Муль"),
    ("움직이지", "Умджіґіджі".replace("ґ", "г")),
]


@pytest.mark.parametrize(("ko", "ru"), RU)
def test_russian(ko: str, ru: str) -> None:
    assert transcribe(ko, "ru") == ru


@pytest.mark.parametrize(("ko", "uk"), UK)
def test_ukrainian(ko: str, uk: str) -> None:
    assert transcribe(ko, "uk") == uk


def test_names() -> None:
    assert transcribe("김정은", "ru", name=True) == "Ким Чжон Ын"
    assert transcribe("김정은", "uk", name=True) == "Кім Джон Ин"
    assert transcribe("문재인", "ru", name=True) == "Мун Чжэ Ин"


def test_sentences_keep_punctuation_and_capitalise() -> None:
    assert transcribe("무기를 버리시오!", "ru") == "Мугирыль порисио!"
    assert transcribe("예. 아니요.", "ru") == "Йе. Аниё."
    assert transcribe("《예》나 《아니요》", "ru") == "«Йе»на «аниё»"
    assert transcribe("1949년", "ru") == "1949нён"


def test_every_phrase_has_cyrillic_only() -> None:
    from meari.phrase.load import load_phrasebook

    for e in load_phrasebook().phrases:
        for t in (e.translit_ru, e.translit_uk):
            assert t and not any("\uac00" <= ch <= "\ud7a3" for ch in t), (e.id, t)


def test_bad_language() -> None:
    with pytest.raises(ValueError):
        transcribe("물", "de")
