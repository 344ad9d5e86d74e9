#!/usr/bin/env bash
# Integration test of pool levelling across hosts (issue 7), run by .ci/run after mvn verify.
#
# Boots three simulated hosts from different real CPUs (bin/xensim), then for each of the two
# recipes (the Ansible playbook with a local connection, the GNU parallel script in --local
# mode): collects the dumps, levels them, installs the policy file and the xl.conf line on every
# host, creates a guest on every host under the levelled policy, and checks that every guest got
# the same features. Prints "N passed, M failed"; exits non-zero on any failure.
#
# On every host three guests are created: an HVM one from a plain config, levelled only by the
# installed xl.conf (vm.cpuid_policy) and policy file, an HVM one given the levelled policy as a
# pasted cpuid= line (xl cpu-level --format cpuid), and a PV one under the installed policy. The
# HVM guests must all get the same features, the PV guests too, and the same limits (max leaves
# from xl cpuid-show, maxphysaddr from xen-cpuid -p DOMID's leaf 0x80000008) everywhere.
#
# Before the playbook runs, a dump of a host no longer in the inventory is left in its dump
# directory: the playbook must not level it in.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
work=$(mktemp -d "${TMPDIR:-/tmp}/pool-levelling.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { local what=$1; shift; if "$@" >"$work/check.out" 2>&1; then ok "$what"; else not_ok "$what"; sed 's/^/    /' "$work/check.out"; fi; }

cpus=(haswell-notsx skylake-sp icelake-sp)
for tool in ansible-playbook parallel; do
  command -v $tool >/dev/null || { not_ok "$tool is installed"; echo "$passed passed, $failed failed"; exit 1; }
done

boot_hosts() { # $1: recipe name; boots node1..3 under $work/$1
  local r=$1 i
  for i in 1 2 3; do
    check "$r: boot node$i from ${cpus[$((i - 1))]}" \
      "$bin/xensim" boot "$work/$r/hosts/node$i" --cpu "${cpus[$((i - 1))]}"
    mkdir -p "$work/$r/etc/node$i"
  done
}

# Prints the featureset on stdin without fdp-excp-only and no-fpu-sel (7b0 bits 6 and 13): Xen
# always gives a guest the host's value of these two (recalculate_cpuid_policy: they describe
# the host's x87 behaviour, which a guest cannot be shielded from), so no cpuid= can level them.
without_mirrored() {
  local w
  IFS=: read -ra w
  w[5]=$(printf %08x $((16#${w[5]} & ~0x2040)))
  (IFS=:; echo "${w[*]}")
}

# Creates a guest on every host under the installed policy; checks they all got the same
# featureset, which is the levelled boot set.
# Prints domain $2's limits on host $1 (XENSIM_HOST): cpuid-show's max leaves line, then
# maxphysaddr (leaf 0x80000008 eax[7:0] of xen-cpuid -p DOMID).
limits_of() { # $1: host dir, $2: domain name
  local id eax
  id=$(XENSIM_HOST="$1" "$bin/xl" list | awk -v n="$2" '$1 == n { print $2 }')
  XENSIM_HOST="$1" "$bin/xl" cpuid-show "$2" | grep 'max leaves'
  eax=$(XENSIM_HOST="$1" "$bin/xen-cpuid" -p "$id" \
    | awk '$1 == "80000008:ffffffff" { print substr($3, 1, 8) }')
  echo "maxphysaddr $((16#${eax:-0} & 0xff))"
}

check_guests() { # $1: recipe name, $2: dump dir
  local r=$1 dumps=$2/dumps i cpuid
  cpuid=$("$bin/xl" cpu-level --format cpuid --type hvm "$dumps") \
    && ok "$r: xl cpu-level --format cpuid" || not_ok "$r: xl cpu-level --format cpuid"
  printf 'type = "hvm"\nname = "levelled"\nmemory = 1024\nvcpus = 2\n' > "$work/$r/guest.cfg"
  printf 'type = "hvm"\nname = "pasted"\nmemory = 1024\nvcpus = 2\n%s\n' "$cpuid" \
    > "$work/$r/pasted.cfg"
  printf 'type = "pv"\nname = "pvguest"\nmemory = 512\nvcpus = 1\n' > "$work/$r/pv.cfg"
  for i in 1 2 3; do
    local h="$work/$r/hosts/node$i" c="$work/$r/etc/node$i" g
    check "$r: node$i has the policy file" test -s "$c/cpu-policy.yaml"
    check "$r: node$i policy file is the pool's" cmp "$c/cpu-policy.yaml" "$2/pool-policy.yaml"
    check "$r: node$i xl.conf names it" \
      grep -qx "vm.cpuid_policy = \"$c/cpu-policy.yaml\"" "$c/xl.conf"
    check "$r: node$i xl create under xl.conf's policy" env XENSIM_HOST="$h" XEN_CONFIG_DIR="$c" \
      "$bin/xl" create -q --strict "$work/$r/guest.cfg"
    check "$r: node$i xl create with the pasted cpuid= line" env XENSIM_HOST="$h" \
      XEN_CONFIG_DIR="$work/no-xl-conf" "$bin/xl" create -q "$work/$r/pasted.cfg"
    check "$r: node$i xl create a PV guest under xl.conf's policy" env XENSIM_HOST="$h" \
      XEN_CONFIG_DIR="$c" "$bin/xl" create -q --strict "$work/$r/pv.cfg"
    for g in levelled pasted pvguest; do
      XENSIM_HOST="$h" XEN_CONFIG_DIR="$c" "$bin/xl" cpuid-show $g \
        | awk '$1 == "featureset" { print $2 }' > "$work/$r/fs.$g.node$i"
      check "$r: node$i cpuid-show $g" test -s "$work/$r/fs.$g.node$i"
      without_mirrored < "$work/$r/fs.$g.node$i" > "$work/$r/$g.node$i"
    done
    check "$r: node$i policy-file guest and pasted-line guest agree" \
      cmp "$work/$r/levelled.node$i" "$work/$r/pasted.node$i"
    for g in levelled pvguest; do
      limits_of "$h" $g > "$work/$r/limits.$g.node$i"
      check "$r: node$i $g limits read" bash -c "[ \$(wc -l < $work/$r/limits.$g.node$i) = 2 ]"
    done
  done
  for g in levelled pvguest; do
    check "$r: node1 and node2 $g guests have the same features" cmp "$work/$r/$g.node1" "$work/$r/$g.node2"
    check "$r: node1 and node3 $g guests have the same features" cmp "$work/$r/$g.node1" "$work/$r/$g.node3"
    check "$r: node1 and node2 $g guests have the same limits" cmp "$work/$r/limits.$g.node1" "$work/$r/limits.$g.node2"
    check "$r: node1 and node3 $g guests have the same limits" cmp "$work/$r/limits.$g.node1" "$work/$r/limits.$g.node3"
  done
  # The hosts really differ: their own default HVM featuresets are not all equal.
  check "$r: the hosts' own HVM defaults differ (the test levels something)" bash -c \
    "grep -h -A1 '\"hvm_default\"' $dumps/node*.json | grep words | sort -u | awk 'END { exit NR < 2 }'"
}

# ---- Ansible: the playbook with one XENSIM_HOST and XEN_CONFIG_DIR per inventory host ----
r=ansible
boot_hosts $r
{
  echo "[xen_pool]"
  for i in 1 2 3; do
    echo "node$i ansible_connection=local xensim_host=$work/$r/hosts/node$i xen_config_dir=$work/$r/etc/node$i"
  done
  echo "[xen_pool:vars]"
  echo "xl_bin_dir=$bin"
  echo "work_dir=$work/$r"
  echo "ansible_python_interpreter=$(command -v python3)"
  echo "xl_become=false"
} > "$work/$r/inventory.ini"
mkdir -p "$work/$r/dumps"
# A host that left the pool: its old dump (a much older CPU) must not constrain the pool.
check "$r: boot a host that has left the pool" "$bin/xensim" boot "$work/$r/hosts/gone" --cpu penryn
XENSIM_HOST="$work/$r/hosts/gone" "$bin/xen-cpuid" --json > "$work/$r/dumps/gone.json"
check "$r: ansible-playbook level-pool.yml" env ANSIBLE_HOME="$work/$r/.ansible" \
  ANSIBLE_LOCAL_TEMP="$work/$r/.ansible/tmp" ANSIBLE_REMOTE_TEMP="$work/$r/.ansible/rtmp" \
  ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
  ansible-playbook -i "$work/$r/inventory.ini" "$root/config-examples/ansible/level-pool.yml"
check "$r: three dumps fetched" bash -c "ls $work/$r/dumps/node{1,2,3}.json"
check "$r: the old dump is gone" bash -c "! ls $work/$r/dumps/gone.json"
check "$r: the policy is the inventory's hosts' only" bash -c \
  "grep -c '^    - name:' $work/$r/pool-policy.yaml | grep -qx 3 && ! grep -q 'name: \"gone\"' $work/$r/pool-policy.yaml"
check_guests $r "$work/$r"

# ---- GNU parallel: the recipe in --local mode ----
r=parallel
boot_hosts $r
for i in 1 2 3; do echo "node$i $work/$r/hosts/node$i $work/$r/etc/node$i"; done > "$work/$r/hosts.txt"
check "$r: level-pool.sh --local" "$root/config-examples/parallel/level-pool.sh" --local \
  -d "$work/$r" "$work/$r/hosts.txt"
check_guests $r "$work/$r"

# ---- Pasted cpuid= settings on a pool that mixes leaf 7 subleaf 1 and 2 hosts with older ones ----
# (issue 15): Sapphire Rapids has leaf 7 subleaves 1 and 2, Ice Lake-SP and Haswell neither. Every
# setting cpu-level prints, in both syntaxes and for the latest Xen and 4.17's libxl, pasted into
# a config, must create the guest on every host (no xl.conf: the line alone levels), and the
# guests must get the same features and limits.
r=pasted
pasted_cpus=(sapphirerapids icelake-sp haswell-notsx)
mkdir -p "$work/$r/dumps"
for i in 1 2 3; do
  check "$r: boot node$i from ${pasted_cpus[$((i - 1))]}" \
    "$bin/xensim" boot "$work/$r/hosts/node$i" --cpu "${pasted_cpus[$((i - 1))]}"
  XENSIM_HOST="$work/$r/hosts/node$i" "$bin/xen-cpuid" --json > "$work/$r/dumps/node$i.json"
done
for fmt in cpuid xend; do
  for xen in latest 4.17; do
    for type in hvm pv; do
      k="$fmt-$xen-$type"
      line=$("$bin/xl" cpu-level --format $fmt --xen-version $xen --type $type "$work/$r/dumps" \
        2>"$work/$r/$k.notes") && ok "$r: cpu-level $k" || not_ok "$r: cpu-level $k"
      printf 'type = "%s"\nname = "%s"\nmemory = 512\nvcpus = 2\n%s\n' "$type" "$k" "$line" \
        > "$work/$r/$k.cfg"
      for i in 1 2 3; do
        h="$work/$r/hosts/node$i"
        check "$r: node$i xl create with the pasted $k line" env XENSIM_HOST="$h" \
          XEN_CONFIG_DIR="$work/no-xl-conf" "$bin/xl" create -q "$work/$r/$k.cfg"
        XENSIM_HOST="$h" "$bin/xl" cpuid-show "$k" | awk '$1 == "featureset" { print $2 }' \
          | without_mirrored > "$work/$r/$k.node$i"
        limits_of "$h" "$k" > "$work/$r/limits.$k.node$i"
      done
      # maxphysaddr is levelled by the xend form only (the libxl form has no name for it).
      keep=cat
      [ $fmt = xend ] || keep="grep -v ^maxphysaddr"
      for i in 2 3; do
        check "$r: node1 and node$i $k guests have the same features" \
          cmp "$work/$r/$k.node1" "$work/$r/$k.node$i"
        check "$r: node1 and node$i $k guests have the same limits" bash -c \
          "diff <($keep $work/$r/limits.$k.node1) <($keep $work/$r/limits.$k.node$i)"
      done
    done
  done
done
check "$r: the hosts' leaf 7 max subleaves differ (the test cuts something)" bash -c \
  "grep -h '\"leaf7_subleaf\"' $work/$r/dumps/*.json | sort -u | awk 'END { exit NR < 2 }'"
check "$r: the latest Xen's libxl line had to take the xend form, and says why" \
  grep -q 'the xend form, because the libxl form cannot cut the leaf 7 max subleaf' \
  "$work/$r/cpuid-latest-hvm.notes"

# Both recipes give the same policy (but for the provenance's time and command).
check "ansible and parallel level to the same policy" bash -c \
  "diff <(grep -v -e created: -e command: $work/ansible/pool-policy.yaml) \
        <(grep -v -e created: -e command: $work/parallel/pool-policy.yaml)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
