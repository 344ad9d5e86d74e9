package dev.xenlevelling.xc.policy;

/**
 * A featureset text that is not of the {@code %08x:%08x:...} form, with the column (1-based) where
 * it goes wrong and what was expected there.
 */
public final class FeaturesetFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int column;
  private final String reason;

  /** Creates the exception for {@code reason} at 1-based {@code column}. */
  public FeaturesetFormatException(int column, String reason) {
    super("column " + column + ": " + reason);
    this.column = column;
    this.reason = reason;
  }

  /** Returns the 1-based column of the first character that does not fit. */
  public int column() {
    return column;
  }

  /** Returns what was wrong, without the column. */
  public String reason() {
    return reason;
  }
}
