package dev.xenlevelling.xl.level;

import static com.google.common.base.Preconditions.checkArgument;

import dev.xenlevelling.xc.policy.CpuPolicy;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The non-flag CPUID values that must be levelled across a pool besides the featureset
 * (fields of struct cpu_policy, xen/include/xen/lib/x86/cpu-policy.h): each is empty where it
 * is not known.
 *
 * @param maxLeaf the basic max leaf (leaf 0 eax, libxl's {@code maxleaf}), 0 to 0xffffffff
 * @param leaf7MaxSubleaf leaf 7 subleaf 0 eax, the highest leaf 7 subleaf
 * @param extdMaxLeaf the extended max leaf (0x80000000 eax), 0 to 0xffffffff
 * @param maxPhysAddr physical address bits (0x80000008 eax[7:0]), 1 to 64
 * @param xsaveMaxSize the largest XSAVE area in bytes (leaf 0xd subleaf 0 ecx)
 */
public record CpuLimits(
    OptionalLong maxLeaf,
    OptionalInt leaf7MaxSubleaf,
    OptionalLong extdMaxLeaf,
    OptionalInt maxPhysAddr,
    OptionalInt xsaveMaxSize) {

  /** Limits of which nothing is known. */
  public static final CpuLimits UNKNOWN = new CpuLimits(
      OptionalLong.empty(), OptionalInt.empty(), OptionalLong.empty(), OptionalInt.empty(),
      OptionalInt.empty());

  /** Validates the ranges. */
  public CpuLimits {
    maxLeaf.ifPresent(v -> checkArgument(v >= 0 && v <= 0xffffffffL,
        "maxLeaf (%s) must be a 32-bit unsigned value", v));
    extdMaxLeaf.ifPresent(v -> checkArgument(v >= 0 && v <= 0xffffffffL,
        "extdMaxLeaf (%s) must be a 32-bit unsigned value", v));
    leaf7MaxSubleaf.ifPresent(v -> checkArgument(v >= 0, "leaf7MaxSubleaf (%s) must be >= 0", v));
    maxPhysAddr.ifPresent(v -> checkArgument(v >= 1 && v <= 64,
        "maxPhysAddr (%s) must be in [1, 64]", v));
    xsaveMaxSize.ifPresent(v -> checkArgument(v >= 0, "xsaveMaxSize (%s) must be >= 0", v));
  }

  /** Returns the limits with every value given. */
  public static CpuLimits of(
      long maxLeaf, int leaf7MaxSubleaf, long extdMaxLeaf, int maxPhysAddr, int xsaveMaxSize) {
    return new CpuLimits(OptionalLong.of(maxLeaf), OptionalInt.of(leaf7MaxSubleaf),
        OptionalLong.of(extdMaxLeaf), OptionalInt.of(maxPhysAddr), OptionalInt.of(xsaveMaxSize));
  }

  /**
   * Returns the non-flag limits of policy {@code p}: its max leaves, leaf 7's max subleaf and
   * (when in [1, 64]) its physical address width; the XSAVE size is not compared.
   */
  public static CpuLimits ofPolicy(CpuPolicy p) {
    int paddr = p.maxPhysAddr();
    return new CpuLimits(OptionalLong.of(Integer.toUnsignedLong(p.basicMaxLeaf())),
        OptionalInt.of(p.leaf7MaxSubleaf()),
        OptionalLong.of(Integer.toUnsignedLong(p.extdMaxLeaf())),
        paddr >= 1 && paddr <= 64 ? OptionalInt.of(paddr) : OptionalInt.empty(),
        OptionalInt.empty());
  }

  /**
   * Returns the field-by-field minimum of this and {@code other}: what both hosts can give. A
   * value known on one side only is kept (the other host did not report it, so it cannot lower
   * it); deliberate choice: an unknown never hides a known bound.
   */
  public CpuLimits min(CpuLimits other) {
    return new CpuLimits(
        minL(maxLeaf, other.maxLeaf), minI(leaf7MaxSubleaf, other.leaf7MaxSubleaf),
        minL(extdMaxLeaf, other.extdMaxLeaf), minI(maxPhysAddr, other.maxPhysAddr),
        minI(xsaveMaxSize, other.xsaveMaxSize));
  }

  private static OptionalLong minL(OptionalLong a, OptionalLong b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
  }

  private static OptionalInt minI(OptionalInt a, OptionalInt b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return OptionalInt.of(Math.min(a.getAsInt(), b.getAsInt()));
  }
}
