#!/usr/bin/env python3
"""Regenerates <example>.json: what Debian's real libxl 4.17.7 parses from each example's cpuid=.

Run from the repository root after oracle/README.md's build step (oracle/out/bin must exist):
    python3 xl-cli/src/test/resources/golden/xl-cli/cpuid-oracle/regen.py
The cpuid= value is read with a deliberately small reader (one line, a quoted string or a list of
quoted strings on the following lines), enough for config-examples/domains.
"""
import glob, os, re, subprocess

here = os.path.dirname(os.path.abspath(__file__))
oracle = os.path.join("oracle", "out", "bin", "libxl_cpuid_oracle")
for cfg in sorted(glob.glob("config-examples/domains/*.cfg")):
    text = open(cfg).read()
    m = re.search(r'^cpuid\s*=\s*(\[.*?\]|"[^"]*")', text, re.S | re.M)
    value = m.group(1)
    if value.startswith("["):
        args = ["--xend"] + re.findall(r'"([^"]*)"', value)
    else:
        words = [w for w in value.strip('"').split(",") if w]
        assert words[0] == "host", cfg
        args = words[1:]
    out = subprocess.run([oracle] + args, capture_output=True, text=True, check=True).stdout
    name = os.path.basename(cfg)[:-4]
    with open(os.path.join(here, name + ".json"), "w") as f:
        f.write(out)
    print(name, out.strip())
