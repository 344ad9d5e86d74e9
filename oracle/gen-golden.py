#!/usr/bin/env python3
"""Generate golden test data from Debian's real Xen 4.17.7 tools.

Outputs (under $GOLDEN_OUT, default oracle/out/; then run pack.py to refresh the test resources):
  xen-cpuid/cases.tsv, xen-cpuid/<id>.{args,out,err,rc}, xen-cpuid/names-4.17.txt
  libxl-cpuid/cases.jsonl

Needs: /usr/lib/xen-4.17/bin/xen-cpuid (xen-utils-4.17) and bin/libxl_cpuid_oracle
(built by ../shared/oracle/build.sh oracle/out/bin). Stdlib only, deterministic.
Usage: python3 gen-golden.py
"""
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("XEN_SHARED", os.path.join(HERE, "..", "..", "shared"))
OUT = os.environ.get("GOLDEN_OUT", os.path.join(HERE, "out"))
XEN_CPUID = "/usr/lib/xen-4.17/bin/xen-cpuid"
ORACLE = os.path.join(OUT, "bin", "libxl_cpuid_oracle")
DUMPS = os.path.join(SHARED, "cpu-dumps")
NAMES_CSV = os.path.join(SHARED, "libxl-cpuid-names.csv")
FEATURES_CSV = os.path.join(SHARED, "xen-features.csv")
NR_WORDS = 19

# Fixed environment: C locale (getopt messages), nothing else inherited.
ENV = {"LC_ALL": "C", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}


def run(argv, executable):
    """Run argv (argv[0] used verbatim as argv[0]); return (stdout, stderr, rc) as bytes."""
    p = subprocess.run(argv, executable=executable, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
                       cwd="/")
    return p.stdout, p.stderr, p.returncode


def fs(words):
    return ":".join("%08x" % (w & 0xffffffff) for w in words)


# --------------------------------------------------------------------------------------
# A) xen-cpuid
# --------------------------------------------------------------------------------------

STATIC_LATEST = {
    "KNOWN": "bfebfbff:fffefbff:ee500800:6469bfff:0000001f:ffbfffff:fb417fff:00000780:7f9fd205:ffddef3e:ccbe1df7:f89e0d67:00000001:0000007f:00000000:01064530:7fbfffff:40000001:00000006",
    "SPECIAL": "10000200:c8200000:00000000:00000002:00000000:01002850:00000010:00000000:02000000:20000c00:00000000:40000020:00000000:00000000:00000000:00000000:100a0004:40000000:00000000",
    "PV_MAX": "1fc9cbf5:f6d83203:ea500800:442109e3:00000007:f1af0b39:1a405f43:00000100:64001005:ac814510:80801cb7:789c0c65:00000000:00000021:00000000:00004430:1d12e173:40000000:00000006",
    "PV_DEF": "1fc9cbf5:f6d83203:ea500800:442109e3:00000007:f1af0b29:02405f43:00000000:64001005:ac804410:00801c37:781c0c65:00000000:00000021:00000000:00004430:1d12e173:40000000:00000006",
    "HVM_SHADOW_MAX": "1fcbfbff:f7f83203:ea500800:442109f3:0000000f:f1bf4bbb:1a405f47:00000100:751fd005:bc814510:80881cf7:789c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006",
    "HVM_SHADOW_DEF": "1fcbfbff:f7f83203:ea500800:442109f3:0000000f:f1bf0bab:02405f47:00000000:751fd005:bc804410:00881c37:781c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006",
    "HVM_HAP_MAX": "1fcbfbff:f7fa3223:ee500800:442109f7:0000000f:f1bf4fbb:9a405f4f:00000100:751fd005:bc814510:80881cf7:789c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006",
    "HVM_HAP_DEF": "1fcbfbff:f7fa3203:ee500800:442109f3:0000000f:f1bf0fab:82405f4f:00000000:751fd005:bc804410:00881c37:781c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006",
    "SIMPLE_OR": "00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00100000:00000400:00000000:00000022:00000000:00000000:00000000:00000000:10020000:00000000:00000000",
}
STATIC_4177 = {
    "KNOWN": "bfebfbff:fffef3ff:ee500800:2469bfff:0000000f:ffbfffff:3a405fdf:00000780:779fd205:fc91ef1c:00001c30:f8000164:00000001:00000037:00000000:00040000:1fbeffff:40000000:00000006",
    "PV_MAX": "1fc9cbf5:f6d83203:ea500800:042109e3:00000007:fdaf0b39:1a405f43:00000100:64001005:ac01451c:00001c30:78000064:00000000:00000021:00000000:00000000:1d12e173:40000000:00000006",
    "PV_DEF": "1fc9cbf5:f6d83203:ea500800:042109e3:00000007:fdaf0b29:02405f43:00000000:64001005:ac00441c:00001c30:78000064:00000000:00000021:00000000:00000000:1d12e173:40000000:00000006",
    "HVM_HAP_MAX": "1fcbfbff:f7fa3223:ee500800:042109f7:0000000f:fdbf4fbb:1a405f4f:00000100:751fd005:bc01451c:00001c30:78000064:00000000:00000037:00000000:00000000:1d12e173:40000000:00000006",
    "HVM_HAP_DEF": "1fcbfbff:f7fa3203:ee500800:042109f3:0000000f:fdbf0fab:02405f4f:00000000:751fd005:bc00441c:00001c30:78000064:00000000:00000037:00000000:00000000:1d12e173:40000000:00000006",
}

