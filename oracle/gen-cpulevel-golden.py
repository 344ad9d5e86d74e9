#!/usr/bin/env python3
"""Differential golden data for issue 15: the cpuid= settings `xl cpu-level` prints for a pool
running Xen 4.17, each fed to Debian's real libxl 4.17.7.

For seeded random pools of the 29 real CPU dumps (per vendor, 1 to 6 hosts), runs
  bin/xl cpu-level --per-vendor --format {cpuid,xend} --xen-version {4.17,4.17.7} DUMP...
and gives every setting it prints, item by item, to libxl_cpuid_oracle (libxl_cpuid_parse_config
for the string form, with `host` dropped as xl drops it; libxl_cpuid_parse_config_xend for each
string of the list form). Writes one tab-separated line per setting:
  id  version  format  type  dumps (space-separated names)  setting  oracle stdout  oracle rc
to xl-cli/src/test/resources/golden/cpu-level-libxl-4.17.7/cases.tsv. The Java test
(CpuLevelOracleTest) prints the same settings again, checks they are these, and that this
project's parser builds from each exactly the JSON real libxl built.

Needs: bin/xl built (mvn -B install -DskipTests) and the oracle (../shared/oracle/build.sh
oracle/out/bin). Stdlib only, deterministic (fixed seed).
Usage: python3 oracle/gen-cpulevel-golden.py
"""
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
DUMPS = os.path.join(TOP, "testdata", "cpu-dumps")
ORACLE = os.environ.get("LIBXL_ORACLE", os.path.join(HERE, "out", "bin", "libxl_cpuid_oracle"))
OUT = os.path.join(TOP, "xl-cli", "src", "test", "resources", "golden",
                   "cpu-level-libxl-4.17.7", "cases.tsv")
XL = os.path.join(TOP, "bin", "xl")
ENV = {"LC_ALL": "C", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
       "XEN_CONFIG_DIR": "/nonexistent"}
POOLS = 40

VENDOR = {"A10": "amd", "Opteron": "amd", "EPYC": "amd", "Hygon": "hygon"}


def vendor(name):
    for prefix, v in VENDOR.items():
        if name.startswith(prefix):
            return v
    return "intel"


def settings(text):
    """Yields (type, setting) for each cpuid= line of cpu-level's output."""
    kind = None
    for line in text.splitlines():
        if line.startswith("# ") and " (type = " in line:
            kind = line.split(" ")[2]
        elif line.startswith("cpuid = "):
            yield kind, line


def items(setting):
    """Returns (mode, args) for the oracle: the string form's items, or the list's strings."""
    value = setting[len("cpuid = "):]
    if value.startswith('"'):
        parts = value.strip('"').split(",")
        assert parts[0] == "host", setting
        return "libxl", parts[1:]
    inner = value.strip("[] ")
    return "xend", [s.strip('"') for s in inner.split('", "')] if inner else []


def main():
    names = sorted(f[len("x86_64-cpuid-"):-len(".xml")] for f in os.listdir(DUMPS)
                   if f.endswith(".xml"))
    by_vendor = {}
    for n in names:
        by_vendor.setdefault(vendor(n), []).append(n)
    rng = random.Random(15)
    rows = []
    for i in range(POOLS):
        v = vendor(rng.choice(names))  # a vendor as often as it has dumps
        pool = rng.sample(by_vendor[v], rng.randint(min(2, len(by_vendor[v])),
                                                    min(6, len(by_vendor[v]))))
        for version in ("4.17", "4.17.7"):
            for fmt in ("cpuid", "xend"):
                argv = [XL, "cpu-level", "--per-vendor", "--format", fmt, "--xen-version",
                        version] + [os.path.join(DUMPS, "x86_64-cpuid-%s.xml" % n) for n in pool]
                p = subprocess.run(argv, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                if p.returncode != 0:
                    sys.exit("%s: %s" % (" ".join(argv), p.stderr.decode()))
                for kind, setting in settings(p.stdout.decode()):
                    mode, args = items(setting)
                    o = subprocess.run([ORACLE] + (["--xend"] if mode == "xend" else []) + args,
                                       env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                    assert not o.stderr, o.stderr
                    out = o.stdout.decode()
                    assert out.endswith("\n") and "\n" not in out[:-1] and "\t" not in out
                    rows.append("\t".join(["pool%02d" % i, version, fmt, kind, " ".join(pool),
                                           setting, out[:-1], str(o.returncode)]))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("id\tversion\tformat\ttype\tdumps\tsetting\toracle_stdout\toracle_rc\n")
        f.write("\n".join(rows) + "\n")
    bad = [r for r in rows if not r.endswith("\t0")]
    print("%d settings, %d refused by libxl 4.17.7 -> %s" % (len(rows), len(bad), OUT))
    for r in bad:
        print(r, file=sys.stderr)


main()
