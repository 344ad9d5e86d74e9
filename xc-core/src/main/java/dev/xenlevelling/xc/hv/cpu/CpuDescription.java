package dev.xenlevelling.xc.hv.cpu;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.policy.CpuidLeaf;

/**
 * A real CPU as a simulated host boots from it: what CPUID returned on it, leaf by leaf, and the
 * MSRs that were read, as a CPU source (a libvirt dump, {@code xen-cpuid -p} text, a YAML host
 * profile or this machine) describes it.
 *
 * <p>The leaves are as the source gave them: a leaf without subleaves may carry subleaf 0 (libvirt
 * dumps) or {@link CpuidLeaf#NO_SUBLEAF} ({@code xen-cpuid -p}); boot normalises that.
 *
 * @param source where the description came from (a path, a profile name or {@code local})
 * @param brand the processor's brand string, or empty if the source does not give one
 * @param leaves the CPUID leaves, in the source's order
 * @param msrs the MSRs read from the CPU, by index (ARCH_CAPS 0x10a, PLATFORM_INFO 0xce, ...)
 */
public record CpuDescription(
    String source, String brand, ImmutableList<CpuidLeaf> leaves,
    ImmutableSortedMap<Integer, Long> msrs) {

  /** Checks that there is at least leaf 0. */
  public CpuDescription {
    checkArgument(leaves.stream().anyMatch(l -> l.leaf() == 0),
        "a CPU description needs leaf 0 (source %s)", source);
  }

  /**
   * Returns the output of leaf {@code leaf}, subleaf {@code subleaf} (a leaf without subleaves
   * matches any subleaf), or an all-zero leaf if the source has none.
   */
  public CpuidLeaf leaf(int leaf, int subleaf) {
    CpuidLeaf any = null;
    for (CpuidLeaf l : leaves) {
      if (l.leaf() == leaf) {
        if (l.subleaf() == subleaf) {
          return l;
        }
        if (any == null && (l.subleaf() == CpuidLeaf.NO_SUBLEAF || subleaf == CpuidLeaf.NO_SUBLEAF)) {
          any = l;
        }
      }
    }
    return any != null ? any : new CpuidLeaf(leaf, subleaf, 0, 0, 0, 0);
  }
}
