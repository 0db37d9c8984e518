#!/usr/bin/env python3
"""What a web copy's own text makes recoverable: the best score any pipeline
could reach on a folder of raw pages against their gold (issue 18).

usage (from the repo root):
  python3 scripts/web-ceiling.py [--raw DIR] [--gold DIR] [--pred DIR | --build]
                                 [--json OUT.json] [--shared DIR]

Defaults: --raw ../shared/corpus/web-pages-dev/raw and --gold
../shared/corpus/web-pages-dev/gold.  --pred DIR (the build's tei/ folder)
adds our scores and lists the misses that are ours (a recoverable gold value
we do not produce); --build first builds --raw with dist/pipeline/cli/main.js
(run `npm run -s compile` before) into a temporary folder and uses that.
Sanity check (pages rendered from the gold itself), whose ceiling is about
1.0 on every row (1.0000 title, source, dateline; 0.9997 notes, 0.9998 blocks):
  python3 scripts/web-ceiling.py --raw ../shared/corpus/dev-web/raw --gold ../shared/corpus/dev/gold

The gold values come from the scorer's own extraction (../shared/tools/score.py,
imported at run time, never copied).  A gold value is RECOVERABLE when its text
occurs in the raw page, both sides normalised as the scorer normalises (NFC,
white space collapsed), with "[Page N]" taken out of the page (page breaks are
never block or note text), and allowed anywhere in the page's copy: a footnote
marker (1-3 digits glued to the character before), bullets after white space
("- ", "• ", "• • ": list decoration a pipeline leaves out), a space after a
hyphen or en dash (a line broken there).  Blocks, the source note and the notes
are looked for longest first, each occurrence of the page serving one value
(a repeated note, same n and text, is listed once); title, dateline and
signatures are recoverable when their block is.  A note also needs its anchor
(the scorer's last 24 characters of text before it) followed by a marker in the
page.  Whether the page's text can be cut at the right places is not asked:
the ceiling is an upper bound.

Ceiling per feature (target: issue 18's target on web-pages-dev), aggregated
as score.py aggregates it:
  title, source, dateline, closer  share of documents whose gold value is
                                   recoverable (accuracy; closer: all its
                                   signatures; a document without a gold title
                                   scores 0, as in score.py)
  notes, blocks                    F1 of a prediction that has exactly the
                                   recoverable gold values (precision 1)
  blocks*                          the same, the gold without the datelines and
                                   signatures missing from the page (the
                                   issue's one excuse)
Every unrecoverable value gets a reason class, the first of these (in order)
whose folding makes it found: gold spacing inside brackets or before
punctuation ("( Caffery )", "Taipei , April 11"), quote/apostrophe form, dash
form, case differs, several of these, list label missing from page ("1. " of a
numbered paragraph the page has without it); otherwise "other" (the page has
an altered copy: a stretch around the longest common run matches it with a
difflib ratio of at least 0.75: characters the page lost or changed) or
"missing from page".  A note whose text is there gets "anchor: <reason>" when
its anchor is not, "marker missing from page" when no marker follows it.
"""

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = re.compile(r'\[Page [^\]\n]{1,40}\]')
MARKER = r'(?:\d{1,3})?'                          # a footnote marker glued to a character


def glued(m):
    """A page break inside a word (trou[Page 557]bled)."""
    s, a, b = m.string, m.start(), m.end()
    return 0 < a and b < len(s) and s[a - 1].isalnum() and s[b].isalnum()


LABEL = re.compile(r'^(?:\d{1,3}|[a-z]|[ivxl]{1,5})[.)] ')
SPACE = r'\s+(?:[\u2022\u00b7*\u2013-]\s+)*'     # a bullet may follow (list decoration)
HYPHEN = r'\s?'                                   # a line broken after a hyphen

QUOTES = str.maketrans({'\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'",
                        '`': "'", '\u00b4': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"',
                        '\u201f': '"', '\u2033': '"', '\u00ab': '"', '\u00bb': '"'})
DASHES = str.maketrans({c: '-' for c in '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d'})


def spacing(s):
    s = re.sub(r'([(\[]) ', r'\1', s)
    return re.sub(r' ([)\],;:]|\.(?!\s*\.))', r'\1', s)


FOLDS = [('gold spacing inside brackets or before punctuation', spacing),
         ('quote/apostrophe form', lambda s: s.translate(QUOTES)),
         ('dash form', lambda s: s.translate(DASHES)),
         ('case differs', lambda s: s.casefold())]


def all_folds(s):
    for _, f in FOLDS:
        s = f(s)
    return s