# Xen featureset word order -> (leaf, subleaf, register); None = MSR 0x10a halves.
WORD_SOURCES = [
    (0x1, 0, "edx"), (0x1, 0, "ecx"), (0x80000001, 0, "edx"), (0x80000001, 0, "ecx"),
    (0xd, 1, "eax"), (0x7, 0, "ebx"), (0x7, 0, "ecx"), (0x80000007, 0, "edx"),
    (0x80000008, 0, "ebx"), (0x7, 0, "edx"), (0x7, 1, "eax"), (0x80000021, 0, "eax"),
    (0x7, 1, "ebx"), (0x7, 2, "edx"), (0x7, 1, "ecx"), (0x7, 1, "edx"),
    ("msr", 0x10a, "eax"), ("msr", 0x10a, "edx"), (0x80000021, 0, "ecx"),
]


def dump_featureset(path):
    root = ET.parse(path).getroot()
    leaves = {}
    msrs = {}
    for el in root:
        if el.tag == "cpuid":
            key = (int(el.get("eax_in"), 16), int(el.get("ecx_in"), 16))
            leaves[key] = {r: int(el.get(r), 16) for r in ("eax", "ebx", "ecx", "edx")}
        elif el.tag == "msr":
            msrs[int(el.get("index"), 16)] = {r: int(el.get(r), 16) for r in ("eax", "edx")}
    words = []
    for leaf, sub, reg in WORD_SOURCES:
        if leaf == "msr":
            words.append(msrs.get(sub, {}).get(reg, 0))
        else:
            words.append(leaves.get((leaf, sub), {}).get(reg, 0))
    return words


