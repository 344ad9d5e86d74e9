#!/usr/bin/env python3
"""Which Xen releases' libxl accept each cpuid= name: the libxl_since column of
xl-lib/src/main/resources/dev/xenlevelling/xl/cpuid/libxl-cpuid-names.csv.

Reads, at every RELEASE-4.17.0 ... RELEASE-4.22.0 tag of a Xen git repository, the two places
libxl_cpuid_parse_config looks a name up: the hard-coded cpuid_flags[] table of
tools/libs/light/libxl_cpuid.c, then (4.17.2 and later, where that file uses INIT_FEATURE_NAMES or
INIT_FEATURE_NAME_TO_VAL) every XEN_CPUFEATURE of that tag's cpufeatureset.h, named as gen-cpuid.py
names them (lower case, '_' -> '-'). It checks that each accepted name means the bits the CSV
gives it, that within a stable line a name once accepted stays accepted, and that 4.17.7 accepts
exactly the rows the real libxl 4.17.7 accepted (in_4_17, from the oracle); then prints the CSV
with the column filled: the first release of each line that accepts the name, space-separated
("4.17.2 4.18.0 ..."). Stdlib only. Reads Xen's source for facts; nothing of it is copied.

Usage: python3 oracle/libxl-names-by-release.py XEN_GIT_DIR NAMES_CSV FEATURES_CSV > NEW_CSV
  e.g. XEN_GIT_DIR a clone of xen.git, NAMES_CSV the resource above, FEATURES_CSV
  xc-core/src/main/resources/dev/xenlevelling/xc/policy/xen-features.csv
"""
import csv
import io
import re
import subprocess
import sys

LINES = ["4.17", "4.18", "4.19", "4.20", "4.21", "4.22"]
HEADERS = ["xen/include/public/arch-x86/cpufeatureset.h"]
LIBXL = "tools/libs/light/libxl_cpuid.c"
REG = {"EAX": "eax", "EBX": "ebx", "ECX": "ecx", "EDX": "edx"}


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo] + list(args), check=True,
                          stdout=subprocess.PIPE).stdout.decode()


def tags(repo):
    out = []
    for t in git(repo, "tag", "-l", "RELEASE-4.*").split():
        m = re.fullmatch(r"RELEASE-(4\.\d+)\.(\d+)", t)
        if m and m.group(1) in LINES:
            out.append((m.group(1), int(m.group(2)), t))
    return sorted(out, key=lambda x: (LINES.index(x[0]), x[1]))


def accepted(repo, tag):
    """Returns {name: (leaf, subleaf, reg, first_bit, length)} libxl of tag accepts."""
    src = git(repo, "show", tag + ":" + LIBXL)
    table = src[src.index("cpuid_flags[] = {"):]
    table = table[:table.index("{NULL")]
    names = {}
    for m in re.finditer(r'\{"([^"]+)",\s*(0x[0-9a-fA-F]+),\s*(NA|\d+),\s*CPUID_REG_(\w+),'
                         r'\s*(\d+),\s*(\d+)\}', table):
        sub = "" if m.group(3) == "NA" else m.group(3)
        names[m.group(1)] = ("0x%08x" % int(m.group(2), 16), sub, REG[m.group(4)],
                             int(m.group(5)), int(m.group(6)))
    if "INIT_FEATURE_NAME" in src:
        hdr = git(repo, "show", tag + ":" + HEADERS[0])
        for m in re.finditer(r"^XEN_CPUFEATURE\((\w+),\s*(\d+)\*32\s*\+\s*(\d+)\)", hdr, re.M):
            name = m.group(1).lower().replace("_", "-")
            names.setdefault(name, ("feature", int(m.group(2)), int(m.group(3))))
    return names


def main():
    repo, path = sys.argv[1], sys.argv[2]
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    features = {}
    with open(sys.argv[3], newline="") as f:
        for r in csv.DictReader(f):
            features[r["name"]] = r
    by_name = {r["name"]: r for r in rows}
    since = {r["name"]: {} for r in rows}
    seen = {}
    for line, patch, tag in tags(repo):
        acc = accepted(repo, tag)
        for name, what in acc.items():
            if name not in by_name:
                sys.exit("%s accepts %s, which the CSV lacks" % (tag, name))
            r = by_name[name]
            if what[0] != "feature":
                want = (r["leaf"], r["subleaf"], r["register"], int(r["first_bit"]),
                        int(r["bit_length"]))
                if what != want:
                    sys.exit("%s: %s means %s, the CSV says %s" % (tag, name, what, want))
            elif name in features:
                word, bit = what[1], what[2]
                fr = features[name]
                if (int(fr["word"]), int(fr["bit"])) != (word if bit < 32 else word + 1,
                                                         bit if bit < 32 else bit - 32):
                    sys.exit("%s: %s at %s*32+%s, the CSV says %s %s" % (tag, name, word, bit,
                                                                        fr["word"], fr["bit"]))
            since[name].setdefault(line, patch)
        for name in since:
            if line in since[name] and name not in acc:
                sys.exit("%s drops %s, accepted since %s.%s" % (tag, name, line,
                                                                since[name][line]))
        if tag == "RELEASE-4.17.7":
            want = {r["name"] for r in rows if r["in_4_17"] == "yes"}
            if set(acc) != want:
                sys.exit("4.17.7 from source differs from the oracle's in_4_17: %s"
                         % sorted(set(acc) ^ want))
        seen[tag] = len(acc)
    out = io.StringIO()
    fields = list(rows[0].keys())
    if "libxl_since" not in fields:
        fields.append("libxl_since")
    w = csv.DictWriter(out, fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        r["libxl_since"] = " ".join("%s.%d" % (l, since[r["name"]][l]) for l in LINES
                                    if l in since[r["name"]])
        w.writerow(r)
    sys.stdout.write(out.getvalue())
    for tag, n in seen.items():
        print("%s: %d names" % (tag, n), file=sys.stderr)


main()
