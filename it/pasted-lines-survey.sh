#!/usr/bin/env bash
# Survey for issue 15: how many of the cpuid= settings `xl cpu-level --format cpuid|xend` prints
# for random pools of the 29 real CPU dumps create their guest on every host of the pool.
# Usage: it/pasted-lines-survey.sh [ROOT [POOLS [FORMAT]]]   ROOT: a built checkout (default this
# one), so an older build can be surveyed the same way; POOLS: how many pools (default 40, seed
# 15, 2 to 6 hosts of one vendor); FORMAT: cpuid (default) or xend. Prints one line per failure
# and a summary. A host that cannot run the guest type at all (no VT-x/SVM) is left out.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "${1:-$here}" && pwd)
pools=${2:-40}
fmt=${3:-cpuid}
dumps="$here/testdata/cpu-dumps"
work=$(mktemp -d "${TMPDIR:-/tmp}/pasted-survey.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XEN_CONFIG_DIR="$work/no-xl-conf"
for f in "$dumps"/x86_64-cpuid-*.xml; do
  n=${f##*/x86_64-cpuid-}; n=${n%.xml}
  "$root/bin/xensim" boot "$work/$n" --cpu "$f" >/dev/null || { echo "cannot boot $n" >&2; exit 1; }
done
python3 - "$dumps" "$pools" > "$work/pools" <<'PY'
import os, random, sys
names = sorted(f[13:-4] for f in os.listdir(sys.argv[1]) if f.endswith(".xml"))
vendor = lambda n: "amd" if n.startswith(("A10", "Opteron", "EPYC")) else \
    "hygon" if n.startswith("Hygon") else "intel"
by = {}
for n in names:
    by.setdefault(vendor(n), []).append(n)
rng = random.Random(15)
for _ in range(int(sys.argv[2])):
    v = vendor(rng.choice(names))
    print(" ".join(rng.sample(by[v], rng.randint(min(2, len(by[v])), min(6, len(by[v]))))))
PY
settings=0 good=0 failures=0
while read -r -a pool; do
  args=()
  for n in "${pool[@]}"; do args+=("$dumps/x86_64-cpuid-$n.xml"); done
  out=$("$root/bin/xl" cpu-level --format "$fmt" "${args[@]}" 2>/dev/null) || continue
  type=
  while IFS= read -r line; do
    case $line in
      "# "*"(type = "*) type=${line#* * }; type=${type%% *} ;;
      "cpuid = "*)
        settings=$((settings + 1)) ok=1
        extra=; [ "$type" = pv ] && extra='kernel = "/boot/vmlinuz"'
        printf 'name = "plain"\ntype = "%s"\nmemory = 512\n%s\n' "$type" "$extra" > "$work/plain.cfg"
        printf 'name = "pasted"\ntype = "%s"\nmemory = 512\n%s\n%s\n' "$type" "$extra" "$line" \
          > "$work/pasted.cfg"
        for n in "${pool[@]}"; do
          export XENSIM_HOST="$work/$n"
          "$root/bin/xl" create -q "$work/plain.cfg" >/dev/null 2>&1 || continue
          "$root/bin/xl" destroy plain >/dev/null 2>&1
          if ! "$root/bin/xl" create -q "$work/pasted.cfg" >/dev/null 2>"$work/err"; then
            ok=0 failures=$((failures + 1))
            echo "fails on $n (pool ${pool[*]}, $type): $(tail -1 "$work/err")"
          fi
          "$root/bin/xl" destroy pasted >/dev/null 2>&1
        done
        good=$((good + ok)) ;;
    esac
  done <<< "$out"
done < "$work/pools"
echo "$good of $settings settings created their guest on every host of the pool ($failures failed creations)"
