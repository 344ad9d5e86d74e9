package dev.xenlevelling.xl.domain;

import java.util.Locale;
import java.util.Optional;

/** libxl's {@code libxl_tsc_mode}, with its fixed numbers. */
public enum TscMode {
  /** 0: Xen decides. */
  DEFAULT,
  /** 1: always emulate RDTSC (the guest sees an invariant TSC). */
  ALWAYS_EMULATE,
  /** 2: native RDTSC. */
  NATIVE,
  /** 3: native, with a paravirtual clock. */
  NATIVE_PARAVIRT;

  /** Returns libxl's name ({@code always_emulate}). */
  public String libxlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the mode named {@code s}, case-insensitively as libxl_tsc_mode_from_string. */
  public static Optional<TscMode> fromString(String s) {
    for (TscMode m : values()) {
      if (m.libxlName().equalsIgnoreCase(s)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
