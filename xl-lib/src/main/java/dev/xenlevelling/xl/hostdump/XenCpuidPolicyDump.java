package dev.xenlevelling.xl.hostdump;

import com.google.common.hash.Hashing;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.PolicyException;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintout.Block;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintout.Dialect;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintout;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintoutException;
import dev.xenlevelling.xl.hostdump.HostDumpException.Reason;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reader of what real {@code xen-cpuid -p} prints (tools/misc/xen-cpuid.c, print_policy):
 * {@code Xen reports there are
 * maximum L leaves and M MSRs}, then per system policy a block {@code <Name> policy: N leaves, M
 * MSRs}, {@code  CPUID:}, a heading, leaf lines {@code   00000000:ffffffff -> eax:ebx:ecx:edx},
 * {@code  MSRs:}, a heading, MSR lines {@code   000000ce -> 0000000080000000}; or
 * {@code <Name> policy not supported by Xen} for one compiled out. All-zero leaves are not printed
 * and read back as zero.
 *
 * <p>The PV and HVM featuresets and limits come from the {@code PV Default}/{@code PV Max} and
 * {@code HVM Default}/{@code HVM Max} blocks (decoded as libxc's {@code x86_cpu_policy_to_featureset});
 * the limits are the default policy's (what a new guest gets; since Xen 4.20 the max policies carry
 * the array limits, not the CPU's). Text with only a {@code Raw} or {@code Host} block (a
 * {@code Domain N} block is a domain's policy, not a host's) is booted in the simulated hypervisor
 * like a libvirt dump, from its raw leaves. The text is read by the one reader of xen-cpuid -p
 * output, {@link XenCpuidPrintout}, in this reader's {@link Dialect#POOL_MEMBER dialect}.
 */
final class XenCpuidPolicyDump {
  private XenCpuidPolicyDump() {}

  /** A policy header, {@code <Name> policy: N leaves, M MSRs}: returns the name. */
  static Optional<String> header(String line) {
    return XenCpuidPrintout.header(Dialect.POOL_MEMBER, line);
  }

  static HostCpu parse(String file, String name, String text, FeatureTable table)
      throws HostDumpException {
    Map<String, CpuPolicy> policies = policies(file, text);
    return host(file, name, text, table, policies);
  }

  /** Returns the policies of {@code text} by block name, in order; unsupported ones left out. */
  static Map<String, CpuPolicy> policies(String file, String text) throws HostDumpException {
    Map<String, Block> blocks = new LinkedHashMap<>();
    try {
      for (Block b : XenCpuidPrintout.parse(Dialect.POOL_MEMBER, file, text)) {
        // A name read again replaces the earlier block in the earlier one's place.
        blocks.put(b.name(), b);
      }
    } catch (XenCpuidPrintoutException e) {
      throw new HostDumpException(
          e.kind() == XenCpuidPrintoutException.Kind.SYNTAX ? Reason.SYNTAX : Reason.CONTENT,
          e.getMessage());
    }
    Map<String, CpuPolicy> policies = new LinkedHashMap<>();
    for (Block b : blocks.values()) {
      if (!b.supported()) {
        continue;
      }
      try {
        policies.put(b.name(), CpuPolicy.fromLeaves(b.leaves(), b.msrs()));
      } catch (PolicyException e) {
        throw new HostDumpException(Reason.CONTENT, file + ":" + b.line() + ": the " + b.name()
            + " policy cannot be a Xen policy: " + e.getMessage());
      }
    }
    return policies;
  }

  private static HostCpu host(String file, String name, String text, FeatureTable table,
      Map<String, CpuPolicy> policies) throws HostDumpException {
    boolean guestBlocks = policies.keySet().stream()
        .anyMatch(k -> k.startsWith("PV ") || k.startsWith("HVM "));
    if (!guestBlocks) {
      if (policies.containsKey("Raw") || policies.containsKey("Host")) {
        return BootedDump.boot(file, name, text.getBytes(StandardCharsets.UTF_8));
      }
      throw new HostDumpException(Reason.CONTENT, file + ": no system policy (Raw, Host, PV Max,"
          + " HVM Max, PV Default, HVM Default) in this xen-cpuid -p text"
          + (policies.keySet().stream().anyMatch(k -> k.startsWith("Domain"))
              ? "; a 'Domain N' policy is a domain's, not a host's" : ""));
    }
    CpuPolicy any = policies.values().iterator().next();
    Optional<Vendor> vendor = Vendor.ofIdString(any.vendor().signature());
    if (vendor.isEmpty()) {
      throw new HostDumpException(Reason.CONTENT, file + ": CPU vendor '"
          + any.vendor().signature() + "' is not one Xen knows");
    }
    HostCpu.Builder b = HostCpu.builder(name, vendor.get(), "xen-cpuid-p:sha256:"
        + Hashing.sha256().hashString(text, StandardCharsets.UTF_8));
    try {
      addType(b, DomainType.PV, policies.get("PV Default"), policies.get("PV Max"), table);
      addType(b, DomainType.HVM, policies.get("HVM Default"), policies.get("HVM Max"), table);
    } catch (IllegalArgumentException e) {
      throw new HostDumpException(Reason.CONTENT, file + ": a limit is out of range: "
          + e.getMessage());
    }
    return b.build();
  }

  private static void addType(HostCpu.Builder b, DomainType type, CpuPolicy def, CpuPolicy max,
      FeatureTable table) {
    if (def == null && max == null) {
      return;
    }
    CpuPolicy d = def != null ? def : max;
    CpuPolicy m = max != null ? max : def;
    if (HostDumps.noGuests(m.featureset(table))) {
      return;
    }
    b.guest(type, d.featureset(table), m.featureset(table), limits(d));
  }

  /** Returns the non-flag limits of {@code p}, as levelling needs them (struct cpu_policy). */
  static CpuLimits limits(CpuPolicy p) {
    return CpuLimits.of(Integer.toUnsignedLong(p.basicMaxLeaf()), p.leaf7MaxSubleaf(),
        Integer.toUnsignedLong(p.extdMaxLeaf()), Math.max(1, Math.min(64, p.maxPhysAddr())),
        p.xstateSize());
  }
}
