package dev.xenlevelling.xc.policy;

/** A feature table file that breaks one of gen-cpuid.py's rules, with the file and line. */
final class FeatureTableException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  /** Creates the exception for a problem at {@code file:line} (line 0: the file as a whole). */
  FeatureTableException(String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
    this.file = file;
    this.line = line;
  }

  /** Returns the file's name. */
  String file() {
    return file;
  }

  /** Returns the 1-based line, or 0 where the problem is the file as a whole. */
  int line() {
    return line;
  }
}
