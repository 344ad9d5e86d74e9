package dev.xenlevelling.xc.policy;

/**
 * One serialised MSR of a CPU policy, as Xen's {@code xen_msr_entry_t}.
 *
 * @param index the MSR index (0xce PLATFORM_INFO or 0x10a ARCH_CAPS in a valid policy)
 * @param flags must be zero (Xen answers EINVAL otherwise)
 * @param value the 64-bit value
 */
public record MsrEntry(int index, int flags, long value) {
  /** MSR_PLATFORM_INFO. */
  public static final int PLATFORM_INFO = 0xce;
  /** MSR_ARCH_CAPABILITIES. */
  public static final int ARCH_CAPS = 0x10a;
}
