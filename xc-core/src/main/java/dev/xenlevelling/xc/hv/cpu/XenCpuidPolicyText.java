package dev.xenlevelling.xc.hv.cpu;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException.Reason;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reader of what real {@code xen-cpuid -p} prints: one or more policy blocks
 * ({@code Raw policy: N leaves, M MSRs}, {@code  CPUID:}, leaf lines
 * {@code 00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69}, {@code  MSRs:}, MSR lines
 * {@code 000000ce -> 0000000080000000}).
 *
 * <p>The {@code Raw} block is taken if there is one (it is what the CPU returned), else the first
 * block ({@code Host}, or {@code Domain N} from {@code xen-cpuid -p N}). Leaves that are all zero
 * are not printed by xen-cpuid, and read back as zero.
 */
final class XenCpuidPolicyText {
  private static final Pattern HEADER =
      Pattern.compile("^(\\S.*?) policy: (\\d+) leaves, (\\d+) MSRs\\s*$");
  private static final Pattern LEAF = Pattern.compile(
      "^\\s+([0-9a-fA-F]{8}):([0-9a-fA-F]{8}) -> ([0-9a-fA-F]{8}):([0-9a-fA-F]{8}):"
          + "([0-9a-fA-F]{8}):([0-9a-fA-F]{8})\\s*$");
  private static final Pattern MSR =
      Pattern.compile("^\\s+([0-9a-fA-F]{8}) -> ([0-9a-fA-F]{16})\\s*$");
  private static final Pattern IGNORED = Pattern.compile(
      "^(\\s*|Xen reports there are .*|\\s+CPUID:\\s*|\\s+MSRs:\\s*|\\s+leaf\\s+subleaf\\s+->.*"
          + "|\\s+index\\s+->.*|.* policy not supported by Xen\\s*)$");

  private XenCpuidPolicyText() {}

  /** Returns whether {@code text} looks like xen-cpuid -p output (has a policy header line). */
  static boolean looksLike(String text) {
    for (String line : text.split("\n", 50)) {
      if (HEADER.matcher(line).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Returns the CPU described by the chosen block of {@code text}; {@code name} is for messages. */
  static CpuDescription parse(String name, String text) throws CpuSourceException {
    List<Block> blocks = new ArrayList<>();
    Block cur = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher m;
      if ((m = HEADER.matcher(line)).matches()) {
        cur = new Block(m.group(1));
        blocks.add(cur);
      } else if ((m = LEAF.matcher(line)).matches()) {
        requireBlock(name, i, cur);
        int leaf = hex(m.group(1));
        int subleaf = hex(m.group(2));
        if (!CpuPolicy.exists(leaf, subleaf)) {
          // xen-cpuid -p prints only what a Xen policy holds; anything else was not printed by it.
          throw new CpuSourceException(Reason.CONTENT, String.format(
              "%s:%d:%d: leaf %s:%s is not one a Xen policy holds (basic 0-d with subleaves 4:0-5,"
                  + " 7:0-2, b:0-1, d:0-3e, else ffffffff; 40000000, 40000100; 80000000-80000021)",
              name, i + 1, m.start(1) + 1, m.group(1), m.group(2)));
        }
        cur.leaves.add(new CpuidLeaf(leaf, subleaf, hex(m.group(3)),
            hex(m.group(4)), hex(m.group(5)), hex(m.group(6))));
      } else if ((m = MSR.matcher(line)).matches()) {
        requireBlock(name, i, cur);
        cur.msrs.put(hex(m.group(1)), Long.parseUnsignedLong(m.group(2), 16));
      } else if (!IGNORED.matcher(line).matches()) {
        throw new CpuSourceException(Reason.SYNTAX, String.format(
            "%s:%d:1: expected a line of xen-cpuid -p output (policy header, "
                + "'LEAF:SUBLEAF -> EAX:EBX:ECX:EDX' or 'INDEX -> VALUE'), found '%s'",
            name, i + 1, abbreviate(line)));
      }
    }
    if (blocks.isEmpty()) {
      throw new CpuSourceException(Reason.CONTENT,
          name + ": expected a '<Name> policy: N leaves, M MSRs' block, found none");
    }
    Block chosen = blocks.stream().filter(b -> b.name.equals("Raw")).findFirst()
        .orElse(blocks.get(0));
    if (chosen.leaves.stream().noneMatch(l -> l.leaf() == 0)) {
      throw new CpuSourceException(Reason.CONTENT,
          name + ": the " + chosen.name + " policy has no leaf 00000000");
    }
    return new CpuDescription(name + " (" + chosen.name + " policy)", "",
        ImmutableList.copyOf(chosen.leaves), ImmutableSortedMap.copyOf(chosen.msrs));
  }

  private static void requireBlock(String name, int i, Block cur) throws CpuSourceException {
    if (cur == null) {
      throw new CpuSourceException(Reason.SYNTAX, String.format(
          "%s:%d:1: expected a '<Name> policy: N leaves, M MSRs' line before the first leaf",
          name, i + 1));
    }
  }

  private static int hex(String s) {
    return (int) Long.parseLong(s, 16);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static final class Block {
    final String name;
    final List<CpuidLeaf> leaves = new ArrayList<>();
    final TreeMap<Integer, Long> msrs = new TreeMap<>();

    Block(String name) {
      this.name = name;
    }
  }
}