class Page:
    """The raw page's text, normalised; a found value's occurrence is masked so
    that it serves no other value (multiset matching)."""

    def __init__(self, text, norm):
        self.orig = norm(PAGE.sub(lambda m: '' if glued(m) else ' ', text))
        self.text = self.orig

    def fresh(self):
        """The same page with nothing masked."""
        other = Page.__new__(Page)
        other.orig = other.text = self.orig
        return other

    @staticmethod
    def pattern(value, tail=''):
        parts = []
        for ch in value:
            parts.append(SPACE if ch == ' ' else re.escape(ch) + ('' if ch.isspace() else MARKER)
                         + (HYPHEN if ch in '-\u2013' else ''))
        return re.compile(''.join(parts) + tail)

    def find(self, value, text=None, tail=''):
        """(start, end) of value in text (default: the unmasked rest), or None."""
        text = self.text if text is None else text
        if not tail:
            i = text.find(value)
            if i >= 0:
                return i, i + len(value)
        m = self.pattern(value, tail).search(text) if value else None
        return m.span() if m else None

    def has(self, value, text=None, tail=''):
        return self.find(value, text, tail) is not None

    def take(self, value):
        """Find value in the unmasked rest and mask it; True when found."""
        span = self.find(value)
        if span is None:
            return False
        self.mask(span)
        return True

    def mask(self, span):
        a, b = span
        self.text = self.text[:a] + '\0' * (b - a) + self.text[b:]

    def reason(self, value, labels=True):
        """Reason class of an unrecoverable value (its nearest occurrence is masked
        when a length-keeping fold finds it, so that it serves no shorter value)."""
        for name, fold in FOLDS:
            page = fold(self.text)
            span = self.find(fold(value), page)
            if span is not None:
                if len(page) == len(self.text):
                    self.mask(span)
                return name
        page = all_folds(self.text)
        span = self.find(all_folds(value), page)
        if span is not None:
            if len(page) == len(self.text):
                self.mask(span)
            return 'several of these'
        a = all_folds(value)
        unlabelled = LABEL.sub('', a, count=1)
        if labels and unlabelled != a and self.has(unlabelled, page):
            return 'list label missing from page'
        m = difflib.SequenceMatcher(None, a, page, autojunk=False).find_longest_match(0, len(a), 0, len(page))
        lo, hi = max(0, m.b - m.a - 10), min(len(page), m.b - m.a + len(a) + 10)
        sm = difflib.SequenceMatcher(None, a, page[lo:hi], autojunk=False)
        if not a or m.size < min(8, len(a)) or sm.ratio() < 0.75:
            return 'missing from page'
        if len(page) == len(self.text):    # the page's altered copy serves no other value
            for blk in sm.get_matching_blocks():
                if blk.size >= 3:
                    self.mask((lo + blk.b, lo + blk.b + blk.size))
        return 'other'


def load_shared(shared):
    tools = os.path.join(shared, 'tools')
    if not os.path.isfile(os.path.join(tools, 'score.py')):
        sys.stderr.write('web-ceiling: %s not found: this script needs ../shared (the corpora and '
                         'score.py) beside the repo, or --shared DIR\n' % os.path.join(tools, 'score.py'))
        sys.exit(2)
    sys.path.insert(0, tools)
    import score  # noqa: E402  (the scorer's own extraction, read at run time)
    return score


def ceiling_doc(page, g):
    """{feature: [(value, recoverable, reason)]} for one document's gold.
    Blocks, the source note's text and the notes' texts are looked for longest
    first, each occurrence serving one value; title, dateline and signatures are
    recoverable when the block with their text is."""
    pool = [('blocks', i, b) for i, b in enumerate(g['blocks'])]
    if g['source'] is not None:
        pool.append(('source', 0, g['source']))
    first = {}                          # a repeated note (same n and text) is listed once
    for i, nt in enumerate(g['notes']):
        first.setdefault(nt[:2], i)
    pool += [('notes', i, nt[1]) for i, nt in enumerate(g['notes']) if first[nt[:2]] == i]
    pool.sort(key=lambda x: (-len(x[2]), x[0], x[1]))
    found = {}
    for kind, i, text in pool:
        ok = page.take(text)
        found[(kind, i)] = (ok, None if ok else page.reason(text))
    out = {'blocks': [(b, *found[('blocks', i)]) for i, b in enumerate(g['blocks'])]}
    if g['source'] is not None:
        out['source'] = [(g['source'], *found[('source', 0)])]
    notes = []
    for i, nt in enumerate(g['notes']):
        ok, why = found[('notes', first[nt[:2]])]
        anchor = nt[2]
        if ok and anchor and not page.has(anchor, page.orig):
            ok, why = False, 'anchor: ' + page.fresh().reason(anchor, labels=False)
        elif ok and anchor and not page.has(anchor, page.orig, tail=r'\s?\d'):
            ok, why = False, 'marker missing from page'
        notes.append((nt, ok, why))
    out['notes'] = notes
    left = Counter(b for b, ok, _ in out['blocks'] if ok)
    why_of = {b: why for b, ok, why in out['blocks'] if not ok}

    def via_blocks(feat, value):
        if value is None:
            ok, why = False, 'no gold value'
        elif left[value] > 0:
            left[value] -= 1
            ok, why = True, None
        else:
            ok, why = False, why_of.get(value) or page.reason(value)
        out.setdefault(feat, []).append((value, ok, why))
    via_blocks('title', g['title'])
    if g['dateline'] is not None:
        via_blocks('dateline', g['dateline'])
    for s in g['signed']:
        via_blocks('closer', s)
    if 'closer' in out:                 # score.py: all signed texts of a document equal
        sig = out['closer']
        out['closer'] = [([v for v, _, _ in sig], all(ok for _, ok, _ in sig),
                          next((why for _, ok, why in sig if not ok), None))]
    return out


