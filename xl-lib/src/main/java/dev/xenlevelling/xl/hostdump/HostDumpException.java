package dev.xenlevelling.xl.hostdump;

/** A host dump that cannot be read, with the reason and one line naming the file and line. */
public final class HostDumpException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a dump cannot be read. */
  public enum Reason {
    /** The file cannot be read (missing, unreadable, too large). */
    UNREADABLE,
    /** The content is none of the formats this reader knows. */
    UNRECOGNISED,
    /** The content is of a known format but malformed at a line. */
    SYNTAX,
    /** The content is well formed but lacks what levelling needs (a vendor, a featureset). */
    CONTENT
  }

  private final Reason reason;

  /** Creates the exception for {@code reason}; {@code message} starts with the file's name. */
  public HostDumpException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Returns why the dump cannot be read. */
  public Reason reason() {
    return reason;
  }
}
