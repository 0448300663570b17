"""Compares two check results (JSON lines of `xxgk check --format json`) of the same report read from two files:
the cells of every rebuilt table and the findings, apart from locations and honest doubt.

Used by twins_test.py; run by hand as `compare.py HTML.json PDF.json` to see the differences."""
import json
import sys


def cells(result):
    """table/row/column → value (None for cells without one), raw text aside: a PDF may space digits otherwise."""
    out = {}
    for t in result.get("tables", []):
        for r in t["rows"]:
            for c in r["cells"]:
                out[f'{t["id"]}/{r["id"]}/{c["column"]}'] = (c["value"], c["status"])
    return out


def findings(result):
    """rule and status of each finding, counted; the message text mentions locations and is left out."""
    out = {}
    for f in result.get("findings", []):
        key = (f["rule"], f["status"])
        out[key] = out.get(key, 0) + 1
    return out


def differences(reference, twin):
    """What the twin reads differently from the reference: a list of lines, empty when they agree.

    Honest doubt: a cell the twin reads as `uncertain` (value null) where the reference has a value is not a
    difference, nor an `uncertain` finding the twin has more or fewer of; a value the twin reads otherwise, a
    cell it lacks, and any `fail` finding it has more or fewer of are."""
    out = []
    a, b = cells(reference), cells(twin)
    for key in sorted(set(a) | set(b)):
        if key not in b:
            out.append(f"cell {key}: {a[key]} in the reference, missing in the twin")
        elif key not in a:
            out.append(f"cell {key}: {b[key]} in the twin, not in the reference")
        elif a[key] != b[key] and not (b[key][1] == "uncertain" and b[key][0] is None):
            out.append(f"cell {key}: {a[key]} in the reference, {b[key]} in the twin")
    fa, fb = findings(reference), findings(twin)
    for key in sorted(set(fa) | set(fb)):
        if key[1] == "uncertain":
            continue
        if fa.get(key, 0) != fb.get(key, 0):
            out.append(f"finding {key[0]} ({key[1]}): {fa.get(key, 0)} in the reference, {fb.get(key, 0)} in the twin")
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        reference = json.loads(f.readline())
    with open(sys.argv[2], encoding="utf-8") as f:
        twin = json.loads(f.readline())
    lines = differences(reference, twin)
    print("\n".join(lines) if lines else "same cells and findings")
    sys.exit(1 if lines else 0)
