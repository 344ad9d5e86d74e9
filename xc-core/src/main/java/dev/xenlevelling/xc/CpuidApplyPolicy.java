package dev.xenlevelling.xc;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.Register;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * libxc's {@code xc_cpuid_apply_policy} (Xen's {@code tools/libs/guest/xg_cpuid_x86.c}) over the
 * facade's own calls: see {@link XcInterface#cpuidApplyPolicy}.
 */
final class CpuidApplyPolicy {
  private final XcInterface xc;
  private final FeatureTable table;

  CpuidApplyPolicy(XcInterface xc) {
    this.xc = xc;
    this.table = xc.featureTable();
  }

  /** Returns what Xen's clamping changed in the last policy set; see the facade's method. */
  ClampReport apply(int domid, boolean restore, Optional<Featureset> featureset, boolean pae,
      boolean itsc, boolean nestedVirt, List<XendCpuid> xend, List<XendMsr> msrs)
      throws XcException {
    checkNotNull(featureset, "featureset");
    checkNotNull(xend, "xend");
    checkNotNull(msrs, "msrs");
    // 1. Host featureset: a short buffer still fills, and libxc accepts ENOBUFS here.
    int[] hostWords = new int[xc.getCpuFeaturesetSize()];
    try {
      xc.getCpuFeatureset(FeaturesetIndex.HOST.value(), hostWords);
    } catch (XcException e) {
      if (e.errno() != Errno.ENOBUFS) {
        throw e;
      }
    }
    Featureset hostFs = Featureset.of(hostWords);
    // 2. The default policy of the domain's type.
    boolean hvm = xc.getDomainInfo(domid).type() == DomainType.HVM;
    CpuPolicy def = xc.getCpuPolicy(hvm ? PolicyIndex.HVM_DEFAULT : PolicyIndex.PV_DEFAULT);
    CpuPolicy host = xc.getCpuPolicy(PolicyIndex.HOST);
    CpuPolicy p = def;
    Featureset fs = p.featureset(table);
    // 3. Restore of a stream without a policy (older than 4.14).
    if (restore) {
      fs = copy(fs, hostFs, "rdrand", "hle", "rtm");
      if (hvm) {
        fs = copy(fs, hostFs, "mpx");
      }
      CpuPolicy.Builder b = p.toBuilder();
      if (Integer.compareUnsigned(p.basicMaxLeaf(), 0xd) > 0) {
        b.basicMaxLeaf(0xd);
      }
      if (Integer.compareUnsigned(p.leaf7MaxSubleaf(), 2) > 0) {
        b.leaf7MaxSubleaf(2);
      }
      if (Integer.compareUnsigned(p.extdMaxLeaf(), 0x80000021) > 0) {
        b.extdMaxLeaf(0x80000021);
      }
      p = b.build();
    }
    // 4. An explicit featureset, or the build options.
    if (featureset.isPresent()) {
      Featureset user = featureset.get();
      if (!user.beyond(table.nrWords()).isEmpty()) {
        throw new XcException(Errno.EOPNOTSUPP, Optional.empty(),
            "featureset has bits set past Xen's " + table.nrWords() + " words");
      }
      Featureset f = user.withLength(table.nrWords());
      for (int k : table.deepFeatures().features().toArray()) {
        if (!f.contains(k)) {
          f = f.andNot(table.deepDependents(k));
        }
      }
      fs = f;
    } else {
      fs = set(fs, "itsc", itsc);
      if (hvm) {
        fs = set(fs, "pae", pae);
        fs = set(fs, "vmx", nestedVirt);
        fs = set(fs, "svm", nestedVirt);
      }
    }
    // 5. Topology.
    if (!hvm) {
      fs = copy(fs, hostFs, "htt", "cmp-legacy");
      p = p.withFeatureset(fs, table);
    } else {
      fs = set(set(fs, "htt", true), "cmp-legacy", false);
      p = hvmTopology(p.withFeatureset(fs, table));
    }
    // 6. First set.
    ClampReport report = xc.setCpuPolicy(domid, p);
    // 7. The xend-style overrides.
    if (!xend.isEmpty()) {
      CpuPolicy cur = xc.getDomainCpuPolicy(domid);
      List<CpuidLeaf> curLeaves = new ArrayList<>(cur.toLeaves());
      List<CpuidLeaf> defLeaves = def.toLeaves();
      List<CpuidLeaf> hostLeaves = host.toLeaves();
      for (XendCpuid x : xend) {
        int ci = find(curLeaves, x.leaf(), x.subleaf());
        int di = find(defLeaves, x.leaf(), x.subleaf());
        int hi = find(hostLeaves, x.leaf(), x.subleaf());
        if (ci < 0 || di < 0 || hi < 0) {
          throw new XcException(Errno.EINVAL, Optional.empty(), String.format(Locale.ROOT,
              "Missing leaf %#x, subleaf %#x", x.leaf(), x.subleaf()));
        }
        CpuidLeaf c = curLeaves.get(ci);
        int[] regs = {c.a(), c.b(), c.c(), c.d()};
        for (Register r : Register.values()) {
          Optional<String> s = x.reg(r);
          if (s.isPresent()) {
            regs[r.ordinal()] = (int) apply(s.get(), defLeaves.get(di).get(r),
                hostLeaves.get(hi).get(r));
          }
        }
        curLeaves.set(ci, new CpuidLeaf(c.leaf(), c.subleaf(), regs[0], regs[1], regs[2], regs[3]));
      }
      report = xc.setCpuPolicy(domid, curLeaves, cur.toMsrs());
    }
    // 8. The MSR overrides.
    if (!msrs.isEmpty()) {
      CpuPolicy cur = xc.getDomainCpuPolicy(domid);
      List<MsrEntry> curMsrs = new ArrayList<>(cur.toMsrs());
      for (XendMsr m : msrs) {
        int ci = findMsr(curMsrs, m.index());
        int di = findMsr(def.toMsrs(), m.index());
        int hi = findMsr(host.toMsrs(), m.index());
        if (ci < 0 || di < 0 || hi < 0) {
          throw new XcException(Errno.ENOENT, Optional.empty(), String.format(Locale.ROOT,
              "Missing MSR %#x", m.index()));
        }
        long v = apply(m.policy(), def.toMsrs().get(di).value(), host.toMsrs().get(hi).value());
        curMsrs.set(ci, new MsrEntry(m.index(), 0, v));
      }
      report = xc.setCpuPolicy(domid, List.of(), curMsrs);
    }
    return report;
  }

