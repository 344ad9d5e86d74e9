package dev.xenlevelling.xl.hostdump;

import com.google.common.hash.Hashing;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.PolicyException;
import dev.xenlevelling.xl.hostdump.HostDumpException.Reason;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xc.policy.Vendor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * like a libvirt dump, from its raw leaves.
 */
final class XenCpuidPolicyDump {
  private XenCpuidPolicyDump() {}

  /** A policy header, {@code <Name> policy: N leaves, M MSRs}: returns the name. */
  static Optional<String> header(String line) {
    int p = line.indexOf(" policy: ");
    if (p <= 0 || line.startsWith(" ")) {
      return Optional.empty();
    }
    String rest = line.substring(p + " policy: ".length()).strip();
    String[] parts = rest.split(" ");
    if (parts.length == 4 && isNumber(parts[0]) && parts[1].equals("leaves,")
        && isNumber(parts[2]) && parts[3].equals("MSRs")) {
      return Optional.of(line.substring(0, p));
    }
    return Optional.empty();
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  static HostCpu parse(String file, String name, String text, FeatureTable table)
      throws HostDumpException {
    Map<String, CpuPolicy> policies = policies(file, text);
    return host(file, name, text, table, policies);
  }

  /** Returns the policies of {@code text} by block name, in order; unsupported ones left out. */
  static Map<String, CpuPolicy> policies(String file, String text) throws HostDumpException {
    Map<String, Block> blocks = new LinkedHashMap<>();
    Block cur = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1)
          : lines[i];
      int ln = i + 1;
      String s = line.strip();
      Optional<String> h = header(line);
      if (h.isPresent()) {
        cur = new Block(h.get(), ln);
        blocks.put(h.get(), cur);
      } else if (line.endsWith(" policy not supported by Xen") && !line.startsWith(" ")) {
        String n = line.substring(0, line.length() - " policy not supported by Xen".length());
        blocks.put(n, new Block(n, ln).unsupported());
        cur = null;
      } else if (s.isEmpty() || s.equals("CPUID:") || s.equals("MSRs:")
          || s.startsWith("leaf ") || s.startsWith("index ")
          || line.startsWith("Xen reports there are maximum")) {
        continue;
      } else if (line.startsWith(" ") && s.length() == 56 && s.charAt(8) == ':'
          && s.startsWith(" -> ", 17)) {
        requireBlock(file, ln, cur);
        cur.leaves.add(new CpuidLeaf(hex(file, ln, line, s, 0), hex(file, ln, line, s, 9),
            hex(file, ln, line, s, 21), hex(file, ln, line, s, 30), hex(file, ln, line, s, 39),
            hex(file, ln, line, s, 48)));
      } else if (line.startsWith(" ") && s.length() == 28 && s.startsWith(" -> ", 8)) {
        requireBlock(file, ln, cur);
        long v = ((long) hex(file, ln, line, s, 12) << 32)
            | Integer.toUnsignedLong(hex(file, ln, line, s, 20));
        cur.msrs.add(new MsrEntry(hex(file, ln, line, s, 0), 0, v));
      } else {
        throw new HostDumpException(Reason.SYNTAX, file + ":" + ln + ":1: expected a line of"
            + " xen-cpuid -p output (a policy header, 'LEAF:SUBLEAF -> EAX:EBX:ECX:EDX' or"
            + " 'INDEX -> VALUE'), found '" + HostDumps.abbreviate(line) + "'");
      }
    }
    Map<String, CpuPolicy> policies = new LinkedHashMap<>();
    for (Block b : blocks.values()) {
      if (!b.supported) {
        continue;
      }
      try {
        policies.put(b.name, CpuPolicy.fromLeaves(b.leaves, b.msrs));
      } catch (PolicyException e) {
        throw new HostDumpException(Reason.CONTENT, file + ":" + b.line + ": the " + b.name
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

  private static int hex(String file, int ln, String line, String s, int at)
      throws HostDumpException {
    int col = line.indexOf(s) + at + 1;
    try {
      return (int) Long.parseLong(s.substring(at, at + 8), 16);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new HostDumpException(Reason.SYNTAX, file + ":" + ln + ":" + col
          + ": expected 8 hex digits, found '" + HostDumps.abbreviate(s.substring(
              Math.min(at, s.length()), Math.min(at + 8, s.length()))) + "'");
    }
  }

  private static void requireBlock(String file, int ln, Block cur) throws HostDumpException {
    if (cur == null) {
      throw new HostDumpException(Reason.SYNTAX, file + ":" + ln
          + ":1: expected a '<Name> policy: N leaves, M MSRs' line before the first leaf");
    }
  }

  private static final class Block {
    final String name;
    final int line;
    final List<CpuidLeaf> leaves = new ArrayList<>();
    final List<MsrEntry> msrs = new ArrayList<>();
    boolean supported = true;

    Block(String name, int line) {
      this.name = name;
      this.line = line;
    }

    Block unsupported() {
      supported = false;
      return this;
    }
  }
}
