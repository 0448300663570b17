#!/usr/bin/env python3
"""The layout matrix (CTest "layouts"): every corpus report whose tables are known — the saved HTML pages, whose
<table> grids say which number stands in which cell — flattened into the layouts converters, OCR and other sites
produce, each checked against the page itself.

    layouts.py XXGK CORPUS_DIR WORK_DIR [--only LAYOUT] [--keep]

Layouts: the page printed to PDF by headless Chromium and flattened by pdftotext with and without -layout (poppler),
plain reading order (one cell per line), Markdown tables (placeholder headers, a small table per row under a ###
heading, <br> and ， in labels), labels wrapped over lines with the numbers on the middle line, group labels spaced
out, one label misprinted, and part 4 in four shapes.

Asserted per layout: at least 97 % of the page's cells keep their value; no cell gets another value; and no variant
has a proven error (fail, severity error) its page does not have. Printed: cells kept per layout.

A row that leaves some of its cells blank loses where its numbers stand once a layout prints blanks as nothing
(26 … 26 under seven columns): unless the layout keeps aligned columns, its numbers can only be uncertain. Such rows
are counted apart ("rows with blanks"): kept or uncertain are both honest there, another value never is.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

XXGK, CORPUS, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
ONLY = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
KEEP_RATIO = 0.97
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
os.makedirs(WORK, exist_ok=True)


def check(path):
    done = subprocess.run([XXGK, "check", "--format", "json", "--lang", "en", "--fail-on", "never", path],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit("xxgk failed on %s: %s" % (path, done.stderr))
    return json.loads(done.stdout.splitlines()[0])


def rendered(path):
    return subprocess.run([XXGK, "text", path], capture_output=True, text=True, check=True).stdout


def cells_of(result):
    out = {}
    for table in result.get("tables") or []:
        for row in table["rows"]:
            for cell in row["cells"]:
                out[(table["id"], row["id"], cell["column"])] = (cell["value"], cell["status"])
    return out


def rows_with_blanks(result):
    return {(table["id"], row["id"]) for table in result.get("tables") or [] for row in table["rows"]
            if any(cell["status"] == "empty" for cell in row["cells"])}


def proven_errors(result):
    return {(f["rule"], f["fingerprint"]) for f in result.get("findings", [])
            if f["status"] == "fail" and f["severity"] == "error"}


# --- The page as text rows -------------------------------------------------------------------------------------

NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:万元|元|件|条|个)?$")


def is_value(cell):
    return bool(NUMBER.match(cell.strip())) or cell.strip() in ("", "/", "-", "—", "无")


def split_rows(text):
    """The rendering's lines: (line, cells) with cells split at ' | ' (None for prose lines)."""
    rows = []
    for line in text.split("\n"):
        rows.append((line, line.split(" | ") if " | " in line else None))
    return rows


def row_shape(cells):
    """(label cells, value cells) of a table row whose values come last, or None for header rows."""
    values = []
    i = len(cells)
    while i > 0 and is_value(cells[i - 1]):
        i -= 1
    labels, values = cells[:i], cells[i:]
    if not values or not any(NUMBER.match(v.strip()) for v in values):
        return None
    return labels, values


def rebuild(text, row_fn, header_fn=None):
    """The rendering with every table row (labels then values) rewritten by row_fn(labels, values) -> lines, header
    rows by header_fn(cells) -> lines (kept as they are by default)."""
    out = []
    for line, cells in split_rows(text):
        if cells is None:
            out.append(line)
            continue
        shape = row_shape(cells)
        if shape is None:
            out.extend(header_fn(cells) if header_fn else [line])
        else:
            out.extend(row_fn(*shape))
    return "\n".join(out) + "\n"


def one_cell_per_line(text):
    return rebuild(text, lambda labels, values: labels + values, lambda cells: cells)


def markdown_placeholder(text):
    """OCR-style Markdown: placeholder headers, separator rows, 、 written as ，."""
    def row(labels, values):
        label = "".join(labels).replace("、", "，", 1)
        return ["| " + " | ".join([label] + [v if v.strip() else " " for v in values]) + " |"]
    state = {"in_table": False}
    out = []
    for line, cells in split_rows(text):
        shape = row_shape(cells) if cells else None
        if shape:
            if not state["in_table"]:
                n = len(shape[1])
                out.append("| 类别 | " + " | ".join("数据%d" % (i + 1) for i in range(n - 1)) + " | 总计 |")
                out.append("|" + "---|" * (n + 1))
                state["in_table"] = True
            out.extend(row(*shape))
        else:
            state["in_table"] = False
            out.append(line if cells is None else " ".join(cells))
    return "\n".join(out) + "\n"


