package dev.xenlevelling.xc.policy.text;

/**
 * Text that is not {@code xen-cpuid -p} output; the message names the file, line and column.
 * Callers carry it into their own layer's exception with the same message.
 */
public final class XenCpuidPrintoutException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is wrong: a line of the wrong shape, or a well-shaped line Xen would not print. */
  public enum Kind {
    /** A line that is not one xen-cpuid -p prints, or a leaf before any block. */
    SYNTAX,
    /** A well-shaped line whose value a Xen policy cannot hold. */
    CONTENT
  }

  private final Kind kind;

  XenCpuidPrintoutException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