def xen_cpuid_cases():
    cases = []  # (id, argv0, args)
    add = lambda cid, args, argv0=XEN_CPUID: cases.append((cid, argv0, list(args)))

    # static masks
    for k, v in STATIC_LATEST.items():
        add("static-latest-" + k.lower().replace("_", "-"), [v])
    for k, v in STATIC_4177.items():
        add("static-4177-" + k.lower().replace("_", "-"), [v])
    add("static-all-latest", list(STATIC_LATEST.values()))
    add("static-all-4177", list(STATIC_4177.values()))
    add("readme-example", ["178bfbff:f6d8320b:2c100800:000037ff:0000000f:219c91a9:00400004:00000000"])
    add("facts-example", ["178bfbff:f6d8320b:2fd3fbff:75c237ff:0000000f:219c91a9:00400004:00000500"])

    # CPU dumps
    dump_fs = []
    for f in sorted(os.listdir(DUMPS)):
        m = re.match(r"x86_64-cpuid-(.+)\.xml$", f)
        if not m:
            continue
        words = dump_featureset(os.path.join(DUMPS, f))
        dump_fs.append(fs(words))
        add("dump-%s-raw" % m.group(1), [fs(words)])
    add("dump-all-in-one", dump_fs)

    # simple fixed patterns
    add("zero-1", ["0"])
    add("zero-19", [fs([0] * 19)])
    add("ones-19", [fs([0xffffffff] * 19)])
    add("ones-20", [fs([0xffffffff] * 20)])
    add("ones-22", [fs([0xffffffff] * 22)])
    for n in (18, 19, 20, 21, 22, 25, 40):
        add("count-%02d" % n, [":".join("%x" % (i + 1) for i in range(n))])

    # random featuresets
    rnd = random.Random(20240417)
    densities = [0.0, 0.02, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]
    for i in range(210):
        n = rnd.randint(1, 22)
        d = rnd.choice(densities)
        words = []
        for _ in range(n):
            w = 0
            for b in range(32):
                if rnd.random() < d:
                    w |= 1 << b
            words.append(w)
        style = rnd.random()
        if style < 0.80:
            s = fs(words)
        elif style < 0.88:
            s = ":".join("%x" % w for w in words)          # no zero padding
        elif style < 0.94:
            s = ":".join("%08X" % w for w in words)        # upper case
        else:
            s = ":".join("0x%x" % w for w in words)        # 0x prefixes
        add("rand-%04d" % i, [s])

    # several featuresets in one invocation
    rnd = random.Random(4177)
    for i in range(24):
        k = rnd.randint(2, 6)
        args = []
        for _ in range(k):
            n = rnd.randint(1, 21)
            args.append(fs([rnd.getrandbits(32) & rnd.getrandbits(32) for _ in range(n)]))
        if i % 4 == 1:
            args.insert(rnd.randint(0, len(args)), "zz")
        if i % 4 == 2:
            args.insert(rnd.randint(0, len(args)), "")
        if i % 4 == 3:
            args.insert(rnd.randint(0, len(args)), "1:2:zz")
        add("multi-%02d" % i, args)
    add("multi-static-and-garbage", [STATIC_4177["KNOWN"], "zz", "abc:zz", "", "1-2"])

    # odd inputs
    odd = [
        ("odd-dash-separator", ["178bfbff-f6d8320b"]),
        ("odd-dash-separator-19", ["-".join(["ffffffff"] * 19)]),
        ("odd-0x-prefix", ["0x178bfbff:0xf6d8320b:0X2c100800"]),
        ("odd-0x-only", ["0x"]),
        ("odd-0x-colon", ["0x:1"]),
        ("odd-0xg", ["0xg"]),
        ("odd-0x0x1", ["0x0x1"]),
        ("odd-upper-hex", ["178BFBFF:F6D8320B:2C100800"]),
        ("odd-mixed-case", ["AbCdEf01:aBcDeF01"]),
        ("odd-leading-blanks", ["   178bfbff: f6d8320b:\t2c100800"]),
        ("odd-leading-tab", ["\t1"]),
        ("odd-space-before-colon", ["1 :2"]),
        ("odd-space-between", ["1 2"]),
        ("odd-trailing-space", ["1:2 "]),
        ("odd-trailing-garbage", ["abc:zz"]),
        ("odd-trailing-garbage-2", ["178bfbff:f6d8320bq"]),
        ("odd-empty", [""]),
        ("odd-only-garbage", ["zz"]),
        ("odd-only-garbage-words", ["hello world"]),
        ("odd-only-g", ["g"]),
        ("odd-only-colon", [":"]),
        ("odd-leading-colon", [":178bfbff"]),
        ("odd-trailing-colon", ["178bfbff:"]),
        ("odd-trailing-colons", ["178bfbff::"]),
        ("odd-double-colon", ["178bfbff::f6d8320b"]),
        ("odd-19-trailing-colon", [fs(range(1, 20)) + ":"]),
        ("odd-19-trailing-garbage", [fs(range(1, 20)) + "zz"]),
        ("odd-20-words", [fs(range(1, 21))]),
        ("odd-comma", ["1,2"]),
        ("odd-semicolon", ["1;2"]),
        ("odd-long-word-9", ["123456789"]),
        ("odd-long-word-10", ["ffffffffff:1"]),
        ("odd-long-word-16", ["123456789abcdef0"]),
        ("odd-long-word-17", ["123456789abcdef01:2"]),
        ("odd-very-long-word", ["f" * 40 + ":1"]),
        ("odd-very-long-word-2", ["1" + "0" * 40 + ":1"]),
        ("odd-leading-zeros", ["0000000000000000000001:02"]),
        ("odd-lone-word", ["1"]),
        ("odd-lone-word-ffffffff", ["ffffffff"]),
        ("odd-decimal-looking", ["12345678"]),
        ("odd-decimal-looking-2", ["10:20:30"]),
        ("odd-decimal-big", ["99999999999"]),
        ("odd-plus-sign", ["+1:+2"]),
        ("odd-minus-after-colon", ["1:-2"]),
        ("odd-minus-big", ["1:-ffffffffff"]),
        ("odd-double-sign", ["+-1"]),
        ("odd-sign-only", ["+"]),
        ("odd-dash-only", ["-"]),
        ("odd-negative-as-option", ["-1"]),
        ("odd-negative-after-dashdash", ["--", "-1"]),
        ("odd-negative-words-after-dashdash", ["--", "-1:-2:-3"]),
        ("odd-dashdash-featureset", ["--", "178bfbff"]),
        ("odd-utf8", ["1:\u00e9"]),
        ("odd-info-after-featureset", ["1", "info"]),
        ("odd-detail-after-featureset", ["1", "detail"]),
        ("odd-INFO-uppercase", ["INFO"]),
        ("odd-empty-then-word", ["", "1"]),
        ("odd-hex-letters-words", ["dead:beef:cafe:f00d"]),
        ("odd-hex-word-detail", ["detail:1"]),
        ("odd-word-face", ["face:bad:add"]),
        ("odd-tab-separator", ["1\t2"]),
        ("odd-colon-space-colon", ["1: :2"]),
        ("odd-0x-upper-X-only", ["0X"]),
        ("odd-minus-zero", ["-0:1"]),
        ("odd-19-dash-mixed", ["1:2-3:4"]),
    ]
    for cid, args in odd:
        add(cid, args)

    # modes / options
    modes = [
        ("opt-h", ["-h"]),
        ("opt-help", ["--help"]),
        ("opt-he-abbrev", ["--he"]),
        ("opt-help-with-arg", ["--help=1"]),
        ("opt-h-then-featureset", ["-h", "1"]),
        ("opt-featureset-then-h", ["1", "-h"]),
        ("opt-hz", ["-hz"]),
        ("opt-zh", ["-zh"]),
        ("opt-z", ["-z"]),
        ("opt-bogus", ["--bogus"]),
        ("opt-featureset-then-bogus", ["1:2", "--bogus"]),
        ("opt-i", ["-i"]),
        ("opt-info", ["--info"]),
        ("opt-d", ["-d"]),
        ("opt-detail", ["--detail"]),
        ("opt-v", ["-v"]),
        ("opt-verbose", ["--verbose"]),
        ("opt-d-featureset", ["-d", "1"]),
        ("mode-info", ["info"]),
        ("mode-detail", ["detail"]),
        ("mode-info-extra", ["info", "1"]),
        ("mode-noargs", []),
        ("mode-dashdash-only", ["--"]),
        ("opt-p", ["-p"]),
        ("opt-policy", ["--policy"]),
        ("opt-p-1", ["-p", "1"]),
        ("opt-p1", ["-p1"]),
        ("opt-policy-eq-1", ["--policy=1"]),
        ("opt-p-hex", ["-p", "0x10"]),
        ("opt-p-abc", ["-p", "abc"]),
        ("opt-pabc", ["-pabc"]),
        ("opt-policy-eq-abc", ["--policy=abc"]),
        ("opt-p-range", ["-p", "99999999999999999999"]),
        ("opt-p-neg", ["-p", "-1"]),
        ("opt-p-empty", ["-p", ""]),
        ("opt-p-1junk", ["-p", "1junk"]),
    ]
    for cid, args in modes:
        add(cid, args)
    # argv[0] is printed verbatim in the usage line; err() uses its basename.
    add("argv0-short-h", ["-h"], "xen-cpuid")
    add("argv0-short-z", ["-z"], "xen-cpuid")
    add("argv0-short-noargs", [], "xen-cpuid")
    add("argv0-relative-h", ["-h"], "./bin/xen-cpuid")
    return cases


