#!/usr/bin/env python3
"""Makes assets/corpus-223d15f.bin, the corpus snapshot built into the binary.

    python3 scripts/embed-corpus.py [DIR] [OUT]

DIR (default ../shared/corpus/baseline-223d15f) is the data files of cncf/k8s-ai-conformance at
commit 223d15f97434ea478f1440d73901435d16503682 (2026-03-16), the commit the published analysis was
made from: the submissions, the checklist templates (docs/AIConformance-*.yaml) and the LICENSE
(Apache-2.0). Images and PDFs are left out (the scan skips them). The same files are in
tests/fixtures/history.bundle at tag baseline-223d15f (`git archive baseline-223d15f`).

Format (read by src/source/embedded.rs): a zlib stream of records, in path order, each
`PATH \\0 SIZE \\0 BYTES` with SIZE in decimal. The output is byte-for-byte reproducible.
"""

import os
import sys
import zlib

SKIP = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".ico")

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/baseline-223d15f"
out = sys.argv[2] if len(sys.argv) > 2 else "assets/corpus-223d15f.bin"

paths = []
for root, dirs, files in os.walk(src):
    dirs[:] = [d for d in dirs if d != ".git"]
    for f in files:
        p = os.path.relpath(os.path.join(root, f), src).replace(os.sep, "/")
        if not p.lower().endswith(SKIP):
            paths.append(p)
paths.sort()

raw = bytearray()
for p in paths:
    data = open(os.path.join(src, p), "rb").read()
    raw += p.encode() + b"\0" + str(len(data)).encode() + b"\0" + data
packed = zlib.compress(bytes(raw), 9)
open(out, "wb").write(packed)
print(f"{out}: {len(paths)} files, {len(raw)} bytes, {len(packed)} compressed", file=sys.stderr)
