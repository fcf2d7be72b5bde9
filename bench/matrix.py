#!/usr/bin/env python3
"""The adoption matrix as an analyst would compute it without aiconf: PyYAML + re.

One regex per project (from `projects.json`, which `cargo bench --bench scale -- patterns DIR`
writes from the rules). A PRODUCT.yaml counts its metadata and every requirement field but
`description`; every other text file counts whole. A project is M when a version follows one of
its matches, X when it is matched, - otherwise. Prints the matrices as JSON, shaped like
`aiconf matrix --format json`.

    python3 bench/matrix.py --corpus DIR --projects projects.json [--libyaml]
"""
import argparse
import json
import os
import re
import sys

import yaml

BINARY = {"png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "svg", "pdf", "zip", "gz", "tgz", "tar",
          "xz", "bz2", "7z", "bin", "exe", "so", "dylib", "woff", "woff2", "ttf", "otf", "mp4", "mov",
          "webm", "xlsx", "docx", "pptx"}
VERSION_FOLDER = re.compile(r"^v\d+\.\d+$")
VERSION = re.compile(r"""[ \t:=@"'(/]{0,3}(?:(?:version|ver\.|release|chart|tag|image)[ \t:=]{1,3})?v?\d{1,4}\.\d{1,4}""",
                     re.IGNORECASE)


def vendor_strings(doc):
    """The checklist's filled-in values: metadata and requirements without their descriptions."""
    if not isinstance(doc, dict):
        return
    for v in (doc.get("metadata") or {}).values():
        yield str(v)
    for reqs in (doc.get("spec") or {}).values():
        for req in reqs or []:
            if not isinstance(req, dict):
                continue
            for k, v in req.items():
                if k == "description" or v is None:
                    continue
                if isinstance(v, list):
                    yield from (str(x) for x in v)
                else:
                    yield str(v)


def submission_texts(folder, loader):
    for root, _, files in os.walk(folder):
        for name in files:
            if name.rsplit(".", 1)[-1].lower() in BINARY:
                continue
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            if name == "PRODUCT.yaml":
                try:
                    yield from vendor_strings(yaml.load(text, Loader=loader))
                except yaml.YAMLError:
                    yield text
            else:
                yield text


def cell(regex, texts):
    found = "-"
    for t in texts:
        for m in regex.finditer(t):
            if VERSION.match(t, m.end()):
                return "M"
            found = "X"
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--projects", required=True)
    ap.add_argument("--libyaml", action="store_true", help="PyYAML's C loader instead of yaml.safe_load's")
    args = ap.parse_args()
    loader = yaml.CSafeLoader if args.libyaml else yaml.SafeLoader
    projects = []
    for p in json.load(open(args.projects)):
        try:
            projects.append((p["name"], re.compile(p["regex"], re.IGNORECASE)))
        except re.error as e:
            print(f"skipping {p['name']}: {e}", file=sys.stderr)

    cells = {}
    versions = sorted((v for v in os.listdir(args.corpus) if VERSION_FOLDER.match(v)),
                      key=lambda v: [int(x) for x in v[1:].split(".")])
    for version in versions:
        for sub in sorted(os.listdir(os.path.join(args.corpus, version)), key=lambda s: (s.lower(), s)):
            folder = os.path.join(args.corpus, version, sub)
            if not os.path.isdir(folder):
                continue
            texts = list(submission_texts(folder, loader))
            cells[f"{version}/{sub}"] = {name: cell(rx, texts) for name, rx in projects}

    stacks = {name: sum(1 for row in cells.values() if row[name] != "-") for name, _ in projects}
    order = sorted(stacks, key=lambda n: -stacks[n])
    out = []
    for version in versions:
        subs = [s for s in cells if s.split("/")[0] == version]
        rows = [{"project": n, "cells": [cells[s][n] for s in subs]} for n in order]
        rows = [r for r in rows if any(c != "-" for c in r["cells"])]
        out.append({"version": version, "submissions": subs, "rows": rows})
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
