package dev.xenlevelling.xc.abi;

/**
 * A non-feature field of a requested CPU policy that Xen's recalculation changed (max leaves,
 * maxphysaddr, maxlinaddr, the CLFLUSH size, the APIC id, ...).
 *
 * @param name the field ({@code basic max leaf}, {@code maxphysaddr}, ...)
 * @param requested the value asked for
 * @param result the value Xen kept
 * @param why a few words saying which rule did it
 */
public record ClampedField(String name, long requested, long result, String why) {
  /** Returns one line for a user: {@code maxphysaddr 0x34 -> 0x2e (...)}. */
  @Override
  public String toString() {
    return String.format("%s 0x%x -> 0x%x (%s)", name, requested, result, why);
  }
}
