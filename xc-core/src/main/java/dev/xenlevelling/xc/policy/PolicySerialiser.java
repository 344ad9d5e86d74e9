package dev.xenlevelling.xc.policy;

import static com.google.common.base.Preconditions.checkNotNull;
import static dev.xenlevelling.xc.policy.CpuPolicy.EXTD_BASE;
import static dev.xenlevelling.xc.policy.CpuPolicy.HV2_LEAF;
import static dev.xenlevelling.xc.policy.CpuPolicy.HV_LEAF;
import static dev.xenlevelling.xc.policy.CpuPolicy.MAX_SERIALISED_LEAVES;
import static dev.xenlevelling.xc.policy.CpuPolicy.MAX_SERIALISED_MSRS;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_BASIC;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_CACHE;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_EXTD;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_FEAT;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_TOPO;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_XSTATE;
import static dev.xenlevelling.xc.policy.PolicyLayout.CACHE_SLOT;
import static dev.xenlevelling.xc.policy.PolicyLayout.EXTD_SLOT;
import static dev.xenlevelling.xc.policy.PolicyLayout.FEAT_SLOT;
import static dev.xenlevelling.xc.policy.PolicyLayout.TOPO_SLOT;
import static dev.xenlevelling.xc.policy.PolicyLayout.XSTATE_SLOT;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The serialised form of a {@link CpuPolicy}, as lib/x86/cpuid.c's
 * {@code x86_cpuid_copy_to_buffer} and {@code x86_cpuid_copy_from_buffer} and lib/x86/msr.c's
 * {@code x86_msr_copy_to_buffer} and {@code x86_msr_copy_from_buffer}: the leaf and MSR lists that
 * libxc and the hypervisor exchange.
 */
final class PolicySerialiser {
  private PolicySerialiser() {}

  /**
   * Returns {@code p}'s leaves as {@code x86_cpuid_copy_to_buffer} writes them; see
   * {@link CpuPolicy#toLeaves}.
   */
  static ImmutableList<CpuidLeaf> toLeaves(CpuPolicy p) {
    ImmutableList.Builder<CpuidLeaf> out = ImmutableList.builder();
    int maxBasic = (int) Math.min(Integer.toUnsignedLong(p.basicMaxLeaf()), NR_BASIC - 1);
    for (int leaf = 0; leaf <= maxBasic; leaf++) {
      switch (leaf) {
        case 0x4:
          for (int s = 0; s < NR_CACHE; s++) {
            out.add(p.at(leaf, s, CACHE_SLOT + s));
            if ((p.slotReg(CACHE_SLOT + s, 0) & 0x1f) == 0) {
              break;
            }
          }
          break;
        case 0x7:
          int maxSub = (int) Math.min(Integer.toUnsignedLong(p.leaf7MaxSubleaf()), NR_FEAT - 1);
          for (int s = 0; s <= maxSub; s++) {
            out.add(p.at(leaf, s, FEAT_SLOT + s));
          }
          break;
        case 0xb:
          for (int s = 0; s < NR_TOPO; s++) {
            out.add(p.at(leaf, s, TOPO_SLOT + s));
            if (((p.slotReg(TOPO_SLOT + s, 2) >>> 8) & 0xff) == 0) {
              break;
            }
          }
          break;
        case 0xd:
          out.add(p.at(leaf, 0, XSTATE_SLOT));
          out.add(p.at(leaf, 1, XSTATE_SLOT + 1));
          long xs = p.xstates() >>> 2;
          for (int s = 2; xs != 0 && s < NR_XSTATE; xs >>>= 1, s++) {
            out.add(p.at(leaf, s, XSTATE_SLOT + s));
          }
          break;
        default:
          out.add(p.at(leaf, CpuidLeaf.NO_SUBLEAF, leaf));
          break;
      }
    }
    out.add(new CpuidLeaf(HV_LEAF, CpuidLeaf.NO_SUBLEAF, p.hvLimit(), 0, 0, 0));
    out.add(new CpuidLeaf(HV2_LEAF, CpuidLeaf.NO_SUBLEAF, p.hv2Limit(), 0, 0, 0));
    int maxExtd = Math.min(p.extdMaxLeaf() & 0xffff, NR_EXTD - 1);
    for (int e = 0; e <= maxExtd; e++) {
      out.add(p.at(EXTD_BASE | e, CpuidLeaf.NO_SUBLEAF, EXTD_SLOT + e));
    }
    return out.build();
  }

