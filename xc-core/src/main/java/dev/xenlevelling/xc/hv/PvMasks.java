package dev.xenlevelling.xc.hv;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.abi.LevellingCaps;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.PvLevelling;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The masking / override MSR values Xen loads for a PV domain on hardware without CPUID faulting
 * ({@code domain_cpu_policy_changed} in domain.c, with the defaults of intel.c / amd.c), and what
 * the guest then sees through native CPUID.
 */
final class PvMasks {
  /** The CPUID bits common to 1d and e1d on AMD ({@code CPUID_COMMON_1D_FEATURES}). */
  static final int COMMON_1D = 0x0183f3ff;

  private PvMasks() {}

  static PvLevelling compute(Host host, CpuPolicy p) {
    LevellingCaps caps = host.levellingCaps();
    if (caps.faulting()) {
      return new PvLevelling(true, ImmutableMap.of(), ImmutableList.of());
    }
    CpuPolicy raw = host.policy(PolicyIndex.RAW);
    Featureset hostFs = host.featureset(PolicyIndex.HOST);
    Vendor v = host.vendor();
    boolean amd = Policies.isAmdLike(v);
    Map<String, Long> masks = new LinkedHashMap<>();
    // What native CPUID shows the guest, per featureset word; absent = the hardware value.
    Map<Integer, Integer> visible = new LinkedHashMap<>();
    Featureset pfs = p.featureset(host.table());

    if (LevellingProbe.hasAll(caps, LevellingProbe.LCAP_1CD)) {
      int ecx = pfs.word(1);
      int edx = pfs.word(0);
      if (hostFs.contains(Feat.X2APIC)) {
        ecx |= bit(Feat.X2APIC);
      }
      if (hostFs.contains(Feat.HTT)) {
        edx |= bit(Feat.HTT);
      }
      int rawEcx = Policies.reg(raw, 1, 0, Register.ECX);
      int rawEdx = Policies.reg(raw, 1, 0, Register.EDX);
      long mask;
      int fwdEcx = (ecx & bit(Feat.XSAVE)) != 0 ? bit(Feat.OSXSAVE) : 0;
      int fwdEdx = bit(Feat.APIC);
      if (amd) {
        int defEcx = rawEcx | bit(Feat.HYPERVISOR)
            | (hostFs.contains(Feat.XSAVE) ? bit(Feat.OSXSAVE) : 0);
        mask = pair(defEcx, rawEdx) & pair(ecx, edx);
        if (pfs.contains(Feat.HYPERVISOR)) {
          fwdEcx |= bit(Feat.HYPERVISOR);
        }
        mask |= pair(fwdEcx, fwdEdx);
        visible.put(1, (int) (mask >>> 32));
        visible.put(0, (int) mask);
      } else {
        mask = pair(edx, ecx);
        mask |= pair(fwdEdx, fwdEcx);
        visible.put(1, rawEcx & (int) mask);
        visible.put(0, rawEdx & (int) (mask >>> 32));
      }
      masks.put("1cd", mask);
    }
    if (LevellingProbe.hasAll(caps, LevellingProbe.LCAP_E1CD)) {
      int ecx = pfs.word(3);
      int edx = pfs.word(2);
      if (hostFs.contains(Feat.CMP_LEGACY)) {
        ecx |= bit(Feat.CMP_LEGACY);
      }
      if (!Policies.isAmdLike(p.vendor())) {
        edx &= ~COMMON_1D;
      }
      int rawEcx = Policies.reg(raw, 0x80000001, 0, Register.ECX);
      int rawEdx = Policies.reg(raw, 0x80000001, 0, Register.EDX);
      long mask;
      if (amd) {
        mask = pair(rawEcx, rawEdx) & pair(ecx, edx);
        visible.put(3, (int) (mask >>> 32));
        visible.put(2, (int) mask);
      } else {
        mask = pair(edx, ecx);
        visible.put(3, rawEcx & (int) mask);
        visible.put(2, rawEdx & (int) (mask >>> 32));
      }
      masks.put("e1cd", mask);
    }
    if (LevellingProbe.hasAll(caps, LevellingProbe.LCAP_DA1)) {
      long mask = (~0L << 32) | Integer.toUnsignedLong(pfs.word(4));
      masks.put("Da1", mask);
      visible.put(4, Policies.reg(raw, 0xd, 1, Register.EAX) & (int) mask);
    }
    if (LevellingProbe.hasAll(caps, LevellingProbe.LCAP_6C)) {
      int rawEcx = Policies.reg(raw, 6, 0, Register.ECX);
      long mask = ((~0L << 32) | Integer.toUnsignedLong(rawEcx))
          & ((~0L << 32) | Integer.toUnsignedLong(Policies.reg(p, 6, 0, Register.ECX)));
      masks.put("6c", mask);
    }
    if (LevellingProbe.hasAll(caps, LevellingProbe.LCAP_7AB0)) {
      long def = pair(Policies.reg(raw, 7, 0, Register.EAX), Policies.reg(raw, 7, 0, Register.EBX));
      long mask = def & pair(p.leaf7MaxSubleaf(), pfs.word(5));
      masks.put("7ab0", mask);
      visible.put(5, amd ? (int) mask : Policies.reg(raw, 7, 0, Register.EBX) & (int) mask);
    }

    // Which of the policy's restrictions native CPUID does not honour.
    FeatureTable t = host.table();
    Featureset rawFs = raw.featureset(t);
    ImmutableList.Builder<PvLevelling.Unenforceable> un = ImmutableList.builder();
    for (FeatureWord w : t.words()) {
      if (w.msr()) {
        continue; // MSR reads from a PV guest always trap to Xen
      }
      Integer vis = visible.get(w.index());
      int seen = vis != null ? vis : rawFs.word(w.index());
      int leak = seen & ~pfs.word(w.index());
      for (int b = 0; b < 32; b++) {
        if ((leak & (1 << b)) == 0) {
          continue;
        }
        int f = w.index() * 32 + b;
        Optional<Feature> ft = t.byIndex(f);
        if (ft.isEmpty() || f == Feat.OSXSAVE || f == Feat.OSPKE || f == Feat.APIC) {
          continue; // unknown bits, and the bits CPUID fast-forwards from live state
        }
        un.add(new PvLevelling.Unenforceable(ft.get().name(), w.label(),
            vis != null ? "host value forced through the mask" : "no masking MSR for this leaf"));
      }
    }
    return new PvLevelling(false, ImmutableMap.copyOf(masks), un.build());
  }

  private static int bit(int feature) {
    return 1 << (feature & 31);
  }

  private static long pair(int hi, int lo) {
    return (Integer.toUnsignedLong(hi) << 32) | Integer.toUnsignedLong(lo);
  }
}
