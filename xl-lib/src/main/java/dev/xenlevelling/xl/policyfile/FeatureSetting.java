package dev.xenlevelling.xl.policyfile;

import java.util.Optional;

/**
 * A per-feature setting of a policy file, as libxl's per-bit {@code cpuid=} characters (xl.cfg(5),
 * applied by xc_cpuid_xend_policy): how the feature's bit is set in the guest's policy.
 */
public enum FeatureSetting {
  /** {@code 0}: off. */
  OFF('0'),
  /** {@code 1}: on (within what the host can give). */
  ON('1'),
  /** {@code x}: the default policy's value. */
  DEFAULT('x'),
  /** {@code k}: the host's value. */
  KEEP('k'),
  /** {@code s}: the value the domain had before (kept across save/restore and migration). */
  SAME('s');

  private final char code;

  FeatureSetting(char code) {
    this.code = code;
  }

  /** Returns the character as written in cpuid= and in policy files. */
  public char code() {
    return code;
  }

  /** Returns the setting written {@code text}, if it is one of 0, 1, x, k, s. */
  public static Optional<FeatureSetting> ofCode(String text) {
    if (text.length() == 1) {
      for (FeatureSetting s : values()) {
        if (s.code == text.charAt(0)) {
          return Optional.of(s);
        }
      }
    }
    return Optional.empty();
  }
}
