package dev.xenlevelling.xencpuid;

import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.StaticMask;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads the {@link HostFacts} of {@code --json} through the libxc facade. */
final class HostFactsReader {
  private HostFactsReader() {}

  /** Returns the facts of the host behind {@code xc}, named {@code hostName}. */
  static HostFacts read(XcInterface xc, String hostName) throws XcException {
    CpuPolicy host = xc.getCpuPolicy(PolicyIndex.HOST.value());
    ImmutableMap.Builder<String, Optional<Featureset>> dynamic = ImmutableMap.builder();
    List<Optional<Featureset>> sets = HostFingerprint.dynamicSets(xc);
    for (int i = 0; i < sets.size(); i++) {
      dynamic.put(HostFacts.DYNAMIC_KEYS.get(i), sets.get(i));
    }
    ImmutableMap.Builder<StaticMask, Featureset> masks = ImmutableMap.builder();
    for (StaticMask m : StaticMask.values()) {
      masks.put(m, xc.featureTable().mask(m));
    }
    return new HostFacts(
        hostName,
        xc.xenVersion(),
        xc.xenCommandline(),
        vendorString(host),
        host.family(),
        host.model(),
        host.stepping(),
        host.basicMaxLeaf(),
        host.leaf7MaxSubleaf(),
        host.extdMaxLeaf(),
        xc.physinfo().maxPhysAddr(),
        new HostFacts.Xsave(host.xcr0Mask(), host.xssMask(), host.xstateSize()),
        xc.getCpuFeaturesetSize(),
        dynamic.build(),
        masks.build(),
        OptionalInt.of(xc.getCpuLevellingCaps().value()));
  }

  /** Returns the 12-character vendor string of leaf 0 (ebx, edx, ecx), as the CPU spells it. */
  static String vendorString(CpuPolicy p) {
    StringBuilder sb = new StringBuilder(12);
    for (Register r : new Register[] {Register.EBX, Register.EDX, Register.ECX}) {
      int v = p.reg(0, CpuidLeaf.NO_SUBLEAF, r);
      for (int i = 0; i < 4; i++) {
        sb.append((char) ((v >>> (8 * i)) & 0xff));
      }
    }
    return sb.toString();
  }

  /** Returns whether the vendor's levelling MSRs are AMD's override kind (AMD and Hygon). */
  static boolean isAmdLike(CpuPolicy p) {
    String v = vendorString(p);
    return v.equals("AuthenticAMD") || v.equals("HygonGenuine");
  }
}
