"""Readings of names that reached English through another script (docs/transliteration.md).

One module per source script: `korean_cyrillic` (Hangul → Russian Cyrillic),
`russian` (Cyrillic → Latin systems), `mandarin` (Pinyin, Wade–Giles),
`japanese` (on'yomi in Hepburn), `unihan` (the vendored Unihan extract) and
`variants.script_variants`, which puts them together for one entity.
"""
