#!/usr/bin/env python3
"""Golden cases for the xl.cfg grammar from Debian's real libxlutil 4.17 (libxlutil.so.4.17).

Run on a machine with libxenmisc4.17 installed (see oracle/README.md), from the repository root:
    python3 xl-lib/src/test/resources/golden/libxlutil-4.17/gen.py
Writes cases.jsonl beside this script: one JSON object per case,
    {"id", "text", "ok", "settings": {key: "string" | [item, ...]}}
where ok is xlu_cfg_readdata's result == 0 and settings holds, for every identifier-looking word
of the text, what xlu_cfg_get_string / xlu_cfg_get_list return (list items that are themselves
lists are null). Deterministic: the random cases use a fixed seed. Octal and hex escapes and
carriage returns are left out: the project deviates there on purpose (see ConfigParser).
"""
import ctypes, json, os, random, re

libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
x = ctypes.CDLL("libxlutil.so.4.17")
x.xlu_cfg_init.restype = ctypes.c_void_p
x.xlu_cfg_init.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
x.xlu_cfg_readdata.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.xlu_cfg_destroy.argtypes = [ctypes.c_void_p]
x.xlu_cfg_get_string.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                 ctypes.POINTER(ctypes.c_char_p), ctypes.c_int]
x.xlu_cfg_get_list.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                               ctypes.POINTER(ctypes.c_int), ctypes.c_int]
x.xlu_cfg_get_listitem.argtypes = [ctypes.c_void_p, ctypes.c_int]
x.xlu_cfg_get_listitem.restype = ctypes.c_char_p
devnull = libc.fopen(b"/dev/null", b"w")


def run(text):
    data = text.encode()
    cfg = x.xlu_cfg_init(devnull, b"test.cfg")
    rc = x.xlu_cfg_readdata(cfg, data, len(data))
    settings = {}
    for k in sorted(set(re.findall(r"[a-z][._0-9a-z]*", text))):
        v = ctypes.c_char_p()
        if x.xlu_cfg_get_string(cfg, k.encode(), ctypes.byref(v), 1) == 0:
            settings[k] = v.value.decode()
            continue
        lst = ctypes.c_void_p()
        n = ctypes.c_int()
        if x.xlu_cfg_get_list(cfg, k.encode(), ctypes.byref(lst), ctypes.byref(n), 1) == 0:
            items = [x.xlu_cfg_get_listitem(lst, i) for i in range(n.value)]
            settings[k] = [None if i is None else i.decode() for i in items]
    x.xlu_cfg_destroy(cfg)
    return rc == 0, settings


HAND = [
    "a = 1\nb = \"x\"\n", "a = 1", "a.b_c = 1\n", "Memory = 1\n", "_a = 1\n",
    "a = [1, [2,3],\n\n  \"x\",\n]\n", "a = \"x\\\"y\\tz\\\\\"\n", "a = 'x\\'y'\n",
    "a = []\nb = [\n]\n", "a = [,]\n", "a = [1,,2]\n", "a = 1;b=2;\n", "a = [1]\na += [2]\n",
    "a = \"x\"\na += \"y\"\n", "a = \"x\"\na += [1]\n", "a += [1]\n", "a = 1 # c\n#x\n",
    "a = 1\na = 2\n", "a = \n", "a = [1\n,2]\n", ";;\n\n a=1\n", "a = \"x\ny\"\n",
    "a = (1)\n", "a==1\n", "a = 1\n  b = [ 1, 2\n", "a = 0x\nb = 09\nc = 12ab\n", "a = 12g\n",
    "a = 1.5\n", "a = -1\n", "a = 1 b = 2\n", "a = \"\"\n", "a = ''\n", "a\t=\t1\n",
    "a = [ [ [ ] ] ]\n", "a = [1] [2]\n", "= 1\n", "a = 1 ;; b = 2\n", "a = \"#\"\n",
    "a = \"x\\qy\"\n", "a = \"\\a\\b\\f\\n\\r\\t\\v\"\n", "a = 1\n\n\n",
    "name = \"example\"\nvif = [ 'bridge=xenbr0' ]\ndisk = [ 'x,raw,xvda,rw', ]\n",
    "cpuid = \"host,sse3=0\"\ncpuid = [ \"1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0\" ]\n",
]

VOCAB = ["a", "b", "key_1", "x.y", "=", "=", "+=", "1", "0x1f", "09", "'s'", "\"d\"", "\"e\\\"q\"",
         "'\\n'", "[", "]", ",", ";", "\n", "\n", " ", "\t", "# c\n", "\"\"", "Z", "-"]


def random_text(rng):
    parts = []
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.7:
            key = rng.choice(["a", "b", "key_1", "x.y"])
            op = rng.choice(["=", "=", "=", "+="])
            end = rng.choice(["\n", ";", "\n", " # c\n"])
            parts.append(key + " " + op + " " + random_value(rng, 0) + end)
        else:
            parts.append("".join(rng.choice(VOCAB) for _ in range(rng.randint(1, 6))))
    return "".join(parts)


def random_value(rng, depth):
    r = rng.random()
    if r < 0.25 and depth < 2:
        items = [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        seps = [rng.choice([",", ", ", ",\n  ", ",,", " "]) for _ in items]
        body = "".join(i + s for i, s in zip(items, seps))
        if rng.random() < 0.5 and body.endswith(tuple(seps)):
            body = body[: -len(seps[-1])] if seps else body
        return "[" + rng.choice(["", "\n", " "]) + body + "]"
    return rng.choice(["1", "0x10", "007", "'q'", "\"w w\"", "\"x\\\\y\"", "''", "\"a,b\"",
                       "12ab", "\"unterminated", "abc"])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(20261121)
    cases = [(f"hand-{i:02d}", t) for i, t in enumerate(HAND)]
    cases += [(f"rand-{i:03d}", random_text(rng)) for i in range(400)]
    with open(os.path.join(here, "cases.jsonl"), "w") as f:
        for cid, text in cases:
            ok, settings = run(text)
            f.write(json.dumps({"id": cid, "text": text, "ok": ok, "settings": settings}) + "\n")
    print(len(cases), "cases")


main()
