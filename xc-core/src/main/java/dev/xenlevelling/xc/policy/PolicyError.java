package dev.xenlevelling.xc.policy;

/**
 * Where a CPU policy was refused, as the {@code err_leaf}, {@code err_subleaf} and
 * {@code err_msr} fields Xen fills on failure; {@link #NONE} (-1, printed 0xffffffff) where a
 * field does not apply.
 *
 * @param errLeaf the offending leaf, or NONE
 * @param errSubleaf the offending subleaf, or NONE
 * @param errMsr the offending MSR index, or NONE
 */
public record PolicyError(int errLeaf, int errSubleaf, int errMsr) {
  /** The value of a field that does not apply (libxc initialises all three to -1). */
  public static final int NONE = -1;

  /** No position: the error is not about one leaf or MSR. */
  public static final PolicyError UNKNOWN = new PolicyError(NONE, NONE, NONE);

  /** Returns the error for leaf {@code leaf}, subleaf {@code subleaf}. */
  public static PolicyError leaf(int leaf, int subleaf) {
    return new PolicyError(leaf, subleaf, NONE);
  }

  /** Returns the error for MSR {@code msr}. */
  public static PolicyError msr(int msr) {
    return new PolicyError(NONE, NONE, msr);
  }

  /** Returns libxc's wording: {@code leaf %08x, subleaf %08x, msr %08x}. */
  @Override
  public String toString() {
    return String.format("leaf %08x, subleaf %08x, msr %08x", errLeaf, errSubleaf, errMsr);
  }
}
