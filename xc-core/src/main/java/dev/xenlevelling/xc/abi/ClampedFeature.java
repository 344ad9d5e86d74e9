package dev.xenlevelling.xc.abi;

/**
 * One feature a {@code set_cpu_policy} asked for that Xen silently changed, and why.
 *
 * @param name the feature's name ({@code bit N} for a bit the feature table does not know)
 * @param index the feature number (word * 32 + bit)
 * @param reason why it was changed
 * @param detail a few words naming the max policy, the absent prerequisite or the host value
 */
public record ClampedFeature(String name, int index, Reason reason, String detail) {
  /** Why Xen changed a requested feature bit. */
  public enum Reason {
    /** Its leaf lies above the policy's max leaf / subleaf, so Xen zeroed it (step 4). */
    LEAF_OUT_OF_RANGE,
    /** Requested on, but the host does not have it. */
    NOT_IN_HOST,
    /** The host has it, but the max policy of this guest type does not offer it. */
    NOT_FOR_GUEST_TYPE,
    /** Offered, but a feature it depends on is off (sanitise_featureset). */
    DEPENDENCY,
    /** Xen always takes this bit from the host (fdp-excp-only, no-fpu-sel); it was changed. */
    HOST_VALUE,
    /** xsave is dropped when the basic max leaf is below 0xd. */
    NO_XSAVE_LEAF
  }

  /** Returns one line for a user: {@code avx512f: not in host}. */
  @Override
  public String toString() {
    return name + ": " + detail;
  }
}
