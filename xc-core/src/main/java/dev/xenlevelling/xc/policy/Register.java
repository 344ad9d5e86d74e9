package dev.xenlevelling.xc.policy;

/** One of the four CPUID output registers; for an MSR word, EAX is the low half and EDX the high. */
public enum Register {
  /** {@code eax}. */
  EAX,
  /** {@code ebx}. */
  EBX,
  /** {@code ecx}. */
  ECX,
  /** {@code edx}. */
  EDX;

  /** Returns the register's name in lower case, as Xen's tools write it ({@code eax}). */
  public String lowerName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Returns the register named {@code name} ({@code eax} ... {@code edx}, any case). */
  public static Register ofName(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
