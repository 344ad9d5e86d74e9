package dev.xenlevelling.xc.hv.cpu;

import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException.Reason;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintout;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintout.Block;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintout.Dialect;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintoutException;
import java.util.List;
import java.util.TreeMap;

/**
 * Reader of what real {@code xen-cpuid -p} prints: one or more policy blocks
 * ({@code Raw policy: N leaves, M MSRs}, {@code  CPUID:}, leaf lines
 * {@code 00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69}, {@code  MSRs:}, MSR lines
 * {@code 000000ce -> 0000000080000000}).
 *
 * <p>The {@code Raw} block is taken if there is one (it is what the CPU returned), else the first
 * block ({@code Host}, or {@code Domain N} from {@code xen-cpuid -p N}). Leaves that are all zero
 * are not printed by xen-cpuid, and read back as zero. The text is read by the one reader of
 * xen-cpuid -p output, {@link XenCpuidPrintout}, in this reader's {@link Dialect#HYPERVISOR
 * dialect}.
 */
final class XenCpuidPolicyText {
  private XenCpuidPolicyText() {}

  /** Returns whether {@code text} looks like xen-cpuid -p output (has a policy header line). */
  static boolean looksLike(String text) {
    for (String line : text.split("\n", 50)) {
      if (XenCpuidPrintout.header(Dialect.HYPERVISOR, line).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** Returns the CPU described by the chosen block of {@code text}; {@code name} is for messages. */
  static CpuDescription parse(String name, String text) throws CpuSourceException {
    List<Block> blocks;
    try {
      blocks = XenCpuidPrintout.parse(Dialect.HYPERVISOR, name, text);
    } catch (XenCpuidPrintoutException e) {
      throw new CpuSourceException(
          e.kind() == XenCpuidPrintoutException.Kind.SYNTAX ? Reason.SYNTAX : Reason.CONTENT,
          e.getMessage());
    }
    if (blocks.isEmpty()) {
      throw new CpuSourceException(Reason.CONTENT,
          name + ": expected a '<Name> policy: N leaves, M MSRs' block, found none");
    }
    Block chosen = blocks.stream().filter(b -> b.name().equals("Raw")).findFirst()
        .orElse(blocks.get(0));
    if (chosen.leaves().stream().noneMatch(l -> l.leaf() == 0)) {
      throw new CpuSourceException(Reason.CONTENT,
          name + ": the " + chosen.name() + " policy has no leaf 00000000");
    }
    TreeMap<Integer, Long> msrs = new TreeMap<>();
    for (MsrEntry e : chosen.msrs()) {
      msrs.put(e.index(), e.value());
    }
    return new CpuDescription(name + " (" + chosen.name() + " policy)", "", chosen.leaves(),
        ImmutableSortedMap.copyOf(msrs));
  }
}
