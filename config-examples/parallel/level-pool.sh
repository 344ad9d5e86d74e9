#!/usr/bin/env bash
# Level the CPU policy of a pool of Xen hosts with GNU parallel (docs/pool-levelling.md).
#
#   level-pool.sh [options] SSHLOGINFILE      every host over ssh (parallel --nonall/--onall)
#   level-pool.sh --local [options] HOSTFILE  simulated hosts on this machine, for testing
#
# SSHLOGINFILE: one ssh login per line, as parallel --slf takes it (user@host, or host).
# HOSTFILE (--local): "NAME XENSIM_HOST XEN_CONFIG_DIR" per line.
# Options:
#   -b DIR   xen-cpuid and xl on the hosts (default: /opt/xen-levelling/bin; --local: this
#            repository's bin/)
#   -c DIR   xl on this machine (default: the -b directory)
#   -x DIR   XEN_CONFIG_DIR on the hosts, for ssh mode (default: /etc/xen)
#   -d DIR   on this machine: the dumps go to DIR/dumps/HOST.json, the levelled policy to
#            DIR/pool-policy.yaml (default: ./xen-pool)
#
# 1. every host runs xen-cpuid --json; the dumps are gathered here, one file per host;
# 2. xl cpu-level levels them here into one policy file;
# 3. every host gets the policy file and the xl.conf line vm.cpuid_policy = "...".
set -euo pipefail

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

local_mode=0 bin="" control_bin="" xcd=/etc/xen work=./xen-pool
while [ $# -gt 0 ]; do
  case "$1" in
    --local) local_mode=1; shift ;;
    -b) bin=$2; shift 2 ;;
    -c) control_bin=$2; shift 2 ;;
    -x) xcd=$2; shift 2 ;;
    -d) work=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    -*) echo "level-pool.sh: unknown option $1" >&2; usage 2 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || usage 2
hosts=$1
[ -r "$hosts" ] || { echo "level-pool.sh: $hosts: cannot read" >&2; exit 2; }
if [ -z "$bin" ]; then
  if [ $local_mode = 1 ]; then bin=$(cd "$(dirname "$0")/../../bin" && pwd); else bin=/opt/xen-levelling/bin; fi
fi
control_bin=${control_bin:-$bin}
dumps="$work/dumps"
mkdir -p "$dumps"
rm -f "$dumps"/*.json
policy="$work/pool-policy.yaml"
line_cmd='f="$XCD/xl.conf"; touch "$f"; grep -v "^[[:space:]]*vm\.cpuid_policy[[:space:]]*=" "$f" > "$f.new" || true; echo "vm.cpuid_policy = \"$XCD/cpu-policy.yaml\"" >> "$f.new"; mv "$f.new" "$f"'

if [ $local_mode = 1 ]; then
  # 1. Collect: one job per host, each with its own XENSIM_HOST.
  parallel --colsep ' ' -a "$hosts" --halt now,fail=1 \
    "XENSIM_HOST={2} XEN_CONFIG_DIR={3} $bin/xen-cpuid --json > $dumps/{1}.json"
  # 2. Level.
  "$control_bin/xl" cpu-level -o "$policy" "$dumps"
  # 3. Install: the policy file and the xl.conf line, on every host.
  parallel --colsep ' ' -a "$hosts" --halt now,fail=1 \
    "mkdir -p {3} && install -m 0644 $policy {3}/cpu-policy.yaml && XCD={3} && $line_cmd"
else
  # 1. Collect: the same command on every host (--nonall), each output line tagged with its host.
  parallel --nonall --tag --slf "$hosts" --halt now,fail=1 "$bin/xen-cpuid --json" \
    | awk -F '\t' -v d="$dumps" '{ h = $1; sub(/^[^\t]*\t/, ""); f = d "/" h ".json"; print > f }'
  # 2. Level.
  "$control_bin/xl" cpu-level -o "$policy" "$dumps"
  # 3. Install: the policy file travels with the job (--basefile), on every host (--onall).
  parallel --onall --slf "$hosts" --basefile "$policy" --halt now,fail=1 \
    "XCD=$xcd && install -m 0644 {} \$XCD/cpu-policy.yaml && $line_cmd" ::: "$policy"
fi
"$control_bin/xl" cpu-level --explain "$dumps" >&2 || true
echo "level-pool.sh: installed $policy as cpu-policy.yaml on $(grep -c . "$hosts") hosts" >&2
