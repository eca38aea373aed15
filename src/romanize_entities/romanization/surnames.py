"""Surname tables: customary spellings and the variants readers meet.

Sources:
- Wikipedia, "Korean name", § Family names (table of Hangul, Hanja, Revised, MR
  and common spellings for 김 이/리 박 최 정), read via
  http://www.liquisearch.com/korean_name/family_names and
  https://wiki.niidae.com/index.php?title=Korean_name (mirrors).
- Simple English Wikipedia, "Lee (Korean surname)": variants I, Yi, Ri, Rhee, Rhie, Reeh.
- K. Monk, Onomastikon, "Korean Surnames" (http://tekeli.li/onomastikon/Orient/Korea/Surnames.html):
  attested English spellings (Ahn, Baik, Chweh, Rheem, Ryoo, Sinn, Suh, Youn ...).
- "Romanization of Korean Family Names" (lgzsoldos.blogspot.com, 2009):
  Kwon/Gwon/Kweon, Jang/Chang, Jeong/Chung/Jung/Joung/Cheong, Yu/Yoo/You.
Variants that the romanization systems themselves produce (Gim, Bak, Ch'oe,
Chŏng ...) are not listed here: `name_key` derives them from the rules.
"""

from __future__ import annotations

from types import MappingProxyType

# Customary spelling for romanize(..., surnames="common").
COMMON_SURNAMES: MappingProxyType[str, str] = MappingProxyType({
    "김": "Kim", "이": "Lee", "리": "Ri", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang",
    "조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim", "림": "Lim", "한": "Han", "오": "Oh",
    "서": "Seo", "신": "Shin", "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song",
    "류": "Ryu", "유": "Yoo", "홍": "Hong", "전": "Jeon", "고": "Ko", "문": "Moon", "양": "Yang",
    "량": "Ryang",
    "손": "Son", "배": "Bae", "백": "Baek", "허": "Heo", "노": "Noh", "로": "Ro", "남": "Nam",
    "심": "Shim", "하": "Ha", "곽": "Kwak", "성": "Sung", "차": "Cha", "주": "Joo", "우": "Woo",
    "구": "Koo", "민": "Min", "진": "Jin", "지": "Ji", "엄": "Um", "채": "Chae", "원": "Won",
    "천": "Chun", "방": "Bang", "공": "Kong", "현": "Hyun", "함": "Ham", "변": "Byun",
    "염": "Yeom", "여": "Yeo", "추": "Choo", "도": "Do", "석": "Seok", "설": "Seol", "길": "Gil",
    "표": "Pyo", "명": "Myung", "기": "Ki", "반": "Ban", "왕": "Wang", "금": "Keum", "옥": "Ok",
    "육": "Yook", "인": "In", "맹": "Maeng", "탁": "Tak", "국": "Kook", "은": "Eun",
    "편": "Pyun", "용": "Yong", "봉": "Bong", "태": "Tae", "두": "Doo", "나": "Na", "라": "Ra",
    "예": "Ye",
    "남궁": "Namgoong", "황보": "Hwangbo", "제갈": "Jegal", "선우": "Sunwoo", "독고": "Dokgo",
    "사공": "Sakong",
})

# A Hangul 리/로/량 is the North Korean spelling (the South writes 이/노/양):
# the customary English form keeps the r (Ri Su-yong, Ro Tu-chol, Ryang Man-gil,
# as KCNA prints them), and name_variants adds the South's customary form too.
SOUTH_SPELLING: MappingProxyType[str, str] = MappingProxyType({"리": "이", "로": "노", "량": "양"})

# Spellings of one surname that the letter-folding of name_key cannot reach on its
# own (dropped or added letters, not just vowel/consonant quality). Each maps to
# the Hangul surname(s) it can stand for; the first is the most likely. "Ye" is
# 예 (Ye Ji-won 예지원) or a rare spelling of 이: name_key folds 예 as a surname
# to the key of 이 (`keys._SURNAME_KEY_FOLD`) so that both are retrieved.
SURNAME_VARIANTS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType({
    "lee": ("이", "리"), "yi": ("이", "리"), "rhee": ("이", "리"), "rhie": ("이", "리"),
    "reeh": ("이", "리"), "ri": ("리", "이"), "li": ("리", "이"), "i": ("이",), "yie": ("이",),
    "ee": ("이",), "ye": ("예", "이"),
    "park": ("박",), "pak": ("박",), "bak": ("박",), "bark": ("박",),
    "choi": ("최",), "choe": ("최",), "chwe": ("최",), "chweh": ("최",), "choy": ("최",),
    "chue": ("최",),
    "roh": ("노", "로"), "noh": ("노",), "no": ("노",), "ro": ("로", "노"),
    "ryu": ("류", "유"), "yu": ("유", "류"), "yoo": ("유", "류"), "you": ("유",), "ryoo": ("류",),
    "lyu": ("류",), "rhyu": ("류",),
    "rim": ("림", "임"), "lim": ("임", "림"), "im": ("임",), "yim": ("임",), "rheem": ("임",),
    "suh": ("서",), "seo": ("서",), "so": ("서", "소"), "sŏ": ("서",),
    "oh": ("오",), "o": ("오",),
    "ahn": ("안",), "an": ("안",),
    "baik": ("백",), "paik": ("백",), "baek": ("백",), "paek": ("백",),
    "shin": ("신",), "sinn": ("신",), "sin": ("신",),
    "joe": ("조",),
    "ra": ("라", "나"), "na": ("나", "라"), "la": ("라", "나"),
    "ryang": ("량", "양"), "yang": ("양", "량"),
    "ryom": ("렴", "염"), "yeom": ("염", "렴"), "yom": ("염", "렴"),
    "ryo": ("려", "여"), "yeo": ("여", "려"), "yo": ("여", "려"),
    "ryong": ("룡", "용"), "yong": ("용", "룡"),
    "ryuk": ("륙", "육"), "yook": ("육", "륙"), "yuk": ("육", "륙"),
    # popular spellings with an added h or w (Hur Jin-ho, Hahn Myung-sook, Whang In-ho)
    "hur": ("허",), "huh": ("허",), "hahn": ("한",), "hahm": ("함",), "hah": ("하",),
    "whang": ("황",), "pyun": ("변",), "pyeon": ("변",), "byun": ("변",),
    "namkoong": ("남궁",), "namgoong": ("남궁",), "namgung": ("남궁",), "namkung": ("남궁",),
})
