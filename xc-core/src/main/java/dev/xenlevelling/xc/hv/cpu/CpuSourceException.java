package dev.xenlevelling.xc.hv.cpu;

/**
 * A CPU source that could not be read: the reason, and one line that says where (file:line:column
 * where there is one) and what was expected.
 */
public final class CpuSourceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a CPU source was refused. */
  public enum Reason {
    /** The file or device could not be read. */
    UNREADABLE,
    /** The text does not have the source's syntax (XML, YAML, xen-cpuid output). */
    SYNTAX,
    /** The syntax is right but a value is wrong or missing. */
    CONTENT,
    /** A profile name, file or source kind that does not exist. */
    NOT_FOUND,
    /** The input is larger than a CPU description can be. */
    TOO_LARGE
  }

  private final Reason reason;

  /** Creates the exception; {@code message} is the whole one-line diagnostic. */
  public CpuSourceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Returns why the source was refused. */
  public Reason reason() {
    return reason;
  }
}
