package dev.xenlevelling.xl.config;

/**
 * A config file (or command-line setting) that libxlutil's grammar, or xl's meaning of a key,
 * rejects: where, and what was expected. Its message is one line:
 * {@code FILE:LINE:COLUMN: MESSAGE}, or {@code MESSAGE} alone for a problem of the whole file
 * ({@link #ofFile}).
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;
  private final String detail;

  /** Creates the exception for a problem at {@code file:line:column}. */
  public ConfigException(String file, int line, int column, String message) {
    super(file + ":" + line + ":" + column + ": " + message);
    this.file = file;
    this.line = line;
    this.column = column;
    this.detail = message;
  }

  /**
   * Returns the exception for a problem of the whole of {@code file} (a key it lacks), which has
   * no place: its message is {@code message} alone, as xl prints it; line and column are 0.
   */
  public static ConfigException ofFile(String file, String message) {
    return new ConfigException(file, message);
  }

  private ConfigException(String file, String message) {
    super(message);
    this.file = file;
    this.line = 0;
    this.column = 0;
    this.detail = message;
  }

  /** Creates the exception for a problem at {@code position}, caused by {@code cause}. */
  public ConfigException(Position position, String message, Throwable cause) {
    this(position, message);
    initCause(cause);
  }

  /** Creates the exception for a problem at {@code position}. */
  public ConfigException(Position position, String message) {
    this(position.source(), position.line(), position.column(), message);
  }

  /** Returns the file's name (or {@code <command line>}). */
  public String file() {
    return file;
  }

  /** Returns the 1-based line (0 for a problem of the whole file). */
  public int line() {
    return line;
  }

  /** Returns the 1-based column (0 for a problem of the whole file). */
  public int column() {
    return column;
  }

  /** Returns the message without the position. */
  public String detail() {
    return detail;
  }
}