def markdown_per_row(text):
    """One small table per row under its own ### heading, <br> inside long labels."""
    def row(labels, values):
        label = " ".join(labels)
        if len(label) > 12:
            label = label[:8] + "<br>" + label[8:]
        n = len(values)
        return ["### " + label, "", "| " + " | ".join("数据%d" % (i + 1) for i in range(n)) + " |",
                "|" + "---|" * n, "| " + " | ".join(v if v.strip() else " " for v in values) + " |", ""]
    return rebuild(text, row, lambda cells: [" ".join(cells)])


def wrapped(width):
    """pdftotext -layout style: a long label wrapped over lines, the numbers on the middle one."""
    def row(labels, values):
        label = "".join(labels)
        pieces = [label[i:i + width] for i in range(0, len(label), width)] or [""]
        middle = len(pieces) // 2
        lines = []
        for i, piece in enumerate(pieces):
            lines.append(piece + ("    " + "   ".join(values) if i == middle else ""))
        return lines
    return lambda text: rebuild(text, row, lambda cells: ["   ".join(cells)])


def spaced_groups(text):
    """Group labels spaced out letter by letter (三 、 本 年 度 办 理 结 果)."""
    def row(labels, values):
        spaced = [" ".join(l) if len(labels) > 1 and i == 0 else l for i, l in enumerate(labels)]
        return [" ".join(spaced) + "  " + "  ".join(values)]
    return rebuild(text, row, lambda cells: ["  ".join(cells)])


def misprinted(text):
    """One long row label with a character dropped, another with one doubled."""
    state = {"n": 0}
    def row(labels, values):
        label = labels[-1] if labels else ""
        if len(label) >= 8 and state["n"] < 2:
            k = len(label) - 2
            label = label[:k] + label[k + 1:] if state["n"] == 0 else label[:k] + label[k] + label[k:]
            state["n"] += 1
            labels = labels[:-1] + [label]
        return [" | ".join(labels + values)]
    return rebuild(text, row)


def part4(shape):
    """Part 4's number row (15 numbers, no label) in another shape."""
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    def convert(text):
        out = []
        for line, cells in split_rows(text):
            if cells and len(cells) == 15 and all(NUMBER.match(c.strip()) for c in cells):
                if shape == "one-line":
                    out.append(" ".join(cells))
                elif shape == "fifteen-lines":
                    out.extend(cells)
                elif shape == "three-tables":
                    for name, group in (("行政复议", cells[0:5]), ("未经复议直接起诉", cells[5:10]), ("复议后起诉", cells[10:15])):
                        out.append(name)
                        out.append(" | ".join(heads))
                        out.append(" | ".join(group))
                elif shape == "interleaved":
                    out.append("行政复议 行政诉讼")
                    out.append(" ".join(cells[0:5]) + " 未经复议直接起诉 " + " ".join(cells[5:10]) + " 复议后起诉 " + " ".join(cells[10:15]))
            else:
                out.append(line)
        return "\n".join(out) + "\n"
    return convert


def page_breaks(text):
    """A table broken by pages: every seventh row a page footer (`- 3 -`, then `第 4 页 共 9 页`), a form feed, and
    the table's header rows repeated at the top of the next page, as Word prints a long table."""
    out, header, rows, page = [], [], 0, 2
    for line, cells in split_rows(text):
        shape = row_shape(cells) if cells else None
        if cells is None:
            header, rows = [], 0
        elif shape is None:
            if rows == 0:
                header.append(line)
        else:
            rows += 1
            if rows % 7 == 0:
                page += 1
                out.extend(["", "- %d -" % page if page % 2 else "第 %d 页 共 9 页" % page, "\f"] + header)
        out.append(line)
    return "\n".join(out) + "\n"


