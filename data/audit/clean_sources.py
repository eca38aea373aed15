"""Remove junk sources and name Wikipedia mirrors by their original (issue 13 item 2)."""
import json, re, urllib.parse, yaml
JUNK = re.compile(r"\.7z\b|\.zim\b|/File:|commons\.wikimedia\.org/wiki/Category:|/tag/|/category/"
                  r"|[?&]search=|stringtranslate|frwiki\.wiki", re.I)
MIRROR = re.compile(r"(review\.clateway\.com/wiki/view_html\.php\?.*?q=([^&]+))|(hmong\.in\.th/wiki/([^?#\s]+))"
                    r"|(sagapedia\.com/en/([^?#\s]+))", re.I)
def norm(t): return re.sub(r"[^a-z0-9]", "", urllib.parse.unquote(t).replace('_', ' ').lower())
def quote(s): return json.dumps(s, ensure_ascii=False) if "'" in s else "'" + s + "'"
lines = open('data/aliases.yaml', encoding='utf-8').read().split('\n')
log = []
cur = None
names = set()
ents = {e['id']: e for e in yaml.safe_load('\n'.join(lines))['entities']}
for i, l in enumerate(lines):
    if l.startswith('- id: '):
        cur = l[6:].strip(); e = ents[cur]
        names = {norm(x) for x in [e['name'], *e.get('aliases', [])]}
    if l.startswith('  sources: [') and cur:
        srcs = yaml.safe_load(l.strip())['sources']
        out = []
        for s in srcs:
            url = s.split(' (')[0]
            if JUNK.search(url):
                log.append((cur, 'removed (dump, file, tag/category/search page or translation spam)', s)); continue
            m = MIRROR.search(url)
            if m:
                title = next(g for g in (m.group(2), m.group(4), m.group(6)) if g)
                if norm(title) not in names:
                    log.append((cur, 'removed (a mirror of a page about another subject)', s)); continue
                if not s.startswith('https://en.wikipedia.org'):
                    t = urllib.parse.unquote(title).replace(' ', '_')
                    new = f"https://en.wikipedia.org/wiki/{t} (read as copy {s})"
                    log.append((cur, 'named by its original (a scraper mirror of that article)', s)); s = new
            out.append(s)
        if out != srcs:
            lines[i] = '  sources: [' + ', '.join(quote(s) for s in out) + ']'
open('data/aliases.yaml', 'w', encoding='utf-8').write('\n'.join(lines))
with open('data/audit/source-cleanup.tsv', 'w', encoding='utf-8') as f:
    f.write("id\taction\tsource_as_it_was\n")
    for row in log: f.write("\t".join(row) + "\n")
print(len(log))
