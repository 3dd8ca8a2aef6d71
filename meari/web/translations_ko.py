"""Korean UI strings for the workbench (source of truth for ko/LC_MESSAGES/django.po).

``python -m meari.web.translations_ko`` fills the .po from this table after ``makemessages``; then
``compilemessages`` writes the .mo, which is committed so a clean machine needs no gettext.
"""

from __future__ import annotations

KO: dict[str, str | list[str]] = {
    "Title": "제목",
    "Sponsor (who the product is attributed to)": "후원기관 (제작물에 밝히는 실제 주체)",
    "Audience": "대상",
    "Channel": "경로",
    "leaflet": "전단",
    "loudspeaker": "확성기",
    "interpreter": "통역",
    "Read in": "읽는 사람의 표준어",
    "North Korean standard": "북한 문화어",
    "South Korean standard": "남한 표준어",
    "Drafted in": "작성한 표준어",
    "Text": "본문",
    "Leaflet headline": "전단 제목",
    "Leaflet steps (one per line)": "전단 행동 단계 (한 줄에 하나)",
    "Guarantees approved by the sponsor (one per line)": "후원기관이 승인한 보장 (한 줄에 하나)",
    "Speaking rate (syllables/s)": "말하기 속도 (음절/초)",
    "Repeats per loop": "반복 횟수",
    "Bad request": "잘못된 요청",
    "Back to the campaigns": "캠페인 목록으로",
    "Not allowed": "허용되지 않음",
    "You may not do this.": "이 작업을 할 권한이 없습니다.",
    "Not found": "찾을 수 없음",
    "There is nothing here, or it belongs to a campaign you are not a member of.":
        "여기에는 아무것도 없거나, 당신이 속하지 않은 캠페인의 것입니다.",
    "Language": "언어",
    "not signed": "미서명",
    "Legal": "법률",
    "%(n)s finding open": ["미해결 지적 %(n)s건"],
    "Approval": "승인",
    "not approved": "미승인",
    "Stale: a newer version exists": "이전 버전: 더 새 버전이 있습니다",
    "Campaigns": "캠페인",
    "No differences.": "차이가 없습니다.",
    "North Korean conversion": "북한 문화어 변환",
    "South Korean conversion": "남한 표준어 변환",
    "Text (no conversion: drafted in the reader's standard)": "본문 (변환 없음: 읽는 사람의 표준어로 작성됨)",
    "%(n)s edit": ["수정 %(n)s곳"],
    "hover a change for the rule": "바뀐 곳에 마우스를 올리면 규칙과 이유가 보입니다",
    "Converted text as the reader gets it": "읽는 사람이 받는 변환된 본문",
    "Review": "검토",
    "%(e)s errors · %(w)s warnings · %(i)s info": "오류 %(e)s · 경고 %(w)s · 참고 %(i)s",
    "fix:": "고치기:",
    "No findings.": "지적 사항이 없습니다.",
    "Spoken duration": "낭독 시간",
    "per pass at %(r)s syllables/s": "1회 (초당 %(r)s음절 기준)",
    "about %(l)s s per loop": "반복 1주기 약 %(l)s초",
    "Leaflet preview": "전단 미리보기",
    "leaflet front": "전단 앞면",
    "leaflet back": "전단 뒷면",
    "Drawn from the real PDF. Until legal has signed, review errors stamp it NOT APPROVED, as a forced print "
    "would be; after legal's sign-off it is drawn as the product will be.":
        "실제 PDF로 그린 미리보기입니다. 법률 검토 서명 전에는 검토 오류가 있으면 NOT APPROVED 도장이 찍히고, "
        "서명 뒤에는 실제 제작물과 같이 그려집니다.",
    "fixed": "고쳐짐",
    "accepted": "수용됨",
    "Messages": "메시지",
    "Products": "제작물",
    "Disseminations": "살포·송출 기록",
    "Ledger": "감사 기록",
    "Your roles here:": "이 캠페인에서의 역할:",
    "Product": "제작물",
    "Message": "메시지",
    "Built": "제작",
    "Provenance": "출처 서명",
    "Download": "내려받기",
    "No products yet.": "아직 제작물이 없습니다.",
    "Approved by %(who)s. Products can be built from this version.":
        "%(who)s 님이 승인했습니다. 이 버전으로 제작물을 만들 수 있습니다.",
    "Go to products": "제작물로 가기",
    "You approve this exact version (its SHA-256 below) for production. An edit afterwards voids the approval.":
        "바로 이 버전(아래 SHA-256)을 제작용으로 승인합니다. 이후 수정하면 승인은 무효가 됩니다.",
    "Approve this version": "이 버전 승인",
    "Legal resolutions": "법률 검토 결정",
    "The version": "해당 버전",
    "Sponsor": "후원기관",
    "meari workbench": "메아리 작업대",
    "Log out": "로그아웃",
    "meari: truthful appeals, attributed to their real sponsor, within international humanitarian law.":
        "메아리: 진실한 호소, 실제 후원기관 명시, 국제인도법 준수.",
    "New message": "새 메시지",
    "Latest": "최신",
    "State": "상태",
    "approved": "승인됨",
    "signed, awaiting approval": "서명 완료, 승인 대기",
    "in review": "검토 중",
    "No messages yet.": "아직 메시지가 없습니다.",
    "Audiences": "대상",
    "No audiences yet.": "아직 대상이 없습니다.",
    "Name": "이름",
    "Description": "설명",
    "Add audience": "대상 추가",
    "Import a message file": "메시지 파일 가져오기",
    "Message YAML (at most 256 kB)": "메시지 YAML (최대 256 kB)",
    "Import": "가져오기",
    "Your campaigns": "내 캠페인",
    "Campaign": "캠페인",
    "Your roles": "내 역할",
    "You are not a member of any campaign yet. An admin adds you with "
    "`meari users add NAME --role ROLE --campaign SLUG`.":
        "아직 어느 캠페인에도 속해 있지 않습니다. 관리자가 `meari users add NAME --role ROLE --campaign SLUG`로 "
        "추가합니다.",
    "Record what went out": "살포·송출 기록하기",
    "Quantity": "수량",
    "balloon, drone, hand, loudspeaker": "풍선, 드론, 직접 전달, 확성기",
    "Time (UTC)": "시각 (UTC)",
    "Latitude": "위도",
    "Longitude": "경도",
    "Release height (m)": "살포 고도 (m)",
    "Wind speed (m/s)": "풍속 (m/s)",
    "Wind from (°)": "풍향 (°, 불어오는 쪽)",
    "Drift plan used": "사용한 표류 계획",
    "Release notes": "살포 메모",
    "Notes": "메모",
    "Record": "기록",
    "No products yet: build one from an approved version first.": "제작물이 없습니다: 먼저 승인된 버전으로 만드십시오.",
    "Recorded": "기록된 살포·송출",
    "Place": "장소",
    "Release": "살포 조건",
    "Drift plan": "표류 계획",
    "By": "기록자",
    "Nothing recorded yet.": "아직 기록이 없습니다.",
    "Edit": "편집",
    "from version %(n)s": "버전 %(n)s에서",
    "Save as a new version": "새 버전으로 저장",
    "Every save is a new, immutable version; an approved version stays as it was, and the new one needs the "
    "sign-offs again.":
        "저장할 때마다 바꿀 수 없는 새 버전이 생깁니다. "
        "승인된 버전은 그대로 남고, 새 버전은 서명을 다시 받아야 합니다.",
    "Type: the conversion and the review appear here.": "입력하면 변환과 검토 결과가 여기에 나타납니다.",
    "The leaflet preview follows when you pause typing.": "입력을 멈추면 전단 미리보기가 나타납니다.",
    "No leaflet preview for a loudspeaker message.": "확성기 메시지에는 전단 미리보기가 없습니다.",
    "Every state change, in a hash chain: `meari audit verify` proves no entry was edited, removed or reordered.":
        "모든 상태 변경이 해시 사슬로 남습니다. `meari audit verify`로 수정·삭제·순서 변경이 없었음을 확인합니다.",
    "Who": "누가",
    "Action": "작업",
    "Details": "내용",
    "Hash": "해시",
    "No entries.": "기록이 없습니다.",
    "Log in": "로그인",
    "User name": "사용자 이름",
    "Password": "비밀번호",
    "Edit (saves a new version)": "편집 (새 버전으로 저장)",
    "Versions": "버전",
    "Version": "버전",
    "Author": "작성자",
    "Saved": "저장 시각",
    "superseded": "대체됨",
    "Compare versions": "버전 비교",
    "from": "이전",
    "to": "이후",
    "Show the differences": "차이 보기",
    "Build": "제작",
    "Products are built only from the latest version of a message, once it is approved. Each file is stored with "
    "its SHA-256 and provenance signature.":
        "제작물은 승인된 최신 버전으로만 만듭니다. 각 파일은 SHA-256과 출처 서명과 함께 보관됩니다.",
    "Sheet": "인쇄 용지",
    "Release point (lat,lon)": "살포 지점 (위도,경도)",
    "or aim point (lat,lon)": "또는 목표 지점 (위도,경도)",
    "or target area (GeoJSON, at most 5 MB)": "또는 목표 지역 (GeoJSON, 최대 5 MB)",
    "Winds (height:speed@from, …)": "바람 (고도:속도@풍향, …)",
    "Loudspeaker level at 1 m (dB)": "1 m 거리 확성기 음압 (dB)",
    "Background noise": "배경 소음",
    "Recorded voice (WAV/FLAC/OGG/MP3, at most 25 MB; default: the synthetic draft voice)":
        "녹음한 목소리 (WAV/FLAC/OGG/MP3, 최대 25 MB; 없으면 합성 초안 음성)",
    "or a noise recording (WAV/FLAC/OGG/MP3, at most 25 MB)": "또는 소음 녹음 (WAV/FLAC/OGG/MP3, 최대 25 MB)",
    "its level at the listener (dBA)": "듣는 위치에서의 소음 크기 (dBA)",
    "Build %(label)s": "%(label)s 만들기",
    "appeal leaflet": "호소 전단",
    "safe-conduct pass": "안전 통행증",
    "instructions leaflet": "투항 안내 전단",
    "imposed print sheet": "인쇄용 판짜기 용지",
    "broadcast audio": "방송 음성",
    "loudspeaker range plan": "확성기 가청 거리 계획",
    "leaflet drift plan": "전단 표류 계획",
    "error": "오류",
    "warning": "경고",
    "info": "참고",
    "Built products": "만든 제작물",
    "Sign-off": "서명",
    "1. Language (linguist)": "1. 언어 (언어 검토자)",
    "Signed by %(who)s.": "%(who)s 님이 서명했습니다.",
    "Read the text and its conversion below. Sign when the Korean is right for the audience.":
        "아래 본문과 변환을 읽으십시오. 대상에게 맞는 조선말일 때 서명하십시오.",
    "Sign the language": "언어 서명",
    "2. Legal review (IHL and truthfulness findings)": "2. 법률 검토 (국제인도법·진실성 지적)",
    "Finding": "지적",
    "Resolution": "결정",
    "reported on v%(n)s, no longer in this version": "v%(n)s에서 지적됨, 이 버전에는 없음",
    "Mark fixed": "고쳐짐으로 표시",
    "Reason for accepting": "수용 사유",
    "Accept with this reason": "이 사유로 수용",
    "No IHL or truthfulness findings on this version.": "이 버전에는 국제인도법·진실성 지적이 없습니다.",
    "Sign the legal review": "법률 검토 서명",
    "Edit (new version)": "편집 (새 버전)",
    "Download YAML": "YAML 내려받기",
    "Changes from v%(p)s to v%(n)s": "v%(p)s → v%(n)s 변경 내용",
    "Products of this version": "이 버전의 제작물",
    "Too many failed logins. Try again in %(n)d minute.":
        ["로그인 실패가 너무 많습니다. %(n)d분 뒤에 다시 시도하십시오."],
    "Wrong user name or password.": "사용자 이름 또는 비밀번호가 틀립니다.",
    "Form expired": "양식이 만료되었습니다",
    "The form was not accepted (security token missing or expired). Reload the page and try again.":
        "양식을 받아들이지 않았습니다 (보안 토큰이 없거나 만료됨). 페이지를 새로 고친 뒤 다시 시도하십시오.",
    "Not accepted": "받아들일 수 없음",
    "version %(n)d was saved while you edited; reload to edit the latest":
        "편집하는 동안 버전 %(n)d이(가) 저장되었습니다. 새로 고쳐 최신 버전을 편집하십시오",
    "Built %(kind)s (SHA-256 %(sha)s…).": "%(kind)s 제작 완료 (SHA-256 %(sha)s…).",
    "Dissemination recorded.": "살포·송출을 기록했습니다.",
}


