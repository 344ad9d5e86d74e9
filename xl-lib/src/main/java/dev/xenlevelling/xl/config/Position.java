package dev.xenlevelling.xl.config;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A place in a config source.
 *
 * @param source the file name (or {@code <command line>})
 * @param line 1-based line
 * @param column 1-based column, in characters of the parsed text (a tab counts one; in a config
 *     file, read one character per byte as libxlutil reads it, bytes)
 */
public record Position(String source, int line, int column) {
  /** Validates the position. */
  public Position {
    checkArgument(line >= 1 && column >= 1, "line (%s) and column (%s) must be >= 1", line, column);
  }

  @Override
  public String toString() {
    return source + ":" + line + ":" + column;
  }
}
