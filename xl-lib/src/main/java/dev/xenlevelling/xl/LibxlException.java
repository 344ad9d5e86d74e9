package dev.xenlevelling.xl;

/** A libxl operation that failed: the reason, and a one-line message with the details. */
public final class LibxlException extends Exception {
  private static final long serialVersionUID = 1L;

  private final LibxlError error;

  /** Creates the exception; the message is the error's words, then {@code detail}. */
  public LibxlException(LibxlError error, String detail) {
    super(error.message() + (detail.isEmpty() ? "" : ": " + detail));
    this.error = error;
  }

  /** Creates the exception with a cause. */
  public LibxlException(LibxlError error, String detail, Throwable cause) {
    this(error, detail);
    initCause(cause);
  }

  /** Returns the reason. */
  public LibxlError error() {
    return error;
  }
}
