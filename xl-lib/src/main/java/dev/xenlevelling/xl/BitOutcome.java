package dev.xenlevelling.xl;

/**
 * What became of one requested bit once the hypervisor clamped the domain's policy.
 *
 * @param bit the request
 * @param wanted the value asked for ({@code k}/{@code s}: the host's value)
 * @param got the value the domain has
 * @param reason why they differ; {@link Reason#HONOURED} when they do not
 * @param detail a few words for the user ({@code host lacks it}, {@code needs avx, which is off})
 */
public record BitOutcome(RequestedBit bit, boolean wanted, boolean got, Reason reason,
    String detail) {

  /** Why a requested bit has a value other than the one asked for. */
  public enum Reason {
    /** The domain has the value asked for. */
    HONOURED,
    /** Asked on, but the host does not have the feature. */
    HOST_LACKS,
    /** The host has it, but Xen does not offer it to this guest type (max policy). */
    NOT_FOR_GUEST_TYPE,
    /** Offered, but a feature it depends on is off. */
    DEPENDENCY_OFF,
    /** Xen sets the bit itself (host value, or a field it recalculates). */
    XEN_OVERRIDES
  }

  /** Returns whether the hypervisor changed the bit. */
  public boolean clamped() {
    return reason != Reason.HONOURED;
  }

  /** Returns one line for the user: {@code avx512f=1: got 0 (host lacks it)}. */
  public String describe() {
    return bit.name() + "=" + bit.value() + ": got " + (got ? 1 : 0) + " (" + detail + ")";
  }
}
