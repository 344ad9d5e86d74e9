package dev.xenlevelling.xc.abi;

/**
 * A microcode level the simulated CPU runs (simulated: real microcode changes what CPUID says
 * before Xen reads it).
 */
public enum Microcode {
  /** As the CPU source recorded it. */
  AS_DUMPED("as-dumped"),
  /**
   * Intel's TSX-removing microcode (2021, TAA/TSX_FORCE_ABORT): on an Intel CPU with HLE or
   * RTM, they vanish from CPUID and RTM_ALWAYS_ABORT and TSX_FORCE_ABORT appear, so Xen runs with
   * RTM disabled (tsx.c); any other CPU is unchanged.
   */
  TSX_OFF("tsx-off"),
  /**
   * Intel's older TSX-removing microcode (2014-2016, the Haswell/Broadwell TSX errata such as
   * HSW136): on an Intel CPU with HLE or RTM, they vanish from CPUID and no TSX control MSR
   * appears, so Xen (tsx.c) has nothing to force back: the host, and so every max and default
   * policy, lacks them.
   */
  TSX_HIDDEN("tsx-hidden");

  private final String optionName;

  Microcode(String optionName) {
    this.optionName = optionName;
  }

  /** Returns the name {@code xensim boot --microcode} takes. */
  public String optionName() {
    return optionName;
  }

  /** Returns the microcode named {@code name}, or throws IllegalArgumentException. */
  public static Microcode ofName(String name) {
    for (Microcode m : values()) {
      if (m.optionName.equals(name)) {
        return m;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Microcode m : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(m.optionName);
    }
    throw new IllegalArgumentException("unknown microcode '" + name + "' (" + known + ")");
  }
}