def our_doc(score, pred_dir, vol, did):
    path = os.path.join(pred_dir, vol, did + '.xml')
    div = score.load_div(path) if os.path.exists(path) else None
    return score.extract(div) if div is not None else None


score = None                                      # ../shared/tools/score.py, set by main()
FEATURES = [('title', 0.95), ('source', 0.95), ('notes', 0.95), ('blocks', 0.90),
            ('dateline', None), ('closer', None)]


def f1(tp, gold, pred):
    return score.prf(tp, gold, pred)[2]


def main(argv=None):
    global score
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split('\n', 2)[2])
    ap.add_argument('--shared', default=os.path.join(ROOT, '..', 'shared'))
    ap.add_argument('--raw', help='raw pages, <volume>/<id>.txt')
    ap.add_argument('--gold', help='gold, <volume>/<id>.xml')
    ap.add_argument('--pred', help="our build's tei/ folder: add our scores and our misses")
    ap.add_argument('--build', action='store_true', help='build --raw first (dist/) and use that as --pred')
    ap.add_argument('--json', help='write the per-document detail here')
    a = ap.parse_args(argv)
    score = load_shared(a.shared)
    ft = score.ft
    corpus = os.path.join(a.shared, 'corpus', 'web-pages-dev')
    raw_dir = a.raw or os.path.join(corpus, 'raw')
    gold_dir = a.gold or os.path.join(corpus, 'gold')
    for d in (raw_dir, gold_dir):
        if not os.path.isdir(d):
            sys.stderr.write('web-ceiling: no folder %s\n' % d)
            sys.exit(2)
    pred_dir, tmp = a.pred, None
    if a.build:
        tmp = tempfile.TemporaryDirectory(prefix='web-ceiling-')
        cli = os.path.join(ROOT, 'dist', 'pipeline', 'cli', 'main.js')
        if not os.path.isfile(cli):
            sys.stderr.write('web-ceiling: %s not found: run `npm run -s compile` first\n' % cli)
            sys.exit(2)
        rc = subprocess.run(['node', cli, 'build', '--input', raw_dir, '--output', tmp.name, '--quiet'],
                            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        if rc != 0:
            sys.stderr.write('web-ceiling: the build exited with status %d; scoring what it wrote\n' % rc)
        pred_dir = os.path.join(tmp.name, 'tei')
    run(score, ft, raw_dir, gold_dir, pred_dir, a.json)
    if tmp:
        tmp.cleanup()


def run(score, ft, raw_dir, gold_dir, pred_dir, json_out):
    agg = {f: Counter() for f, _ in FEATURES}
    reasons = {f: Counter() for f, _ in FEATURES}
    docs, ours = [], []
    for vol, ids in score.list_gold(gold_dir):
        for did in ids:
            g = score.extract(score.load_div(os.path.join(gold_dir, vol, did + '.xml')))
            rp = os.path.join(raw_dir, vol, did + '.txt')
            text = open(rp, encoding='utf-8', errors='replace').read() if os.path.exists(rp) else ''
            page = Page(text, ft.norm)
            c = ceiling_doc(page, g)
            p = our_doc(score, pred_dir, vol, did) if pred_dir else None
            detail = {'volume': vol, 'id': did, 'features': {}}
            for feat, _ in FEATURES:
                items = c.get(feat, [])
                rec = sum(1 for _, ok, _ in items if ok)
                agg[feat]['gold'] += len(items)
                agg[feat]['rec'] += rec
                for _, ok, why in items:
                    if not ok:
                        reasons[feat][why] += 1
                d = {'gold': len(items), 'recoverable': rec,
                     'unrecoverable': [{'value': v if feat != 'notes' else list(v), 'reason': why}
                                       for v, ok, why in items if not ok]}
                if feat == 'blocks':        # the excuse: datelines and signatures the page leaves out
                    left_out = {g['dateline']} | set(g['signed'])
                    agg[feat]['excused'] += sum(1 for v, ok, why in items
                                                if not ok and why == 'missing from page' and v in left_out)
                if pred_dir:
                    d.update(compare_ours(feat, items, g, p, agg[feat], ours, vol, did))
                detail['features'][feat] = d
            docs.append(detail)
    table = print_table(agg, reasons, bool(pred_dir))
    if pred_dir:
        print('\nrecoverable gold values we miss (%d):' % len(ours))
        for vol, did, feat, gold, mine in ours:
            print('  %s/%s %s\n    gold: %s\n    ours: %s' % (vol, did, feat, short(gold), short(mine)))
    if json_out:
        with open(json_out, 'w', encoding='utf-8') as f:
            json.dump({'table': table, 'ours': [dict(zip(('volume', 'id', 'feature', 'gold', 'ours'), o))
                                                for o in ours], 'documents': docs},
                      f, ensure_ascii=False, indent=1)
            f.write('\n')


def short(v, n=160):
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    return s if len(s) <= n else s[:n - 1] + '…'


def compare_ours(feat, items, g, p, acc, ours, vol, did):
    """Our result on one feature of one document; the recoverable misses go to ours."""
    if feat in ('notes', 'blocks'):
        mine = Counter(p[feat] if p else [])
        tp, _, npred = score._multiset(g[feat], p[feat] if p else [])
        acc['tp'] += tp
        acc['pred'] += npred
        left = Counter(mine)
        missed = []
        for v, ok, _ in items:
            if left[v] > 0:
                left[v] -= 1
            elif ok:
                missed.append(v)
        extra = sorted(v for v, k in left.items() for _ in range(k))
        for v in missed:
            ours.append((vol, did, feat, v, closest(v, extra, feat)))
        return {'ours_tp': tp, 'ours_pred': npred, 'ours_missed_recoverable': len(missed)}
    key = {'closer': 'signed'}.get(feat, feat)
    if feat == 'closer':
        if not items:
            return {}
        ok = int(g['signed'] == (p['signed'] if p else None))
    elif not items and not (p and p[key] is not None):
        return {}
    else:
        ok = int(bool(items) and items[0][0] is not None and p is not None and p[key] == items[0][0])
    acc['ours_ok'] += ok
    acc['ours_n'] += 1
    if not ok and all(r for _, r, _ in items) and items:
        ours.append((vol, did, feat, items[0][0], (p[key] if p else None)))
    return {'ours_ok': ok}


def closest(v, extra, feat):
    """Our value nearest to a missed gold value (for the report)."""
    if not extra:
        return None
    key = (lambda x: x[1]) if feat == 'notes' else (lambda x: x)
    best = max(extra, key=lambda x: difflib.SequenceMatcher(None, key(v), key(x), autojunk=False).ratio())
    return best


def fmt(x):
    return '-' if x is None else '%.4f' % x


def print_table(agg, reasons, with_ours):
    rows = []
    print('%-9s %-7s %-8s %-8s %s' % ('feature', 'target', 'ceiling', 'ours', 'unrecoverable by reason'))
    for feat, target in FEATURES:
        a = agg[feat]
        if feat in ('notes', 'blocks'):
            ceil = f1(a['rec'], a['gold'], a['rec'])
            mine = f1(a['tp'], a['gold'], a['pred']) if with_ours else None
        else:
            ceil = a['rec'] / a['gold'] if a['gold'] else None
            mine = (a['ours_ok'] / a['ours_n'] if a['ours_n'] else None) if with_ours else None
        why = ', '.join('%s %d' % kv for kv in sorted(reasons[feat].items(), key=lambda kv: (-kv[1], kv[0])))
        print('%-9s %-7s %-8s %-8s %d/%d recoverable; %s' % (
            feat, '-' if target is None else '%.2f' % target, fmt(ceil), fmt(mine),
            a['rec'], a['gold'], why or 'none'))
        rows.append({'feature': feat, 'target': target, 'ceiling': ceil, 'ours': mine,
                     'gold': a['gold'], 'recoverable': a['rec'], 'reasons': dict(reasons[feat])})
    a = agg['blocks']
    gold = a['gold'] - a['excused']
    ceil, mine = f1(a['rec'], gold, a['rec']), (f1(a['tp'], gold, a['pred']) if with_ours else None)
    print('%-9s %-7s %-8s %-8s %d/%d recoverable, leaving out the %d datelines and signatures the '
          'pages do not have' % ('blocks*', '0.90', fmt(ceil), fmt(mine), a['rec'], gold, a['excused']))
    rows.append({'feature': 'blocks*', 'target': 0.90, 'ceiling': ceil, 'ours': mine, 'gold': gold,
                 'recoverable': a['rec'], 'excused': a['excused']})
    return rows


if __name__ == '__main__':
    main()