  /** HVM topology of {@code xc_cpuid_apply_policy}: vLAPIC_ID = vCPU_ID * 2. */
  private static CpuPolicy hvmTopology(CpuPolicy p) {
    CpuPolicy.Builder b = p.toBuilder();
    int ebx = p.reg(1, CpuidLeaf.NO_SUBLEAF, Register.EBX);
    int lppp = (ebx >>> 16) & 0xff;
    if (lppp == 0) {
      lppp = 2;
    } else if ((lppp & 0x80) == 0) {
      lppp *= 2;
    }
    b.reg(1, CpuidLeaf.NO_SUBLEAF, Register.EBX, (ebx & 0xff00ffff) | (lppp << 16));
    switch (p.vendor()) {
      case INTEL:
        for (int i = 0; i < CpuPolicy.NR_CACHE; i++) {
          int eax = p.reg(4, i, Register.EAX);
          if ((eax & 0x1f) == 0) {
            break;
          }
          int cores = (eax >>> 26) & 0x3f;
          cores = ((cores << 1) | 1) & 0x3f;
          eax = (eax & 0x03ffffff & ~(0xfff << 14)) | (cores << 26);
          b.reg(4, i, Register.EAX, eax);
        }
        break;
      case AMD:
      case HYGON:
        int ecx = p.reg(0x80000008, CpuidLeaf.NO_SUBLEAF, Register.ECX);
        int nc = ecx & 0xff;
        int size = (ecx >>> 12) & 0xf;
        if (nc < 0x7f) {
          if (size != 0 && size < 7) {
            size++;
          }
          nc = (nc << 1) | 1;
          b.reg(0x80000008, CpuidLeaf.NO_SUBLEAF, Register.ECX,
              (ecx & ~0xf0ff) | (size << 12) | nc);
        }
        break;
      default:
        break;
    }
    return b.build();
  }

  /** Returns the value of a {@code 1 0 x k s} string (MSB first) over the default and host. */
  private static long apply(String s, long def, long host) throws XcException {
    int n = s.length();
    long v = 0;
    for (int j = 0; j < n; j++) {
      long bit = 1L << j;
      char c = s.charAt(n - 1 - j);
      switch (c) {
        case '1':
          v |= bit;
          break;
        case '0':
          break;
        case 'x':
          v |= def & bit;
          break;
        case 'k':
        case 's':
          v |= host & bit;
          break;
        default:
          throw new XcException(Errno.EINVAL, Optional.empty(),
              "Bad character '" + c + "' in policy string '" + s + "'");
      }
    }
    return n == 32 ? v & 0xffffffffL : v;
  }

  private static int find(List<CpuidLeaf> leaves, int leaf, int subleaf) {
    for (int i = 0; i < leaves.size(); i++) {
      if (leaves.get(i).leaf() == leaf && leaves.get(i).subleaf() == subleaf) {
        return i;
      }
    }
    return -1;
  }

  private static int findMsr(List<MsrEntry> msrs, int index) {
    for (int i = 0; i < msrs.size(); i++) {
      if (msrs.get(i).index() == index) {
        return i;
      }
    }
    return -1;
  }

  private Featureset copy(Featureset fs, Featureset from, String... names) {
    for (String n : names) {
      fs = set(fs, n, from.contains(index(n)));
    }
    return fs;
  }

  private Featureset set(Featureset fs, String name, boolean on) {
    int i = index(name);
    return on ? fs.with(i) : fs.without(i);
  }

  private int index(String name) {
    return table.byName(name).orElseThrow(() -> new AssertionError(name)).index();
  }
}
