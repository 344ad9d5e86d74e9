#!/usr/bin/env python3
"""Pack gen-golden.py's output into the test resources the Java tests read.

  xen-cpuid-tool/src/test/resources/golden/xen-cpuid-4.17.7/cases.jsonl  (one object a case:
      id, argv0, args, stdout, stderr, rc) and names-4.17.txt
  xl-lib/src/test/resources/golden/libxl-cpuid-4.17.7/cases.jsonl        (as generated)
Usage: python3 oracle/pack.py
"""
import csv
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.environ.get("GOLDEN_OUT", os.path.join(HERE, "out"))


def main():
    src = os.path.join(OUT, "xen-cpuid")
    dst = os.path.join(ROOT, "xen-cpuid-tool/src/test/resources/golden/xen-cpuid-4.17.7")
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(src, "cases.tsv"), newline="") as f, \
            open(os.path.join(dst, "cases.jsonl"), "w") as out:
        for row in csv.DictReader(f, delimiter="\t"):
            cid = row["id"]
            def read(ext):
                with open(os.path.join(src, cid + ext), "rb") as g:
                    return g.read().decode("utf-8")
            case = {"id": cid, "argv0": row["argv0"], "args": json.loads(row["args_json"]),
                    "stdout": read(".out"), "stderr": read(".err"), "rc": int(row["rc"])}
            out.write(json.dumps(case, sort_keys=False) + "\n")
    shutil.copy(os.path.join(src, "names-4.17.txt"), dst)
    dst2 = os.path.join(ROOT, "xl-lib/src/test/resources/golden/libxl-cpuid-4.17.7")
    os.makedirs(dst2, exist_ok=True)
    shutil.copy(os.path.join(OUT, "libxl-cpuid", "cases.jsonl"), dst2)


if __name__ == "__main__":
    main()
