#!/usr/bin/env python3
"""Score the metadata of `sayso read` output against Readability's
expected-metadata.json files.

usage: scripts/meta-score.py GOLD_DIR PRED.jsonl [--errors]
  GOLD_DIR: one folder per page with expected-metadata.json (title, byline,
            publishedTime); PRED.jsonl: `sayso read` output, ids as
            body-score.py matches them (the folder name).
Only pages whose gold value is non-empty count for a field.
  title: right when equal after lower-casing and collapsing spaces, either
         whole or with the site's name (a segment after the last or before
         the first " | ", " - ", " — ", " · ", " :: " separator) trimmed from
         either side;
  byline: right when the predicted names' words, lower-cased, without "by",
         "and" (in a few languages), dates and times, are the gold byline's words, or a run of them covering at
         least half of its words (gold bylines often carry a role or a date);
  date:  right when the YYYY-MM-DD date equals the date part of
         publishedTime as written (its own time zone)."""
import json, pathlib, re, sys

SEPS = re.compile(r'\s+(?:\||-|–|—|·|::|»|/|:)\s+')

def norm(s):
    return ' '.join(s.lower().split())

def title_forms(t):
    t = norm(t)
    forms = {t}
    parts = SEPS.split(t)
    if len(parts) > 1:
        forms.add(norm(SEPS.split(t, maxsplit=1)[1]) if len(SEPS.split(t, maxsplit=1)) > 1 else t)
        forms.add(norm(t[:[m for m in SEPS.finditer(t)][-1].start()]))
    return forms

STOP = {'by', 'par', 'von', 'por', 'written', 'and', 'et', 'und', 'y', 'avec', 'at', 'on', 'am', 'pm',
        'updated', 'published', 'posted'}
MONTHS = re.compile(r'^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*$')

def words(s):
    # a byline's dates and joining words are not names
    return [w for w in re.findall(r'\w+', s.lower())
            if w not in STOP and not MONTHS.match(w) and not any(c.isdigit() for c in w)]

def byline_ok(gold, pred):
    g, p = words(gold), words(pred)
    if not p: return False
    if g == p: return True
    for i in range(len(g) - len(p) + 1):
        if g[i:i + len(p)] == p and 2 * len(p) >= len(g): return True
    return sorted(g) == sorted(p)

def main():
    gold_dir, pred_path = pathlib.Path(sys.argv[1]), sys.argv[2]
    errors = '--errors' in sys.argv
    pred = {}
    for line in open(pred_path, encoding='utf-8'):
        if line.strip():
            o = json.loads(line)
            pid = str(o.get('id') or '')
            p = pathlib.PurePath(pid)
            pred[pid if (gold_dir / pid).is_dir() else p.parent.name or p.stem] = o
    tally = {'title': [0, 0], 'byline': [0, 0], 'date': [0, 0]}
    for f in sorted(gold_dir.glob('*/expected-metadata.json')):
        page = f.parent.name
        g = json.loads(f.read_text(encoding='utf-8'))
        o = pred.get(page, {})
        checks = []
        if g.get('title'):
            checks.append(('title', g['title'], o.get('title') or '',
                           bool(title_forms(g['title']) & title_forms(o.get('title') or ''))))
        if g.get('byline'):
            checks.append(('byline', g['byline'], o.get('authors') or '', byline_ok(g['byline'], o.get('authors') or '')))
        if g.get('publishedTime'):
            checks.append(('date', g['publishedTime'], o.get('date') or '', (o.get('date') or '') == g['publishedTime'][:10]))
        for field, gv, pv, ok in checks:
            tally[field][0] += ok
            tally[field][1] += 1
            if errors and not ok:
                print(f'{page}\t{field}\tgold {gv!r}\tpred {pv!r}')
    print(json.dumps({k: {'right': r, 'pages': n, 'share': round(r / n, 4) if n else None}
                      for k, (r, n) in tally.items()}))

if __name__ == '__main__':
    main()
