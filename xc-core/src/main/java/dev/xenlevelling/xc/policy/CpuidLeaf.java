package dev.xenlevelling.xc.policy;

/**
 * One serialised CPUID leaf, as Xen's {@code xen_cpuid_leaf_t}: the input leaf and subleaf and the
 * four output registers. A leaf without subleaves carries {@link #NO_SUBLEAF}.
 *
 * @param leaf the input EAX
 * @param subleaf the input ECX, or {@link #NO_SUBLEAF} ({@code XEN_CPUID_NO_SUBLEAF})
 * @param a output EAX
 * @param b output EBX
 * @param c output ECX
 * @param d output EDX
 */
public record CpuidLeaf(int leaf, int subleaf, int a, int b, int c, int d) {
  /** The subleaf of a leaf that has none ({@code XEN_CPUID_NO_SUBLEAF}, 0xffffffff). */
  public static final int NO_SUBLEAF = 0xffffffff;

  /** Returns whether all four output registers are zero. */
  public boolean isZero() {
    return (a | b | c | d) == 0;
  }

  /** Returns output register {@code r}. */
  public int get(Register r) {
    switch (r) {
      case EAX: return a;
      case EBX: return b;
      case ECX: return c;
      case EDX: return d;
      default: throw new AssertionError(r);
    }
  }
}
