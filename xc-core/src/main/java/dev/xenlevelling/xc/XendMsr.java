package dev.xenlevelling.xc;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One entry of libxc's MSR override list ({@code xc_msr}): an MSR index and a string of 64
 * characters from {@code 1 0 x k s}, bit 63 first.
 *
 * @param index the MSR index
 * @param policy the 64-character policy string
 */
public record XendMsr(int index, String policy) {
  /** Checks the string's length. */
  public XendMsr {
    checkArgument(policy.length() == 64, "MSR policy string must be 64 characters: %s", policy);
  }
}