def gen_xen_cpuid():
    outdir = os.path.join(OUT, "xen-cpuid")
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    cases = xen_cpuid_cases()
    ids = [c[0] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate ids"
    rows = ["id\targv0\trc\tstdout_bytes\tstderr_bytes\targs_json"]
    for cid, argv0, args in cases:
        for a in args:
            assert "\n" not in a and "\0" not in a, (cid, a)
        out, err, rc = run([argv0] + args, XEN_CPUID)
        base = os.path.join(outdir, cid)
        with open(base + ".args", "wb") as f:
            f.write(b"".join(a.encode("utf-8") + b"\n" for a in args))
        with open(base + ".out", "wb") as f:
            f.write(out)
        with open(base + ".err", "wb") as f:
            f.write(err)
        with open(base + ".rc", "wb") as f:
            f.write(b"%d\n" % rc)
        rows.append("%s\t%s\t%d\t%d\t%d\t%s" % (cid, argv0, rc, len(out), len(err),
                                               json.dumps(args, ensure_ascii=True)))
    with open(os.path.join(outdir, "cases.tsv"), "wb") as f:
        f.write(("\n".join(rows) + "\n").encode("ascii"))

    # single-bit name table
    lines = []
    for w in range(NR_WORDS):
        for b in range(32):
            words = [0] * NR_WORDS
            words[w] = 1 << b
            out, err, rc = run([XEN_CPUID, fs(words[: w + 1])], XEN_CPUID)
            assert rc == 0 and err == b"", (w, b, out, err)
            text = out.decode("ascii").splitlines()
            line = text[1 + w]
            assert line.startswith("  [%02u] " % w), line
            names = line[7 + 24:].split()
            assert len(names) == 1, line
            lines.append("%d %d %s" % (w, b, names[0]))
    with open(os.path.join(outdir, "names-4.17.txt"), "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print("xen-cpuid: %d cases, %d name lines" % (len(cases), len(lines)))
    return len(cases)


# --------------------------------------------------------------------------------------
# B) libxl cpuid= parser
# --------------------------------------------------------------------------------------

VALUES = [("0", "0"), ("1", "1"), ("x", "x"), ("k", "k"), ("s", "s"),
          ("2", "2"), ("3", "3"), ("neg1", "-1"), ("hex1", "0x1"), ("oct010", "010"),
          ("08", "08"), ("1abc", "1abc"), ("sp1", " 1"), ("empty", ""), ("true", "true"),
          ("upperX", "X"), ("xyz", "xyz")]
MULTIBIT = ["family", "model", "stepping", "maxleaf", "clflush", "brandid", "proccount",
            "localapicid", "procpkg", "nc", "apicidsize", "maxhvleaf"]
NUMBERS = ["0", "1", "6", "15", "16", "0x17", "0x19", "0x55", "0x8e", "0x8f", "0xff",
           "0x100", "0xffffffff", "4294967296", "-1", "x", "k", "s",
           # extras
           "0x7f", "0x80", "0x10f", "255", "256", "0x0f", "-16", "18446744073709551615",
           "18446744073709551616", "0xffffffffffffffffff"]
REGS = ["eax", "ebx", "ecx", "edx"]


def load_names():
    with open(NAMES_CSV, newline="") as f:
        return list(csv.DictReader(f))


def tag(s):
    return re.sub(r"[^A-Za-z0-9._+-]", "_", s)


def libxl_cases():
    names = load_names()
    assert len(names) == 331
    cases = []  # (id, mode, args)
    add = lambda cid, mode, args: cases.append((cid, mode, list(args)))

    for row in names:
        n = row["name"]
        for t, v in VALUES:
            add("name-%s-%s" % (n, t), "libxl", ["%s=%s" % (n, v)])
    for n in MULTIBIT:
        for v in NUMBERS:
            add("num-%s-%s" % (n, tag(v)), "libxl", ["%s=%s" % (n, v)])

    # syntax oddities
    odd = [
        ("syn-no-eq", ["sse3"]),
        ("syn-no-eq-unknown", ["bogus"]),
        ("syn-host", ["host"]),
        ("syn-host-eq", ["host=1"]),
        ("syn-two-eq", ["sse3=0=1"]),
        ("syn-two-eq-2", ["sse3=1=0"]),
        ("syn-eq-only", ["="]),
        ("syn-eq-value", ["=1"]),
        ("syn-empty", [""]),
        ("syn-upper", ["SSE3=1"]),
        ("syn-upper-2", ["Sse3=1"]),
        ("syn-upper-family", ["FAMILY=6"]),
        ("syn-space-before-name", [" sse3=1"]),
        ("syn-space-after-name", ["sse3 =1"]),
        ("syn-trailing-space-value", ["sse3=1 "]),
        ("syn-comma-inside", ["sse3=1,sse3=0"]),
        ("syn-underscore-vs-dash", ["sse4_1=1", "sse4.1=0", "sse4-1=1"]),
        ("syn-clflush-field", ["clflush=8"]),
        ("syn-clfsh-flag", ["clfsh=1"]),
        ("syn-clflush-1", ["clflush=1"]),
        ("syn-override", ["sse3=0", "sse3=1"]),
        ("syn-override-2", ["sse3=1", "sse3=0"]),
        ("syn-override-family", ["family=6", "family=0x17"]),
        ("syn-override-field-bit", ["family=0x17", "stepping=3", "model=0x55"]),
        ("syn-error-midway", ["sse3=1", "bogus=1", "avx=0"]),
        ("syn-error-first", ["bogus=1", "sse3=1"]),
        ("syn-msr-multi", ["rdcl-no=1", "ibrs-all=0", "rsba=k", "taa-no=s"]),
        ("syn-msr-x", ["rdcl-no=x"]),
        ("syn-msr-s", ["rdcl-no=s"]),
        ("syn-msr-10", ["rdcl-no=10"]),
        ("syn-msr-xyz", ["rdcl-no=xyz"]),
        ("syn-msr-empty", ["rdcl-no="]),
        ("syn-leaf-order", ["avx2=1", "sse3=0", "lm=1", "avx2=0", "fpu=1"]),
        ("syn-noargs", []),
        ("syn-many-same-leaf", ["fpu=1", "vme=0", "de=x", "pse=k", "tsc=s", "msr=1"]),
        ("syn-value-plus", ["sse3=+1"]),
        ("syn-value-tab", ["sse3=\t1"]),
        ("syn-value-newline", ["sse3=\n1"]),
        ("syn-value-0x", ["sse3=0x"]),
        ("syn-value-0xg", ["sse3=0xg"]),
        ("syn-value-K", ["sse3=K"]),
        ("syn-value-S", ["sse3=S"]),
        ("syn-value-0-char", ["sse3=-"]),
        ("syn-value-kx", ["sse3=kx"]),
        ("syn-family-neg", ["family=-1"]),
        ("syn-family-x-then-num", ["family=x", "family=6"]),
        ("syn-model-k", ["model=k"]),
    ]
    for cid, args in odd:
        add(cid, "libxl", args)

    # random item lists
    rnd = random.Random(1747)
    all_names = [r["name"] for r in names]
    yes_names = [r["name"] for r in names if r["in_4_17"] == "yes"]
    rvals = ["0", "1", "x", "k", "s", "0", "1", "x", "k", "s", "2", "3", "-1", "0x1",
             "010", "08", "1abc", " 1", "", "true", "X", "xyz"]
    for i in range(1500):
        n = rnd.randint(1, 8)
        items = []
        for _ in range(n):
            r = rnd.random()
            if items and r < 0.2:
                nm = rnd.choice(items).split("=", 1)[0]       # repeat a name
            elif r < 0.97:
                nm = rnd.choice(yes_names)
            else:
                nm = rnd.choice(all_names)
            if nm in MULTIBIT and rnd.random() < 0.7:
                v = rnd.choice(NUMBERS)
            elif rnd.random() < 0.9:
                v = rnd.choice(["0", "1", "x", "k", "s"])
            else:
                v = rnd.choice(rvals)
            items.append("%s=%s" % (nm, v))
        if rnd.random() < 0.02:
            items.insert(rnd.randint(0, len(items)), rnd.choice(["sse3", "", "SSE3=1", "foo=1"]))
        add("rand-%04d" % i, "libxl", items)

    # xend list form
    def bits(rnd, alphabet="01xks"):
        return "".join(rnd.choice(alphabet) for _ in range(32))

    X32 = "x" * 32
    fixed = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0x"
    xend = [
        ("xend-readme", ["0x1:ecx=" + fixed]),
        ("xend-leaf-dec", ["1:ecx=" + fixed]),
        ("xend-leaf-hex-upper", ["0X1:ecx=" + fixed]),
        ("xend-leaf-octal", ["010:eax=" + fixed]),
        ("xend-leaf-sub-dec", ["7,0:ebx=" + fixed]),
        ("xend-leaf-sub-hex", ["0x7,0x0:ebx=" + fixed]),
        ("xend-leaf-sub-1", ["0xd,1:eax=" + fixed]),
        ("xend-leaf-ext", ["0x80000001:edx=" + fixed]),
        ("xend-leaf-ext-dec", ["2147483649:edx=" + fixed]),
        ("xend-leaf-big", ["0xffffffff:eax=" + fixed]),
        ("xend-leaf-overflow32", ["0x100000001:eax=" + fixed]),
        ("xend-leaf-overflow64", ["0x10000000000000001:eax=" + fixed]),
        ("xend-leaf-neg", ["-1:eax=" + fixed]),
        ("xend-leaf-plus", ["+1:eax=" + fixed]),
        ("xend-leaf-space", [" 1:eax=" + fixed]),
        ("xend-leaf-space-after", ["1 :eax=" + fixed]),
        ("xend-sub-space", ["7, 0:eax=" + fixed]),
        ("xend-sub-neg", ["7,-1:eax=" + fixed]),
        ("xend-all-regs", ["1:eax=%s,ebx=%s,ecx=%s,edx=%s" % ("0" * 32, "1" * 32, "k" * 32, "s" * 32)]),
        ("xend-regs-space", ["1:eax=%s, ebx=%s,  ecx=%s" % ("0" * 32, "1" * 32, "k" * 32)]),
        ("xend-regs-newline", ["1:eax=%s,\nebx=%s,\n\tecx=%s" % ("0" * 32, "1" * 32, "k" * 32)]),
        ("xend-regs-space-before-comma", ["1:eax=%s ,ebx=%s" % ("0" * 32, "1" * 32)]),
        ("xend-reg-repeat", ["1:eax=%s,eax=%s" % ("0" * 32, "1" * 32)]),
        ("xend-reg-order", ["1:edx=%s,eax=%s" % ("0" * 32, "1" * 32)]),
        ("xend-trailing-comma", ["1:eax=%s," % ("0" * 32)]),
        ("xend-leaf-only", ["1:"]),
        ("xend-leaf-sub-only", ["7,0:"]),
        ("xend-same-leaf-twice", ["1:eax=" + "0" * 32, "1:eax=" + "1" * 32]),
        ("xend-same-leaf-diff-regs", ["1:eax=" + "0" * 32, "1:ecx=" + "1" * 32]),
        ("xend-diff-subleaf", ["7,0:ebx=" + "0" * 32, "7,1:eax=" + "1" * 32, "7:ebx=" + "k" * 32]),
        ("xend-invalid-leaf", ["zz:eax=" + X32]),
        ("xend-invalid-leaf-empty", [":eax=" + X32]),
        ("xend-invalid-leaf-0x", ["0x:eax=" + X32]),
        ("xend-invalid-leaf-trailing", ["1z:eax=" + X32]),
        ("xend-invalid-subleaf", ["7,zz:eax=" + X32]),
        ("xend-invalid-subleaf-empty", ["7,:eax=" + X32]),
        ("xend-invalid-subleaf-trailing", ["7,0z:eax=" + X32]),
        ("xend-two-subleaves", ["7,0,1:eax=" + X32]),
        ("xend-missing-colon", ["0x1eax=" + X32]),
        ("xend-missing-colon-2", ["1"]),
        ("xend-missing-colon-3", ["1;eax=" + X32]),
        ("xend-empty", [""]),
        ("xend-bad-reg-eex", ["1:eex=" + X32]),
        ("xend-bad-reg-fax", ["1:fax=" + X32]),
        ("xend-bad-reg-ebz", ["1:ebz=" + X32]),
        ("xend-bad-reg-EAX", ["1:EAX=" + X32]),
        ("xend-bad-reg-short", ["1:ea=" + X32]),
        ("xend-bad-reg-empty", ["1:=" + X32]),
        ("xend-reg-no-eq", ["1:eax" + X32]),
        ("xend-reg-no-eq-2", ["1:eaxx" + X32[1:]]),
        ("xend-reg-long", ["1:eaxx=" + X32]),
        ("xend-second-reg-bad", ["1:eax=%s,ebz=%s" % (X32, X32)]),
        ("xend-len-31", ["1:eax=" + "x" * 31]),
        ("xend-len-33", ["1:eax=" + "x" * 33]),
        ("xend-len-0", ["1:eax="]),
        ("xend-len-31-then-reg", ["1:eax=%s,ebx=%s" % ("x" * 31, X32)]),
        ("xend-len-33-then-reg", ["1:eax=%s,ebx=%s" % ("x" * 33, X32)]),
        ("xend-chars-z", ["1:eax=" + "z" * 32]),
        ("xend-chars-mixed", ["1:eax=0123456789abcdefghijklmnopqrstuv"]),
        ("xend-chars-upper", ["1:eax=" + "X" * 32]),
        ("xend-chars-space", ["1:eax=" + " " * 32]),
        ("xend-chars-comma-inside", ["1:eax=" + "x" * 16 + "," + "x" * 15]),
        ("xend-error-midway", ["1:eax=" + X32, "zz:eax=" + X32, "2:eax=" + X32]),
        ("xend-noargs", []),
        ("xend-regs-newline-only", ["1:eax=%s,\nebx=%s,\n  ecx=%s" % ("0" * 32, "1" * 32, "k" * 32)]),
        ("xend-regs-tab-after-comma", ["1:eax=%s,\tebx=%s" % ("0" * 32, "1" * 32)]),
        ("xend-regs-crlf-after-comma", ["1:eax=%s,\r\nebx=%s" % ("0" * 32, "1" * 32)]),
        ("xend-reg-junk-before-eq", ["1:eaxjunk=" + X32]),
        ("xend-reg-backtick", ["1:e`x=" + X32]),
        ("xend-reg-upper-middle", ["1:eAx=" + X32]),
        ("xend-reg-space-middle", ["1:e x=" + X32]),
        ("xend-leaf-ffffffff-between", ["1:eax=" + X32, "0xffffffff:eax=" + "1" * 32, "2:ebx=" + X32]),
        ("xend-leaf-ffffffff-first", ["0xffffffff:eax=" + "1" * 32, "2:ebx=" + X32]),
        ("xend-leaf-ffffffff-twice", ["0xffffffff:eax=" + X32, "2:ebx=" + X32, "0xffffffff:ecx=" + X32, "3:ebx=" + X32]),
        ("xend-leaf-ffffffff-only", ["0xffffffff:eax=" + X32]),
        ("xend-leaf-ffffffff-sub0", ["4294967295,0:eax=" + X32, "1:eax=" + X32]),
        ("xend-sub-ffffffff-merges", ["7,0xffffffff:eax=" + X32, "7:ebx=" + X32]),
        ("xend-sub-0-vs-none", ["7,0:eax=" + X32, "7:eax=" + "1" * 32]),
        ("xend-sub-big", ["7,0x100000000:eax=" + X32]),
        ("xend-libxl-syntax", ["sse3=1"]),
    ]
    for cid, args in xend:
        add(cid, "xend", args)

    rnd = random.Random(3417)
    leaves = [(0, None), (1, None), (6, None), (7, 0), (7, 1), (7, 2), (0xd, 1), (0xd, 0),
              (0x80000001, None), (0x80000007, None), (0x80000008, None),
              (0x80000021, None), (0x40000000, None), (4, 0), (0x8000000a, None)]
    for i in range(450):
        k = rnd.randint(1, 4)
        args = []
        for _ in range(k):
            leaf, sub = rnd.choice(leaves)
            if rnd.random() < 0.2 and sub is None:
                sub = rnd.randint(0, 3)
            fmt = rnd.choice(["%d", "%#x", "0x%08x", "%#X"])
            s = fmt % leaf
            if sub is not None:
                s += "," + (rnd.choice(["%d", "%#x"]) % sub)
            regs = rnd.sample(REGS, rnd.randint(1, 4))
            if rnd.random() < 0.1:
                regs.append(rnd.choice(REGS))
            parts = []
            for r in regs:
                alpha = rnd.choice(["01xks", "x", "01", "xk", "0", "1", "01xks"])
                parts.append("%s=%s" % (r, bits(rnd, alpha)))
            seps = [rnd.choice([",", ",", ", ", ",\n", ",\n    ", ",  "]) for _ in parts[1:]]
            s += ":" + parts[0] + "".join(sep + p for sep, p in zip(seps, parts[1:]))
            # occasional corruption
            c = rnd.random()
            if c < 0.02:
                s = s.replace(":", "", 1)
            elif c < 0.04:
                s = "q" + s
            elif c < 0.06:
                s = s[:-1]
            elif c < 0.08:
                s = s + "x"
            elif c < 0.09:
                s = s.replace("e", "f", 1)
            args.append(s)
        add("xend-rand-%04d" % i, "xend", args)
    return cases


def gen_libxl():
    outdir = os.path.join(OUT, "libxl-cpuid")
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    cases = libxl_cases()
    ids = [c[0] for c in cases]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5]
    with open(os.path.join(outdir, "cases.jsonl"), "wb") as f:
        for cid, mode, args in cases:
            argv = [ORACLE] + (["--xend"] if mode == "xend" else []) + args
            out, err, rc = run(argv, ORACLE)
            obj = {"id": cid, "mode": mode, "args": args,
                   "stdout": out.decode("utf-8"), "stderr": err.decode("utf-8"), "rc": rc}
            f.write(json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n")
    print("libxl-cpuid: %d cases" % len(cases))
    return len(cases)


def main():
    for p in (XEN_CPUID, ORACLE):
        if not os.access(p, os.X_OK):
            sys.exit("missing %s (run: bash ../shared/oracle/build.sh %s)" % (p, os.path.join(OUT, "bin")))
    gen_xen_cpuid()
    gen_libxl()


if __name__ == "__main__":
    main()