def fill(po_path: str) -> list[str]:
    """Write msgstr for every msgid of ``po_path`` found in KO; return the msgids left untranslated."""
    import re

    text = open(po_path, encoding="utf-8").read()
    blocks = text.split("\n\n")
    missing = []

    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = []
    for b in blocks:
        m = re.search(r'^msgid ((?:".*"\n?)+)', b, re.M)
        if not m or b.startswith('msgid ""\nmsgstr ""\n"Project') or 'msgid ""\nmsgstr ""\n"' in b[:30]:
            out.append(b)
            continue
        mid = "".join(x[1:-1] for x in m.group(1).strip().split("\n")).replace('\\"', '"')
        if not mid:
            out.append(b)
            continue
        tr = KO.get(mid)
        if tr is None:
            missing.append(mid)
            out.append(b)
            continue
        head = b[: b.index("msgstr")]
        # an entry makemessages guessed from an older msgid is marked fuzzy (and ignored by msgfmt)
        head = re.sub(r"^#, fuzzy, (.*)$", r"#, \1", head, flags=re.M)
        head = re.sub(r"^#, fuzzy\n", "", head, flags=re.M)
        head = re.sub(r"^#\| .*\n", "", head, flags=re.M)
        if isinstance(tr, list):
            out.append(head + f"msgstr[0] {q(tr[0])}")
        else:
            out.append(head + f"msgstr {q(tr)}")
    open(po_path, "w", encoding="utf-8").write("\n\n".join(out).rstrip("\n") + "\n")
    return missing


if __name__ == "__main__":
    import sys
    from pathlib import Path

    left = fill(str(Path(__file__).parent / "locale" / "ko" / "LC_MESSAGES" / "django.po"))
    for m in left:
        print("untranslated:", m, file=sys.stderr)
    sys.exit(1 if left else 0)
