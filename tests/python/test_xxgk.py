"""The Python module xxgk against the command line (run by CTest `python`, docs/library.md).

Environment: PYTHONPATH holds the built package; XXGK_CLI is the xxgk binary; XXGK_CORPUS is corpus/real;
XXGK_SANITIZED=1 when the build has AddressSanitizer (the memory test measures nothing under it)."""
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

import pytest

import xxgk

CORPUS = os.environ["XXGK_CORPUS"]
CLI = os.environ["XXGK_CLI"]
SANITIZED = os.environ.get("XXGK_SANITIZED") == "1"
REPORTS = sorted(os.path.join(CORPUS, n) for n in os.listdir(CORPUS) if n.endswith((".txt", ".html")))


@pytest.fixture(scope="module")
def checker():
    return xxgk.Checker(lang="en")


@pytest.fixture(scope="module")
def cli_results():
    """`xxgk check --format json --lang en` over every corpus report, keyed by path (run where no xxgk.toml is)."""
    with tempfile.TemporaryDirectory() as here:
        done = subprocess.run([CLI, "check", "--format", "json", "--lang", "en"] + REPORTS, cwd=here,
                              capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == len(REPORTS)
    return {r["source"]["path"]: r for r in lines}


def test_version():
    assert xxgk.__version__ == "%d.%d.%d" % xxgk.VERSION
    done = subprocess.run([CLI, "--version"], capture_output=True, text=True)
    assert done.stdout.split() == ["xxgk", xxgk.__version__]


def test_results_equal_the_command_line_for_every_corpus_report(checker, cli_results):
    assert len(REPORTS) > 90
    for path in REPORTS:
        with open(path, "rb") as f:
            from_bytes = checker.check(f.read(), path=path).to_dict()
        assert from_bytes == cli_results[path], path
        assert checker.check(path).to_dict() == cli_results[path], path


def test_result_fields_and_frames(checker, cli_results):
    # The text report with the most findings that has tables.
    path = max((p for p, r in cli_results.items() if r["tables"] and p.endswith(".txt")),
               key=lambda p: len(cli_results[p]["findings"]))
    result = checker.check(path)
    assert result.schema == "xxgk.check/1" and result.source["content"] == "text"
    assert result.report["year"] == cli_results[path]["report"]["year"]
    assert result["summary"] == result.summary
    assert json.loads(result.to_json()) == result.to_dict()
    findings = result.findings_frame()
    cells = result.cells_frame()
    import pandas
    assert isinstance(findings, pandas.DataFrame) and isinstance(cells, pandas.DataFrame)
    assert len(findings) == len(result.findings) > 0
    assert list(findings["rule"]) == [f["rule"] for f in result.findings]
    assert len(cells) == sum(len(row["cells"]) for t in result.tables for row in t["rows"]) > 0
    read = cells[cells["value"].notna()]
    assert set(read["status"]) <= {"ok", "split", "inferred"}


def test_config_is_applied_and_a_bad_one_refused(cli_results):
    path = max(cli_results, key=lambda p: len(cli_results[p]["findings"]))
    rule = cli_results[path]["findings"][0]["rule"]
    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, "xxgk.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write('[rules]\n"%s" = "off"\n' % rule)
        quiet = xxgk.Checker(lang="en", config=config).check(path)
        assert quiet.findings and rule not in {f["rule"] for f in quiet.findings}
        assert len(quiet.findings) < len(cli_results[path]["findings"])
        with open(config, "w", encoding="utf-8") as f:
            f.write('[rules]\n"no.such-rule" = "off"\n')
        with pytest.raises(ValueError):
            xxgk.Checker(config=config)


def test_bad_input_raises_with_the_input_error_code(checker):
    with pytest.raises(xxgk.InputError) as empty:
        checker.check(b"", path="empty.txt")
    assert empty.value.code == "empty" and "empty.txt" in str(empty.value)
    with pytest.raises(xxgk.InputError) as binary:
        checker.check(bytes(range(256)) * 64, path="blob.bin")
    assert binary.value.code == "not-text"
    with pytest.raises(xxgk.InputError) as missing:
        checker.check(os.path.join(CORPUS, "no-such-report.txt"))
    assert missing.value.code == "read-failed"
    kept = checker.check(b"", raise_on_error=False)
    assert kept.error["code"] == "empty" and not kept.ok
    with pytest.raises(ValueError):
        xxgk.Checker(lang="xx")
    with pytest.raises(TypeError):
        checker.check(12345)


def test_threads_give_the_same_results_and_run_concurrently(checker):
    inputs = []
    for path in REPORTS:
        with open(path, "rb") as f:
            inputs.append((path, f.read()))
    start = time.perf_counter()
    alone = {p: checker.check(data, path=p).to_dict() for p, data in inputs}
    one_thread = time.perf_counter() - start

    together = {}
    def work(share):
        for p, data in share:
            together[p] = checker.check(data, path=p).to_dict()
    threads = [threading.Thread(target=work, args=(inputs[i::4],)) for i in range(4)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    four_threads = time.perf_counter() - start
    assert together == alone
    # A ratio printed, not asserted: the machine's other load decides it (2 cores: at best about 2).
    print("\nthreads: 1 thread %.2fs, 4 threads %.2fs, speed-up %.2f on %d CPUs"
          % (one_thread, four_threads, one_thread / four_threads, os.cpu_count()))


def test_scan_yields_one_record_per_input_as_they_finish(checker, cli_results):
    missing = os.path.join(CORPUS, "missing.html")
    paths = REPORTS[:40] + [missing]
    records = list(checker.scan(paths, jobs=3))
    assert sorted(r.source["path"] for r in records) == sorted(paths)
    for r in records:
        if r.source["path"] == missing:
            assert r.error["code"] == "read-failed"
        else:
            assert r.to_dict() == cli_results[r.source["path"]]
    # A generator: the first record comes before the scan is over, and leaving it early stops the workers.
    first = next(xxgk.scan(REPORTS, jobs=2, lang="en"))
    assert first.source["path"] in REPORTS


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


@pytest.mark.skipif(SANITIZED, reason="AddressSanitizer's quarantine holds freed memory: RSS says nothing")
def test_memory_stays_flat_over_ten_thousand_checks(checker):
    path = min(REPORTS, key=os.path.getsize)
    with open(path, "rb") as f:
        data = f.read()
    for _ in range(1000):
        checker.check(data, path=path)
    before = rss_kib()
    for _ in range(9000):
        checker.check(data, path=path)
    grown = rss_kib() - before
    print("\nmemory: RSS grew by %d KiB over 9,000 checks of %s (%d bytes)" % (grown, os.path.basename(path), len(data)))
    assert grown < 8 * 1024


@pytest.mark.skipif(SANITIZED, reason="worker processes would each load ASan's runtime: slow, and the module's "
                                      "code is already checked in this process")
def test_dask_in_process_equals_the_command_line(cli_results):
    distributed = pytest.importorskip("distributed")
    driver = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "dask", "xxgk_dask_inprocess.py")
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "results.jsonl")
        paths = REPORTS[:24]
        done = subprocess.run([sys.executable, driver, "--local-workers", "2", "--lang", "en", "-o", out] + paths,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        with open(out, encoding="utf-8") as f:
            lines = [json.loads(line) for line in f]
    assert [r["source"]["path"] for r in lines] == paths
    for r in lines:
        assert r == cli_results[r["source"]["path"]]
