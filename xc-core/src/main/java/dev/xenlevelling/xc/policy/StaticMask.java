package dev.xenlevelling.xc.policy;

/**
 * The static featureset masks gen-cpuid.py computes from the attributes, numbered as libxc's
 * {@code XC_FEATUREMASK_*} (SIMPLE_OR, which libxc does not export, comes last).
 */
public enum StaticMask {
  /** Every defined feature. */
  KNOWN(0, "Known"),
  /** The {@code !} features. */
  SPECIAL(1, "Special"),
  /** A and a. */
  PV_MAX(2, "PV Max"),
  /** A. */
  PV_DEF(3, "PV Default"),
  /** A, a, S and s. */
  HVM_SHADOW_MAX(4, "HVM Shadow Max"),
  /** A and S. */
  HVM_SHADOW_DEF(5, "HVM Shadow Default"),
  /** A, a, S, s, H and h. */
  HVM_HAP_MAX(6, "HVM Hap Max"),
  /** A, S and H. */
  HVM_HAP_DEF(7, "HVM Hap Default"),
  /** The {@code |} features, to be OR-ed across a pool. */
  SIMPLE_OR(8, "Simple OR");

  private final int value;
  private final String title;

  StaticMask(int value, String title) {
    this.value = value;
    this.title = title;
  }

  /** Returns the mask's number ({@code XC_FEATUREMASK_*}). */
  public int value() {
    return value;
  }

  /** Returns the name xen-cpuid prints for the mask under "Static sets:". */
  public String title() {
    return title;
  }
}
