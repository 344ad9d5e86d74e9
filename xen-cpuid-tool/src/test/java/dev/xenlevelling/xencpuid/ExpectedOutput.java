package dev.xenlevelling.xencpuid;

import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.StaticMask;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the latest Xen's xen-cpuid.c prints for a host, re-stated in the test from the C source's
 * printf formats and tables with {@link String#format} (independently of {@link Printer}), reading
 * the values through the same libxc facade the tool uses.
 */
final class ExpectedOutput {
  /** leaf_info[] of xen-cpuid.c: name and abbreviation of each featureset word. */
  private static final String[][] LEAF_INFO = {
    {"CPUID 0x00000001.edx", "1d"}, {"CPUID 0x00000001.ecx", "1c"},
    {"CPUID 0x80000001.edx", "e1d"}, {"CPUID 0x80000001.ecx", "e1c"},
    {"CPUID 0x0000000d:1.eax", "Da1"}, {"CPUID 0x00000007:0.ebx", "7b0"},
    {"CPUID 0x00000007:0.ecx", "7c0"}, {"CPUID 0x80000007.edx", "e7d"},
    {"CPUID 0x80000008.ebx", "e8b"}, {"CPUID 0x00000007:0.edx", "7d0"},
    {"CPUID 0x00000007:1.eax", "7a1"}, {"CPUID 0x80000021.eax", "e21a"},
    {"CPUID 0x00000007:1.ebx", "7b1"}, {"CPUID 0x00000007:2.edx", "7d2"},
    {"CPUID 0x00000007:1.ecx", "7c1"}, {"CPUID 0x00000007:1.edx", "7d1"},
    {"MSR_ARCH_CAPS.lo", "m10Al"}, {"MSR_ARCH_CAPS.hi", "m10Ah"},
    {"CPUID 0x80000021.ecx", "e21c"},
  };

  /** fs_names[] (sysctl featureset index order) and sys_policies[] (policy index order). */
  private static final List<String> FS_NAMES =
      List.of("Raw", "Host", "PV Default", "HVM Default", "PV Max", "HVM Max");
  private static final List<String> SYS_POLICIES =
      List.of("Raw", "Host", "PV Max", "HVM Max", "PV Default", "HVM Default");

  /** The static sets dump_info prints: name and XC_FEATUREMASK_* mask. */
  private static final String[] STATIC_NAMES = {"Known", "Special", "PV Max", "PV Default",
    "HVM Shadow Max", "HVM Shadow Default", "HVM Hap Max", "HVM Hap Default"};
  private static final List<StaticMask> STATIC_MASKS = List.of(StaticMask.KNOWN,
      StaticMask.SPECIAL, StaticMask.PV_MAX, StaticMask.PV_DEF, StaticMask.HVM_SHADOW_MAX,
      StaticMask.HVM_SHADOW_DEF, StaticMask.HVM_HAP_MAX, StaticMask.HVM_HAP_DEF);

  private ExpectedOutput() {}

  /** decode_featureset(features, length, name, detail). */
  static String decodeFeatureset(int[] features, int length, String name, boolean detail,
      NameTable names) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s        ", name));
    for (int i = 0; i < length; i++) {
      sb.append(String.format(Locale.ROOT, "%08x%c", features[i], i < length - 1 ? ':' : '\n'));
    }
    if (!detail) {
      return sb.toString();
    }
    for (int i = 0; i < length && i < LEAF_INFO.length; i++) {
      sb.append(String.format(Locale.ROOT, "  [%02d] %-24s", i, LEAF_INFO[i][0]));
      for (int b = 0; b < 32; b++) {
        if ((features[i] & (1 << b)) != 0) {
          sb.append(' ').append(names.display(i, b));   // " %s" or " <%u>"
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** main's info / detail mode: dump_info. */
  static String info(XcInterface xc, boolean detail, NameTable names) {
    int nr = xc.getCpuFeaturesetSize();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "nr_features: %d\n", nr));
    if (!detail) {
      sb.append(String.format(Locale.ROOT, "       %24s ", "KEY"));
      for (String[] l : LEAF_INFO) {
        sb.append(String.format(Locale.ROOT, "%-8s ", l[1]));
      }
      sb.append('\n');
    }
    sb.append("\nStatic sets:\n");
    for (int m = 0; m < STATIC_NAMES.length; m++) {
      int[] mask = Arrays.copyOf(xc.featureTable().mask(STATIC_MASKS.get(m)).toArray(), nr);
      sb.append(decodeFeatureset(mask, nr, STATIC_NAMES[m], detail, names));
    }
    sb.append("\nDynamic sets:\n");
    for (int i = 0; i < FS_NAMES.size(); i++) {
      int[] fs = new int[nr];
      try {
        int len = xc.getCpuFeatureset(i, fs);
        sb.append(decodeFeatureset(fs, len, FS_NAMES.get(i), detail, names));
      } catch (XcException e) {
        if (e.errno() != Errno.EOPNOTSUPP) {
          throw new IllegalStateException(e);
        }
        sb.append(String.format(Locale.ROOT, "%s featureset not supported by Xen\n",
            FS_NAMES.get(i)));
      }
    }
    return sb.toString();
  }

  /** main's policy mode, without a domain. */
  static String systemPolicies(XcInterface xc) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "Xen reports there are maximum %d leaves and %d MSRs\n",
        xc.getCpuPolicySize().nrLeaves(), xc.getCpuPolicySize().nrMsrs()));
    for (int i = 0; i < SYS_POLICIES.size(); i++) {
      try {
        CpuPolicy p = xc.getCpuPolicy(i);
        sb.append(printPolicy(SYS_POLICIES.get(i), p.toLeaves(), p.toMsrs()));
      } catch (XcException e) {
        if (e.errno() != Errno.EOPNOTSUPP) {
          throw new IllegalStateException(e);
        }
        sb.append(String.format(Locale.ROOT, "%s policy not supported by Xen\n",
            SYS_POLICIES.get(i)));
      }
    }
    return sb.toString();
  }

  /** main's policy mode for one domain. */
  static String domainPolicy(XcInterface xc, int domid) throws XcException {
    CpuPolicy p = xc.getDomainCpuPolicy(domid);
    return printPolicy(String.format(Locale.ROOT, "Domain %d", domid), p.toLeaves(), p.toMsrs());
  }

  /** print_policy. */
  static String printPolicy(String name, List<CpuidLeaf> leaves, List<MsrEntry> msrs) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s policy: %d leaves, %d MSRs\n", name, leaves.size(),
        msrs.size()));
    sb.append(" CPUID:\n");
    sb.append(String.format(Locale.ROOT, "  %-8s %-8s -> %-8s %-8s %-8s %-8s\n",
        "leaf", "subleaf", "eax", "ebx", "ecx", "edx"));
    for (CpuidLeaf l : leaves) {
      if (l.a() == 0 && l.b() == 0 && l.c() == 0 && l.d() == 0) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "  %08x:%08x -> %08x:%08x:%08x:%08x\n",
          l.leaf(), l.subleaf(), l.a(), l.b(), l.c(), l.d()));
    }
    sb.append(" MSRs:\n");
    sb.append(String.format(Locale.ROOT, "  %-8s -> %-16s\n", "index", "value"));
    for (MsrEntry m : msrs) {
      sb.append(String.format(Locale.ROOT, "  %08x -> %016x\n", m.index(), m.value()));
    }
    return sb.toString();
  }
}
