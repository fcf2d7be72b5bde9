#!/usr/bin/env python3
"""Times `aiconf lsp` re-checking one rule file as it is edited.

Starts the server (`AICONF_LSP_TIMING=1`, so it logs the time of every re-check on
stderr), opens a copy of rules/kueue.rule inside a copy of rules/ (so the file is
checked with the 65 other built-in rules beside it), sends N `didChange` edits, and
reports two figures: the server's own re-check time (load + lint + examples of the
file + diagnostics), and the round trip from writing `didChange` to reading its
`publishDiagnostics` (JSON-RPC and the pipe included).

    python3 bench/lsp_recheck.py [BINARY] [N]     # default target/release/aiconf, 50
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/aiconf"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 50

work = tempfile.mkdtemp()
shutil.copytree("rules", os.path.join(work, "rules"))
path = os.path.join(work, "rules", "kueue.rule")
text = open(path).read()
uri = "file://" + path

env = dict(os.environ, AICONF_LSP_TIMING="1")
p = subprocess.Popen([binary, "lsp", "--corpus", "corpus/authoring"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def send(msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def read():
    length = 0
    while True:
        line = p.stdout.readline().strip()
        if not line:
            break
        if line.startswith(b"Content-Length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))


def wait(pred):
    while True:
        m = read()
        if pred(m):
            return m


send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
wait(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "aiconf", "version": 1, "text": text}}})
wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")

round_trips = []
for i in range(n):
    edited = text.replace("Kubernetes-native job queueing", "Kubernetes-native job queueing %d" % i)
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [{"text": edited}]}})
    wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    round_trips.append((time.perf_counter() - start) * 1000)

send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
wait(lambda m: m.get("id") == 2)
send({"jsonrpc": "2.0", "method": "exit", "params": None})
err = p.communicate(timeout=30)[1].decode()
server = [float(l.split(" in ")[1].split(" ms")[0]) for l in err.splitlines() if "re-checked" in l][1:]
shutil.rmtree(work)


def show(name, xs):
    xs = sorted(xs)
    print("%-28s n=%d  median %.1f ms  p90 %.1f ms  max %.1f ms" % (
        name, len(xs), statistics.median(xs), xs[int(len(xs) * 0.9) - 1], xs[-1]))


show("server re-check", server)
show("didChange -> diagnostics", round_trips)
