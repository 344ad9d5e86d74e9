package dev.xenlevelling.xc;

import static com.google.common.base.Preconditions.checkArgument;

import dev.xenlevelling.xc.policy.Register;
import java.util.Optional;

/**
 * One entry of libxc's xend-style CPUID override list ({@code xc_xend_cpuid}): a leaf, a subleaf
 * ({@link #NO_SUBLEAF} for none) and, per register, an optional string of 32 characters from
 * {@code 1 0 x k s}, most significant bit first. The characters are checked when the policy is
 * applied, as libxc does, not here.
 *
 * @param leaf the leaf
 * @param subleaf the subleaf, or NO_SUBLEAF
 * @param eax the eax string, if the entry overrides eax
 * @param ebx the ebx string, if given
 * @param ecx the ecx string, if given
 * @param edx the edx string, if given
 */
public record XendCpuid(int leaf, int subleaf, Optional<String> eax, Optional<String> ebx,
    Optional<String> ecx, Optional<String> edx) {
  /** The subleaf of an entry without one ({@code XEN_CPUID_INPUT_UNUSED}). */
  public static final int NO_SUBLEAF = 0xffffffff;

  /** Checks that every string given is exactly 32 characters (libxl refuses others earlier). */
  public XendCpuid {
    for (Optional<String> s : java.util.List.of(eax, ebx, ecx, edx)) {
      checkArgument(s.isEmpty() || s.get().length() == 32,
          "policy string must be exactly 32 characters long: %s", s);
    }
  }

  /** Returns the string for register {@code r}, if given. */
  public Optional<String> reg(Register r) {
    switch (r) {
      case EAX: return eax;
      case EBX: return ebx;
      case ECX: return ecx;
      case EDX: return edx;
      default: throw new AssertionError(r);
    }
  }
}
