package dev.xenlevelling.xc.abi;

import java.util.Optional;

/**
 * The index of {@code XEN_SYSCTL_get_cpu_policy} ({@code XEN_SYSCTL_cpu_policy_*}); note that the
 * order differs from {@link FeaturesetIndex}.
 */
public enum PolicyIndex {
  /** 0: raw. */
  RAW(0, "Raw"),
  /** 1: host. */
  HOST(1, "Host"),
  /** 2: PV max. */
  PV_MAX(2, "PV Max"),
  /** 3: HVM max. */
  HVM_MAX(3, "HVM Max"),
  /** 4: PV default. */
  PV_DEFAULT(4, "PV Default"),
  /** 5: HVM default. */
  HVM_DEFAULT(5, "HVM Default");

  private final int value;
  private final String title;

  PolicyIndex(int value, String title) {
    this.value = value;
    this.title = title;
  }

  /** Returns the index number Xen's sysctl takes. */
  public int value() {
    return value;
  }

  /** Returns the name xen-cpuid prints for the policy ({@code <title> policy: ...}). */
  public String title() {
    return title;
  }

  /** Returns the index numbered {@code value}, or empty if Xen has none there. */
  public static Optional<PolicyIndex> of(int value) {
    for (PolicyIndex i : values()) {
      if (i.value == value) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Returns whether this is a PV policy (compiled out with PV). */
  public boolean isPv() {
    return this == PV_MAX || this == PV_DEFAULT;
  }

  /** Returns whether this is an HVM policy (compiled out with HVM). */
  public boolean isHvm() {
    return this == HVM_MAX || this == HVM_DEFAULT;
  }
}
