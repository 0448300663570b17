"""xxgk: checks annual reports on open government information (政府信息公开工作年度报告).

    import xxgk
    checker = xxgk.Checker(lang="en")
    result = checker.check(open("report.html", "rb").read(), path="report.html")
    result.findings_frame()          # pandas DataFrame (a list of dicts without pandas)

A result has the fields of the JSON schema "xxgk.check/1" (docs/schema.md) as attributes and items, the same
that ``xxgk check --format json`` writes. A Checker is made once (it compiles the grammars) and may be shared by
threads: checks run without the GIL. ``xxgk.scan(paths, jobs=N)`` checks many files on N threads and yields one
record per file as each is done. See docs/library.md.
"""
import json as _json

from . import _xxgk

__version__ = _xxgk.__version__
VERSION = tuple(_xxgk.VERSION)

__all__ = ["Checker", "Result", "InputError", "scan", "__version__", "VERSION"]


class InputError(ValueError):
    """The input could not be read as a document. ``code`` is the schema's error code ("empty", "not-text",
    "too-large", "damaged", …), ``message`` says why in the checker's language, ``result`` is the full result."""

    def __init__(self, result):
        error = result["error"]
        super().__init__("%s: %s: %s" % (result["source"]["path"], error["code"], error["message"]))
        self.code = error["code"]
        self.message = error["message"]
        self.result = result


class Result:
    """One document's result: the schema's fields as attributes (``result.findings``, ``result.report``) and
    items (``result["summary"]``); ``to_dict()`` and ``to_json()`` give it whole."""

    __slots__ = ("_data",)

    def __init__(self, data):
        self._data = data

    def __getattr__(self, name):
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key):
        return self._data[key]

    def __contains__(self, key):
        return key in self._data

    def __repr__(self):
        s = self._data.get("summary") or {}
        error = self._data.get("error")
        state = ("error=%s" % error["code"]) if error else ("errors=%s warnings=%s uncertain=%s" % (
            s.get("errors"), s.get("warnings"), s.get("uncertain")))
        return "<xxgk.Result %s %s>" % (self._data["source"]["path"], state)

    @property
    def ok(self):
        """True when the document was read and has no proven error (findings with status "fail", severity "error")."""
        return not self._data.get("error") and not (self._data.get("summary") or {}).get("errors")

    def to_dict(self):
        """The result as plain dicts and lists (the parsed JSON object)."""
        return self._data

    def to_json(self, **kwargs):
        """The result as a JSON text, one line by default (``json.dumps`` arguments are passed on)."""
        kwargs.setdefault("ensure_ascii", False)
        return _json.dumps(self._data, **kwargs)

    def findings_rows(self):
        """One flat dict per finding: path, rule, severity, status, message, line, column, fingerprint."""
        path = self._data["source"]["path"]
        return [{"path": path, "rule": f["rule"], "severity": f["severity"], "status": f["status"],
                 "message": f["message"], "line": f.get("line"), "column": f.get("column"),
                 "fingerprint": f.get("fingerprint")} for f in self._data.get("findings") or []]

    def cells_rows(self):
        """One flat dict per table cell: path, part, table, row, label, column, raw, value, unit, status, line, col."""
        path = self._data["source"]["path"]
        rows = []
        for table in self._data.get("tables") or []:
            for row in table.get("rows") or []:
                for cell in row.get("cells") or []:
                    rows.append({"path": path, "part": table.get("part"), "table": table.get("id"),
                                 "row": row.get("id"), "label": row.get("label"), "block": row.get("block"),
                                 "column": cell.get("column"), "raw": cell.get("raw"), "value": cell.get("value"),
                                 "unit": cell.get("unit"), "status": cell.get("status"), "line": cell.get("line"),
                                 "col": cell.get("col")})
        return rows

    def findings_frame(self):
        """The findings as a pandas DataFrame (columns of ``findings_rows``); a list of dicts without pandas."""
        return _frame(self.findings_rows(), ["path", "rule", "severity", "status", "message", "line", "column",
                                             "fingerprint"])

    def cells_frame(self):
        """The table cells as a pandas DataFrame (columns of ``cells_rows``); a list of dicts without pandas."""
        return _frame(self.cells_rows(), ["path", "part", "table", "row", "label", "block", "column", "raw", "value",
                                          "unit", "status", "line", "col"])


def _frame(rows, columns):
    try:
        import pandas
    except ImportError:
        return rows
    return pandas.DataFrame(rows, columns=columns)


class Checker:
    """Checks documents. ``lang``: language of messages ("zh" or "en"); ``config``: path of an xxgk.toml (rule
    severities, deadlines, tolerance; unlike the command line, none is looked for); ``triage``: skip pages that are
    plainly not reports; ``time_budget_ms``: stop a check that runs longer (error "time-limit"; 0: no limit).
    Raises ValueError for a bad config or language. Create once and share: check() is thread-safe and releases
    the GIL."""

    def __init__(self, lang="zh", config=None, triage=False, time_budget_ms=0):
        self._engine = _xxgk.Engine(lang, None if config is None else str(config), bool(triage), int(time_budget_ms))

    @property
    def grammar_revision(self):
        """The grammars this checker judges by, e.g. "2019+2021@3f2a9c1d5e6b"."""
        return self._engine.grammar_revision

    def check(self, data, path=None, raise_on_error=True):
        """Checks one document given as bytes (or the path of a file, as str or os.PathLike, when ``data`` is not
        bytes). ``path`` is the name results show. Returns a Result; raises InputError when the input cannot be
        read as a document (unless ``raise_on_error`` is False: then the Result carries ``error``)."""
        if isinstance(data, (bytes, bytearray, memoryview)):
            line = self._engine.check_bytes(bytes(data), "-" if path is None else str(path))
        else:
            name = _fspath(data)
            line = self._engine.check_file(name, name if path is None else str(path))
        result = Result(_json.loads(line))
        if raise_on_error and result["error"]:
            raise InputError(result.to_dict())
        return result

    def scan(self, paths, jobs=1):
        """Checks the files at ``paths`` on ``jobs`` threads, yielding a Result per file as each is done (not in
        input order; ``result.source["path"]`` says which). A file that cannot be read gives a Result with
        ``error`` and never stops the scan."""
        native = _xxgk.Scan(self._engine, [_fspath(p) for p in paths], max(1, int(jobs)))
        for line in native:
            yield Result(_json.loads(line))


def scan(paths, jobs=1, lang="zh", config=None, triage=False):
    """``Checker(lang, config, triage).scan(paths, jobs)``: one Result per file, yielded as each is done."""
    return Checker(lang=lang, config=config, triage=triage).scan(paths, jobs=jobs)


def _fspath(p):
    import os
    p = os.fspath(p)
    return p.decode() if isinstance(p, bytes) else p

