package dev.xenlevelling.xl;

/**
 * A request an xl command refuses as given (a bad option, a missing argument): xl's exit code
 * 2, where the library's other exceptions are a failed operation (exit 1).
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Returns a usage error saying {@code message} (without the command's name). */
  public UsageException(String message) {
    super(message);
  }
}
