"""Builds scan fixtures from the corpus: the same documents as a folder, a tar and a WARC (one gzip member
per record), plus pages that are not reports and junk. Python standard library only.

    fixtures.py CORPUS_DIR OUT_DIR

Writes OUT_DIR/folder/, OUT_DIR/pages.tar, OUT_DIR/pages.warc.gz, OUT_DIR/whole.warc.gz (the same records in
one gzip member), OUT_DIR/plain.warc, and OUT_DIR/expected.json (id suffix -> expected status, error code).
"""
import gzip
import io
import json
import os
import sys
import tarfile

CORPUS, OUT = sys.argv[1], sys.argv[2]

# A few real reports (text and HTML), a report page in GBK without any declared charset, pages that are not
# reports, and junk.
REPORTS = ["000_9d21c7fc33edb949.txt", "015-pingtan-shiyanqu-2021.txt", "042-pingtan-shiyanqu-2023.html",
           "074-pingtan-jingjifazhanju-2021.txt", "075-pingtan-jingjifazhanju-2022.txt",
           "076-pingtan-jingjifazhanju-2023.txt"]
NOT_REPORTS = ["068-pingtan-caizhengjinrongju-notreport-listpage.txt"]


def read(name):
    with open(os.path.join(CORPUS, name), "rb") as f:
        return f.read()


documents = []  # (name, bytes, content type, expected status, expected error code)
for name in REPORTS:
    ctype = "text/html; charset=utf-8" if name.endswith(".html") else "text/plain; charset=utf-8"
    documents.append((name, read(name), ctype, "checked", None))
gbk_page = read("043-pingtan-shiyanqu-2024.html").decode("utf-8").replace('charset="utf-8"', "")
documents.append(("043-gbk-undeclared.html", gbk_page.encode("gb18030"), "text/html", "checked", None))
for name in NOT_REPORTS:
    documents.append((name, read(name), "text/plain; charset=utf-8", "skipped", None))
news = "<html><head><title>平潭召开全区安全生产工作会议</title></head><body><div class=content><p>11月20日，平潭召开全区安全生产工作会议，部署冬季安全生产工作。</p></div></body></html>"
documents.append(("news.html", news.encode("utf-8"), "text/html; charset=utf-8", "skipped", None))
documents.append(("empty.txt", b"", "text/plain", "error", "empty"))
documents.append(("binary.bin", b"PK\x03\x04" + bytes(range(256)) * 4, "application/octet-stream", "error", "not-text"))

os.makedirs(os.path.join(OUT, "folder"), exist_ok=True)
for name, data, _, _, _ in documents:
    with open(os.path.join(OUT, "folder", name), "wb") as f:
        f.write(data)

with tarfile.open(os.path.join(OUT, "pages.tar"), "w") as tar:
    for name, data, _, _, _ in documents:
        info = tarfile.TarInfo("pages/" + name)
        info.size = len(data)
        info.mtime = 0
        tar.addfile(info, io.BytesIO(data))


def record(kind, uri, block, extra=()):
    head = ["WARC/1.1", "WARC-Type: " + kind, "WARC-Record-ID: <urn:uuid:%08d-0000-0000-0000-000000000000>" % record.n,
            "WARC-Date: 2026-01-15T08:00:00Z", "Content-Length: %d" % len(block)]
    if uri:
        head.insert(2, "WARC-Target-URI: " + uri)
    head.extend(extra)
    record.n += 1
    return ("\r\n".join(head) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


record.n = 1
records = [record("warcinfo", None, b"software: xxgk fixtures\r\n", ["Content-Type: application/warc-fields"])]
expected = {}
for i, (name, data, ctype, status, code) in enumerate(documents):
    uri = "http://www.example.gov.cn/xxgk/%s" % name
    records.append(record("request", uri, b"GET /xxgk/%s HTTP/1.1\r\nHost: www.example.gov.cn\r\n\r\n" % name.encode()))
    if i % 3 == 2:
        # Chunked transfer and gzip content coding, as servers send them.
        body = gzip.compress(data, mtime=0)
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[k:k + 1000]), body[k:k + 1000]) for k in range(0, len(body), 1000)) + b"0\r\n\r\n"
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
                % ctype.encode()) + chunked
    else:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (ctype.encode(), len(data)) + data
    records.append(record("response", uri, http, ["Content-Type: application/http; msgtype=response"]))
    expected[name] = [status, code]
# A resource record, a redirect, a not-found page.
records.append(record("resource", "file:///saved/076-copy.txt", read("076-pingtan-jingjifazhanju-2023.txt"),
                      ["Content-Type: text/plain; charset=utf-8"]))
expected["076-copy.txt"] = ["checked", None]
records.append(record("response", "http://www.example.gov.cn/old", b"HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n",
                      ["Content-Type: application/http; msgtype=response"]))
expected["/old"] = ["skipped", None]
records.append(record("response", "http://www.example.gov.cn/missing", b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>404</html>",
                      ["Content-Type: application/http; msgtype=response"]))
expected["/missing"] = ["skipped", None]
# The last record is cut short: the crawl was interrupted.
cut = record("response", "http://www.example.gov.cn/cut", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + read("041-pingtan-shiyanqu-2019.html"),
             ["Content-Type: application/http; msgtype=response"])
records.append(cut[:len(cut) // 2])
expected["/cut"] = ["error", "truncated"]

with open(os.path.join(OUT, "pages.warc.gz"), "wb") as f:
    for r in records:
        f.write(gzip.compress(r, mtime=0))
with open(os.path.join(OUT, "whole.warc.gz"), "wb") as f:
    f.write(gzip.compress(b"".join(records), mtime=0))
with open(os.path.join(OUT, "plain.warc"), "wb") as f:
    f.write(b"".join(records))
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"documents": {name: [s, c] for name, _, _, s, c in documents}, "warc": expected}, f, ensure_ascii=False, indent=1)