def pdf(page, plain, furniture=False):
    """The page printed by Chromium and flattened by pdftotext; with furniture, Chromium's own running header and
    footer (date, title, address, page x/y) stay on every page."""
    if not CHROMIUM or not PDFTOTEXT:
        raise SystemExit("layouts: the PDF layouts need chromium and pdftotext (poppler-utils): "
                         "run scripts/install-deps.sh")
    pdf_path = os.path.join(WORK, os.path.basename(page) + (".furniture" if furniture else "") + ".pdf")
    if not os.path.exists(pdf_path):
        profile = tempfile.mkdtemp(prefix="chromium-", dir=WORK)
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + profile, *([] if furniture else ["--no-pdf-header-footer"]),
                        "--print-to-pdf=" + pdf_path,
                        "file://" + os.path.abspath(page)], capture_output=True, timeout=120)
        shutil.rmtree(profile, ignore_errors=True)
    if not os.path.exists(pdf_path):
        raise SystemExit("layouts: chromium printed no PDF of %s" % page)
    args = [PDFTOTEXT] + ([] if plain else ["-layout"]) + [pdf_path, "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


LAYOUTS = {
    "pdf-layout": lambda page, text: pdf(page, False),
    "pdf-plain": lambda page, text: pdf(page, True),
    "pdf-layout-furniture": lambda page, text: pdf(page, False, furniture=True),
    "page-breaks": lambda page, text: page_breaks(text),
    "page-breaks-wrapped": lambda page, text: wrapped(12)(page_breaks(text)),
    "cell-per-line": lambda page, text: one_cell_per_line(text),
    "markdown-placeholder": lambda page, text: markdown_placeholder(text),
    "markdown-per-row": lambda page, text: markdown_per_row(text),
    "wrapped-6": lambda page, text: wrapped(6)(text),
    "wrapped-12": lambda page, text: wrapped(12)(text),
    "spaced-groups": lambda page, text: spaced_groups(text),
    "misprinted-label": lambda page, text: misprinted(text),
    "p4-one-line": lambda page, text: part4("one-line")(text),
    "p4-fifteen-lines": lambda page, text: part4("fifteen-lines")(text),
    "p4-three-tables": lambda page, text: part4("three-tables")(text),
    "p4-interleaved": lambda page, text: part4("interleaved")(text),
}


def main():
    pages = sorted(f for f in os.listdir(CORPUS) if f.endswith(".html") and
                   os.path.exists(os.path.join(CORPUS, f[:-5] + ".expected")))
    totals = {name: [0, 0, 0, 0, 0, 0] for name in LAYOUTS}  # cells, kept, uncertain, wrong; in rows with blanks: cells, kept
    failures = []
    for name in pages:
        page = os.path.join(CORPUS, name)
        original = check(page)
        if not original["report"]["is_report"]:
            continue
        reference = {k: v for k, v in cells_of(original).items() if v[0] is not None}
        blank_rows = rows_with_blanks(original)
        known = proven_errors(original)
        text = rendered(page)
        for layout, make in LAYOUTS.items():
            if ONLY and layout != ONLY:
                continue
            variant = make(page, text)
            if variant is None:
                continue
            path = os.path.join(WORK, "%s.%s.txt" % (name, layout))
            with open(path, "w", encoding="utf-8") as f:
                f.write(variant)
            result = check(path)
            cells = cells_of(result)
            t = totals[layout]
            for key, (value, _) in reference.items():
                got = cells.get(key)
                kept = bool(got and got[0] is not None and abs(got[0] - value) < 1e-6)
                if got and got[0] is not None and not kept:
                    t[3] += 1
                    failures.append("%s %s: %s is %s, not %s" % (name, layout, "/".join(key), got[0], value))
                elif key[:2] in blank_rows:
                    t[4] += 1
                    t[5] += kept
                else:
                    t[0] += 1
                    t[1] += kept
                    t[2] += not kept
            for rule, fingerprint in proven_errors(result) - known:
                message = next(f["message"] for f in result["findings"] if f["fingerprint"] == fingerprint)
                failures.append("%s %s: new proven error %s: %s" % (name, layout, rule, message[:200]))
    print("%-22s %7s %7s %9s %6s %18s" % ("layout", "cells", "kept", "uncertain", "wrong", "rows with blanks"))
    for layout, (n, kept, uncertain, wrong, blank_n, blank_kept) in totals.items():
        if not n:
            continue
        share = kept / n
        print("%-22s %7d %6.1f%% %9d %6d %10d kept %d" % (layout, n, 100 * share, uncertain, wrong, blank_n, blank_kept))
        if share < KEEP_RATIO:
            failures.append("%s keeps %.1f%% of the cells (at least %.0f%% required)" % (layout, 100 * share, 100 * KEEP_RATIO))
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
