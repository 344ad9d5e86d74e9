package dev.xenlevelling.xl.policyfile;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A policy file that cannot be read or written, with the file, the line and column (1-based),
 * the key path ({@code hvm.limits.maxphysaddr}, empty where there is none) and what was expected.
 *
 * <p>The message is one line for the administrator:
 * {@code pool.yaml:12:18: hvm.limits.maxphysaddr: expected an integer from 1 to 64, found 'abc'}.
 */
public final class PolicyFileException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the file. */
  public enum Reason {
    /** The file cannot be read or written (missing, unreadable, disk full). */
    IO_ERROR,
    /**
     * The file is larger than a limit (bytes, recorded hosts); when writing, the policy would be:
     * it is not written.
     */
    TOO_LARGE,
    /** The file is not valid UTF-8. */
    NOT_UTF8,
    /** The text is not well-formed YAML, or holds more than one document. */
    MALFORMED_YAML,
    /** The YAML uses more aliases than the limit (a "billion laughs" bomb, say). */
    TOO_MANY_ALIASES,
    /** The YAML nests deeper than the limit. */
    NESTING_TOO_DEEP,
    /** A mapping has the same key twice. */
    DUPLICATE_KEY,
    /** A key the schema does not define. */
    UNKNOWN_KEY,
    /** A required key is absent. */
    MISSING_KEY,
    /** A value of the wrong kind (a mapping where a string was expected, say). */
    WRONG_TYPE,
    /** A value of the right kind but out of range or not one of the allowed values. */
    BAD_VALUE,
    /** A featureset that is not of the {@code %08x:%08x:...} form. */
    BAD_FEATURESET,
    /** A feature name the feature table does not know. */
    UNKNOWN_FEATURE,
    /** A schema version this code does not read. */
    UNSUPPORTED_VERSION,
    /** A policy for another CPU vendor than the host's. */
    WRONG_VENDOR
  }

  private final Reason reason;
  private final String file;
  private final int line;
  private final int column;
  private final String keyPath;
  private final String detail;

  /**
   * Creates the exception.
   *
   * @param line 1-based line, or 0 when the problem is the whole file
   * @param column 1-based column, or 0 when the problem is the whole file
   */
  public PolicyFileException(
      Reason reason, String file, int line, int column, String keyPath, String detail) {
    super(format(file, line, column, keyPath, detail));
    checkArgument(line >= 0 && column >= 0, "line (%s) and column (%s) must be >= 0", line, column);
    this.reason = reason;
    this.file = file;
    this.line = line;
    this.column = column;
    this.keyPath = keyPath;
    this.detail = detail;
  }

  private static String format(String file, int line, int column, String keyPath, String detail) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line).append(':').append(column);
    }
    sb.append(": ");
    if (!keyPath.isEmpty()) {
      sb.append(keyPath).append(": ");
    }
    return sb.append(detail).toString();
  }

  /** Returns what is wrong. */
  public Reason reason() {
    return reason;
  }

  /** Returns the file as it was named. */
  public String file() {
    return file;
  }

  /** Returns the 1-based line, or 0 when the problem is the whole file. */
  public int line() {
    return line;
  }

  /** Returns the 1-based column, or 0 when the problem is the whole file. */
  public int column() {
    return column;
  }

  /** Returns the key path ({@code hvm.limits.maxphysaddr}), empty where there is none. */
  public String keyPath() {
    return keyPath;
  }

  /** Returns what was expected and found, without the position. */
  public String detail() {
    return detail;
  }
}