  /** Returns {@code p}'s MSRs as {@code x86_msr_copy_to_buffer}; see {@link CpuPolicy#toMsrs}. */
  static ImmutableList<MsrEntry> toMsrs(CpuPolicy p) {
    return ImmutableList.of(
        new MsrEntry(MsrEntry.PLATFORM_INFO, 0, Integer.toUnsignedLong(p.platformInfo())),
        new MsrEntry(MsrEntry.ARCH_CAPS, 0, p.archCaps()));
  }

  /**
   * Returns {@code p} with serialised leaves and MSRs written over it, as
   * {@code x86_cpuid_copy_from_buffer} then {@code x86_msr_copy_from_buffer}; see
   * {@link CpuPolicy#mergeLeaves} for the rules and errors.
   */
  static CpuPolicy mergeLeaves(CpuPolicy p, List<CpuidLeaf> leaves, List<MsrEntry> msrs)
      throws PolicyException {
    checkNotNull(leaves, "leaves");
    checkNotNull(msrs, "msrs");
    if (leaves.size() > MAX_SERIALISED_LEAVES) {
      throw new PolicyException(Errno.E2BIG, PolicyError.UNKNOWN, String.format(Locale.ROOT,
          "%d CPUID leaves is more than Xen accepts (%d, CPUID_MAX_SERIALISED_LEAVES)",
          leaves.size(), MAX_SERIALISED_LEAVES));
    }
    CpuPolicy.Builder b = p.toBuilder();
    for (CpuidLeaf l : leaves) {
      checkNotNull(l, "leaf");
      Optional<String> why = PolicyLayout.whyOutOfRange(l.leaf(), l.subleaf());
      if (why.isPresent()) {
        throw new PolicyException(Errno.ERANGE, PolicyError.leaf(l.leaf(), l.subleaf()), why.get());
      }
      b.put(l);
    }
    if (msrs.size() > MAX_SERIALISED_MSRS) {
      throw new PolicyException(Errno.E2BIG, PolicyError.UNKNOWN, String.format(Locale.ROOT,
          "%d MSRs is more than Xen accepts (%d, MSR_MAX_SERIALISED_ENTRIES)",
          msrs.size(), MAX_SERIALISED_MSRS));
    }
    for (MsrEntry m : msrs) {
      checkNotNull(m, "msr");
      Optional<PolicyException> bad = msrProblem(m);
      if (bad.isPresent()) {
        throw bad.get();
      }
      b.putMsr(m);
    }
    return b.build();
  }

  /** Returns what {@code x86_msr_copy_from_buffer} would refuse about {@code m}, if anything. */
  static Optional<PolicyException> msrProblem(MsrEntry m) {
    PolicyError at = PolicyError.msr(m.index());
    if (m.flags() != 0) {
      return Optional.of(new PolicyException(Errno.EINVAL, at, String.format(Locale.ROOT,
          "MSR 0x%08x has flags 0x%08x; flags must be zero", m.index(), m.flags())));
    }
    switch (m.index()) {
      case MsrEntry.PLATFORM_INFO:
        if ((m.value() >>> 32) != 0) {
          return Optional.of(new PolicyException(Errno.EOVERFLOW, at, String.format(Locale.ROOT,
              "MSR 0x%08x (PLATFORM_INFO) value 0x%x does not fit Xen's 32 bits",
              m.index(), m.value())));
        }
        return Optional.empty();
      case MsrEntry.ARCH_CAPS:
        return Optional.empty();
      default:
        return Optional.of(new PolicyException(Errno.ERANGE, at, String.format(Locale.ROOT,
            "MSR 0x%08x is not in a CPU policy (only 0xce PLATFORM_INFO and 0x10a ARCH_CAPS)",
            m.index())));
    }
  }
}
