#!/usr/bin/env python3
"""The corpora of BENCHMARKS.md's "A submission of 100,000 files and a 2 GiB file": the same shapes
as tests/it/huge.rs builds, at any size.

  python3 bench/huge_corpora.py OUT crowd N   # OUT/dir-N, OUT/repo-N.git, OUT/crowd-N.bundle: a
                                              # submission of N small notes (the last names
                                              # Volcano) beside three others naming Kueue
  python3 bench/huge_corpora.py OUT huge SIZE # OUT/huge-SIZE.git and OUT/hugedir-SIZE: a log of
                                              # SIZE bytes, its last line naming Volcano 1.12

The git ones go through `git fast-import` (the large blob streamed into it); the revision is `main`.
"""
import os
import subprocess
import sys

PRODUCT = (b'metadata:\n  kubernetesVersion: v1.34\n  platformName: P\n  vendorName: V\nspec:\n'
           b'  schedulingOrchestration:\n    - id: gang_scheduling\n      status: Implemented\n'
           b'      evidence: []\n      notes: "Kueue v0.14.2"\n')


def product(name):
    return (f"metadata:\n  kubernetesVersion: v1.34\n  platformName: {name}\n"
            f"  vendorName: V\nspec: {{}}\n").encode()


OTHERS = [("v1.34/big/PRODUCT.yaml", product("Big")), ("v1.34/many/PRODUCT.yaml", product("Many")),
          ("v1.34/small/PRODUCT.yaml", PRODUCT), ("v1.35/other/PRODUCT.yaml", PRODUCT)]


def note(i, n):
    if i == n - 1:
        return b"# Batch\n\nWe also run Volcano 1.12 for batch jobs.\n"
    return f"# Note {i}\n\nThe nodes were checked on day {i}; nothing to add.\n".encode()


def fast_import(repo, files):
    """One commit on main of `files`: (path, bytes) or (path, (size, iterator of blocks))."""
    subprocess.run(["git", "init", "-q", "--bare", repo], check=True)
    p = subprocess.Popen(["git", "-c", "pack.compression=1", "fast-import", "--quiet"],
                         cwd=repo, stdin=subprocess.PIPE)
    w = p.stdin
    w.write(b"commit refs/heads/main\ncommitter t <t@example.com> 1767225600 +0000\ndata 4\nhuge\n")
    for path, data in files:
        if isinstance(data, tuple):
            size, blocks = data
            w.write(f"M 100644 inline {path}\ndata {size}\n".encode())
            for block in blocks:
                w.write(block)
        else:
            w.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode())
            w.write(data)
        w.write(b"\n")
    w.close()
    assert p.wait() == 0


def write_dir(root, files):
    for path, data in files:
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "wb") as f:
            if isinstance(data, tuple):
                for block in data[1]:
                    f.write(block)
            else:
                f.write(data)


def log(size):
    """A log of `size` bytes, a block at a time, its last line naming Volcano 1.12."""
    line = (b"I0319 12:00:00.000000 1 controller.go:42] reconciling pods in namespace default,"
            b" nothing to do\n")
    block = line * ((1 << 20) // len(line))
    tail = b"deployed the batch scheduler, Volcano 1.12 ready\n"
    body = size - len(tail)

    def blocks():
        for _ in range(body // len(block)):
            yield block
        rest = body % len(block)
        if rest:
            yield b"-" * (rest - 1) + b"\n"
        yield tail
    return size, blocks


def main():
    out, kind, n = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    if kind == "crowd":
        # Fast-import finds a folder's entries by a linear search: 100,000 in one folder take it
        # about 30 s here (the test builds its tree with update-index instead).
        files = OTHERS + [(f"v1.34/many/notes/n{i:06}.md", note(i, n)) for i in range(n)]
        write_dir(os.path.join(out, f"dir-{n}"), files)
        repo = os.path.join(out, f"repo-{n}.git")
        fast_import(repo, files)
        bundle = os.path.join(out, f"crowd-{n}.bundle")
        subprocess.run(["git", "-C", repo, "bundle", "create", "-q", bundle, "--all"], check=True)
    elif kind == "huge":
        size, blocks = log(n)
        fast_import(os.path.join(out, f"huge-{n}.git"),
                    OTHERS + [("v1.34/big/dump.log", (size, blocks()))])
        write_dir(os.path.join(out, f"hugedir-{n}"),
                  OTHERS + [("v1.34/big/dump.log", (size, blocks()))])
    else:
        sys.exit(f"unknown kind {kind!r}: crowd or huge")


if __name__ == "__main__":
    main()
