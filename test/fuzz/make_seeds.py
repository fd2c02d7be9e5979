#!/usr/bin/env python3
"""test/fuzz/make_seeds.py: write the committed seed corpora of the fuzz targets.

Small valid inputs of every shape plus edge and broken ones (truncated,
wrong version, unsorted, overflowing), built here from the documented byte
formats (README), not from the code under test.  Run it from anywhere:
    python3 test/fuzz/make_seeds.py
It rewrites test/fuzz/corpus/<target>/ completely.
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, 'corpus')


def write(target, seeds):
    d = os.path.join(CORPUS, target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, data in seeds.items():
        if isinstance(data, str):
            data = data.encode('utf-8')
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)


# driftmon.confusion: little-endian, u8 version, u8 kind, u16 0, i64 skipped,
# u32 n_labels, u32 n_cells, labels, cells (u32 t, u32 p, i64 n).
def conf(kind, skipped, labels, cells, version=1):
    b = struct.pack('<BBHqII', version, kind, 0, skipped, len(labels), len(cells))
    for lab in labels:
        if kind == 1:
            lab = lab.encode('utf-8') if isinstance(lab, str) else lab
            b += struct.pack('<I', len(lab)) + lab
        elif kind == 2:
            b += struct.pack('<q', lab)
        else:
            b += struct.pack('<B', lab)
    for t, p, n in cells:
        b += struct.pack('<IIq', t, p, n)
    return b


conf_bin = {
    'empty': conf(1, 0, [], []),
    'text3': conf(1, 2, ['a', 'b', 'c'], [(0, 0, 1), (0, 1, 1), (1, 1, 1), (2, 0, 1), (2, 2, 2)]),
    'text_utf8': conf(1, 0, ['', 'caf\u00e9', '\u65e5\u672c'], [(0, 1, 3), (1, 2, 1), (2, 0, 7)]),
    'text_ctrl': conf(1, 0, ['a"b\\c\n\x01\x7f'], [(0, 0, 1)]),
    'int8': conf(2, 5, [-2**63, -1, 0, 2**63 - 1], [(0, 3, 1), (1, 1, 10), (2, 2, 2**62), (3, 0, 1)]),
    'bool': conf(3, 0, [0, 1], [(0, 0, 5), (0, 1, 2), (1, 0, 1), (1, 1, 9)]),
    'bool_one': conf(3, 1, [1], [(0, 0, 1)]),
    'max_total': conf(2, 0, [1, 2], [(0, 0, 2**62), (1, 1, 2**62 - 1 + 2**62)]),
    # broken ones
    'truncated': conf(1, 2, ['a', 'b'], [(0, 1, 1)])[:-3],
    'version2': conf(2, 0, [1], [(0, 0, 1)], version=2),
    'unsorted': conf(2, 0, [2, 1], [(0, 1, 1)]),
    'unused_label': conf(2, 0, [1, 2, 3], [(0, 1, 1)]),
    'overflow': conf(2, 0, [1, 2], [(0, 0, 2**63 - 1), (1, 1, 1)]),
    'trailing': conf(3, 0, [0], [(0, 0, 1)]) + b'\0',
}
write('confusion_bin', conf_bin)

conf_text = {
    'text3': '{"version":1,"kind":"text","skipped":2,"labels":["a","b","c"],'
             '"cells":[[0,0,1],[0,1,1],[1,1,1],[2,0,1],[2,2,2]]}',
    'spaces': ' { "version" : 1 , "kind" : "bigint" , "skipped" : 0 , "labels" : [ -5 , 7 ] ,'
              ' "cells" : [ [ 0 , 1 , 3 ] , [ 1 , 0 , 9223372036854775807 ] ] } \n',
    'bool': '{"version":1,"kind":"boolean","skipped":0,"labels":[false,true],"cells":[[0,0,1],[1,1,2]]}',
    'escapes': '{"version":1,"kind":"text","skipped":0,"labels":["\\"\\\\\\/\\b\\f\\n\\r\\t","\\u00e9\\u65e5x"],'
               '"cells":[[0,1,1],[1,0,1]]}',
    'empty': '{"version":1,"kind":"text","skipped":0,"labels":[],"cells":[]}',
    'int_min': '{"version":1,"kind":"bigint","skipped":0,"labels":[-9223372036854775808],"cells":[[0,0,1]]}',
    'bad_version': '{"version":2,"kind":"text","skipped":0,"labels":[],"cells":[]}',
    'bad_index': '{"version":1,"kind":"text","skipped":0,"labels":["a"],"cells":[[0,1,1]]}',
    'surrogate': '{"version":1,"kind":"text","skipped":0,"labels":["\\ud800"],"cells":[[0,0,1]]}',
    'unterminated': '{"version":1,"kind":"text","skipped":0,"labels":["a',
}
write('confusion_text', conf_text)


# driftmon.category_counts: big-endian, magic 0xC7, version 1, i64 n_reference,
# n_current, missing_reference, missing_current, u32 k, then per category
# i64 n_reference, i64 n_current, u32 length, bytes.
def cc(cats, missing=(0, 0), totals=None, magic=0xC7, version=1):
    nr = sum(c[1] for c in cats)
    nc = sum(c[2] for c in cats)
    if totals:
        nr, nc = totals
    b = struct.pack('>BBqqqqI', magic, version, nr, nc, missing[0], missing[1], len(cats))
    for name, a, c in cats:
        name = name.encode('utf-8') if isinstance(name, str) else name
        b += struct.pack('>qqI', a, c, len(name)) + name
    return b


cc_bin = {
    'empty': cc([]),
    'three': cc([('a', 3, 1), ('b', 0, 2), ('c', 5, 0)], missing=(1, 2)),
    'utf8': cc([('', 1, 1), ('caf\u00e9', 2, 0), ('\u65e5', 0, 4)]),
    'big': cc([('x', 2**62, 2**62)], missing=(2**63 - 1, 0)),
    'magic': cc([('a', 1, 1)], magic=0xC8),
    'version2': cc([('a', 1, 1)], version=2),
    'header_only': cc([])[:20],
    'unsorted': cc([('b', 1, 0), ('a', 1, 0)]),
    'zero_cat': cc([('a', 0, 0)]),
    'bad_total': cc([('a', 1, 1)], totals=(5, 1)),
    'trailing': cc([('a', 1, 1)]) + b'x',
}
write('category_bin', cc_bin)

cc_text = {
    'three': '{"version":1,"n_reference":8,"n_current":3,"missing_reference":1,"missing_current":2,'
             '"categories":[["a",3,1],["b",0,2],["c",5,0]]}',
    'empty': '{"version":1,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}',
    'spaces': ' { "version" : 1 , "n_reference" : 1 , "n_current" : 0 , "missing_reference" : 0 ,'
              ' "missing_current" : 0 , "categories" : [ [ "\\u0001\\"\\\\\\/\\b\\f\\n\\r\\t" , 1 , 0 ] ] } ',
    'utf8': '{"version":1,"n_reference":1,"n_current":1,"missing_reference":0,"missing_current":0,'
            '"categories":[["caf\u00e9",1,1]]}',
    'overflow': '{"version":1,"n_reference":99999999999999999999,"n_current":0,"missing_reference":0,'
                '"missing_current":0,"categories":[]}',
    'bad_total': '{"version":1,"n_reference":2,"n_current":0,"missing_reference":0,"missing_current":0,'
                 '"categories":[["a",1,0]]}',
    'version2': '{"version":2}',
    'wrong_key': '{"version":1,"n_ref":0}',
}
write('category_text', cc_text)


# Serialized aggregate states (host order, little-endian here); the first
# byte of a fuzz_state_bin input selects the decoder: 0 numeric, 1 score,
# 2 regression.
def num_state(ref, cur, alt=0, method=0, binning=0, bins=10, nulls=(0, 0), nonfinite=(0, 0), magic=0xD7):
    h = struct.pack('<BBbbb3xi4x', magic, 1, alt, method, binning, bins)
    for k, side in enumerate((ref, cur)):
        h += struct.pack('<qqq', len(side), nulls[k], nonfinite[k])
    return b'\x00' + h + b''.join(struct.pack('<d', v) for v in ref + cur)


def score_state(pos, neg, arrays=True, threshold=None, counts=(0,) * 7, npos=None, nneg=None):
    flags = (1 if threshold is not None else 0) | (2 if arrays else 0)
    n_skipped, n_outside, nprob, tp, fp, tn, fn = counts
    h = struct.pack('<BBH', 1, flags, 0)
    h += struct.pack('<qqdddddqqqqqdqqqq', n_skipped, n_outside, threshold or 0.0, 0.5, 1e-17, 0.25, 0.0,
                     nprob, tp, fp, tn, fn, 0.0,
                     len(pos) if npos is None else npos, len(neg) if nneg is None else nneg, 0, 0)
    body = b''.join(struct.pack('<d', v) for v in pos + neg) if arrays else b''
    return b'\x01' + h + body


def reg_state(n_skipped=0, n=3, f=(1.0, 0.5, 2.0, 1e-17, 3.0, 0.0, 5.0, 0.0, 0.1, 0.0, -0.5, 0.0, 2.0)):
    return b'\x02' + struct.pack('<B7xqq13d', 1, n_skipped, n, *f)


write('state_bin', {
    'num_empty': num_state([], []),
    'num_two': num_state([1.0, 2.5, -3.0], [0.0, 1e308], alt=1, method=2, binning=2, bins=10000, nulls=(1, 2), nonfinite=(3, 0)),
    'num_nan': num_state([float('nan')], []),
    'num_badparam': num_state([1.0], [2.0], bins=1),
    'num_magic': num_state([], [], magic=0xD8),
    'score_arrays': score_state([0.9, 0.8], [0.1, 0.85, float('inf')], threshold=0.5, counts=(1, 0, 5, 2, 1, 1, 1)),
    'score_noarrays': score_state([], [], arrays=False, counts=(0, 1, 3, 0, 0, 0, 0)),
    'score_short': score_state([0.5], [0.2])[:-4],
    'score_huge_counts': score_state([], [], npos=2**61, nneg=0),
    'reg_ok': reg_state(),
    'reg_neg': reg_state(n=-1),
    'reg_short': reg_state()[:-1],
})


# driftmon.numeric_profile (src/core/nprofile.h), big-endian: "DMNP", u8
# version 1, 3 zero bytes, k u32, n u64, nulls u64, nonfinite u64, min, max,
# mean, m2 f64, rng u64, D f64, S f64, nlevels u32, len[] u32, items f64
# (level 0 first, each level ascending).  Weight of level h is 2^h.
def nprof(levels, k=1024, nulls=0, nonfinite=0, D=0.0, S=0.0, rng=12345, version=1, moments=None):
    vals = [x for h, lv in enumerate(levels) for x in lv for _ in range(2 ** h)]
    n = len(vals)
    if moments is None:
        if n:
            mean = sum(vals) / n
            moments = (min(vals), max(vals), mean, sum((x - mean) ** 2 for x in vals))
        else:
            moments = (0.0, 0.0, 0.0, 0.0)
    out = b'DMNP' + bytes([version, 0, 0, 0]) + struct.pack('>IQQQ', k, n, nulls, nonfinite)
    out += struct.pack('>ddddQdd', *moments, rng, D, S) + struct.pack('>I', len(levels))
    out += b''.join(struct.pack('>I', len(lv)) for lv in levels)
    out += b''.join(struct.pack('>d', x) for lv in levels for x in sorted(lv))
    return out


# driftmon.categorical_profile (src/core/freq.h), big-endian: "DMCP", u8
# version 1, 3 zero bytes, cap u32, n u64, nulls u64, rest u64, nitems u32,
# then (len u32, bytes, count u64) strictly ascending bytewise.
def cprof(items, cap=1000, nulls=0, rest=0, n=None, version=1):
    items = sorted(items)
    if n is None:
        n = sum(c for _, c in items) + rest
    out = b'DMCP' + bytes([version, 0, 0, 0]) + struct.pack('>IQQQI', cap, n, nulls, rest, len(items))
    for key, c in items:
        kb = key.encode('utf-8')
        out += struct.pack('>I', len(kb)) + kb + struct.pack('>Q', c)
    return out


def pair(a, b):
    """Selector byte 2: u16 length of the first profile, then both."""
    return bytes([2]) + struct.pack('>H', len(a)) + a + b


exact = nprof([[-1.5, 0.0, 2.0, 2.0, 7.25]], nulls=2, nonfinite=1)
sketch = nprof([[0.5, 3.0], [1.0, 2.0, 4.0], [2.5]], D=2.0, S=3.0)
write('profile_bin', {
    'num_empty': bytes([0]) + nprof([[]]),
    'num_exact': bytes([0]) + exact,
    'num_sketch': bytes([0]) + sketch,
    'num_extremes': bytes([0]) + nprof([[-1.7976931348623157e308, -5e-324, 0.0, 1.7976931348623157e308]],
                                       moments=(-1.7976931348623157e308, 1.7976931348623157e308, 0.0, 0.0)),
    'num_badversion': bytes([0]) + nprof([[1.0]], version=2),
    'num_badweight': bytes([0]) + nprof([[1.0], [2.0]], D=1.0, S=1.0)[:12] + struct.pack('>Q', 2)
                     + nprof([[1.0], [2.0]], D=1.0, S=1.0)[20:],
    'cat_empty': bytes([1]) + cprof([]),
    'cat_exact': bytes([1]) + cprof([('a', 3), ('b', 1), ('é', 2), ('zz', 5)], nulls=4),
    'cat_sketch': bytes([1]) + cprof([('x', 10), ('y', 7)], cap=2, rest=6),
    'cat_unsorted': bytes([1]) + b'DMCP\x01\x00\x00\x00' + struct.pack('>IQQQI', 1000, 2, 0, 0, 2)
                    + struct.pack('>I', 1) + b'b' + struct.pack('>Q', 1)
                    + struct.pack('>I', 1) + b'a' + struct.pack('>Q', 1),
    'cat_badsum': bytes([1]) + cprof([('a', 3)], n=5),
    'pair_exact_sketch': pair(exact, sketch),
    'pair_same': pair(exact, exact),
    'pair_wide': pair(nprof([[-1e308, 1e308]], moments=(-1e308, 1e308, 0.0, 1e308)),
                      nprof([[0.0]])),
})
