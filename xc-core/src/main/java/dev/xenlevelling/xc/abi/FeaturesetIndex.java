package dev.xenlevelling.xc.abi;

import java.util.Optional;

/** The index of {@code XEN_SYSCTL_get_cpu_featureset} (latest and 4.17.2+ numbering). */
public enum FeaturesetIndex {
  /** 0: the raw featureset. */
  RAW(0, "Raw"),
  /** 1: the host featureset. */
  HOST(1, "Host"),
  /** 2: the PV default featureset. */
  PV(2, "PV Default"),
  /** 3: the HVM default featureset. */
  HVM(3, "HVM Default"),
  /** 4: the PV max featureset (4.18+, 4.17.2+). */
  PV_MAX(4, "PV Max"),
  /** 5: the HVM max featureset. */
  HVM_MAX(5, "HVM Max");

  private final int value;
  private final String title;

  FeaturesetIndex(int value, String title) {
    this.value = value;
    this.title = title;
  }

  /** Returns the index number Xen's sysctl takes. */
  public int value() {
    return value;
  }

  /** Returns the name xen-cpuid prints for the set under "Dynamic sets:". */
  public String title() {
    return title;
  }

  /** Returns the index numbered {@code value}, or empty if Xen has none there. */
  public static Optional<FeaturesetIndex> of(int value) {
    for (FeaturesetIndex i : values()) {
      if (i.value == value) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Returns the system policy this featureset comes from. */
  public PolicyIndex policy() {
    switch (this) {
      case RAW: return PolicyIndex.RAW;
      case HOST: return PolicyIndex.HOST;
      case PV: return PolicyIndex.PV_DEFAULT;
      case HVM: return PolicyIndex.HVM_DEFAULT;
      case PV_MAX: return PolicyIndex.PV_MAX;
      case HVM_MAX: return PolicyIndex.HVM_MAX;
      default: throw new AssertionError(this);
    }
  }
}
