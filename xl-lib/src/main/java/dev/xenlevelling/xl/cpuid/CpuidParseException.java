package dev.xenlevelling.xl.cpuid;

/**
 * A {@code cpuid=} item that libxl rejects, with libxl's return code and xl's message.
 *
 * <p>Deliberate deviation from xl: real xl prints these and creates the domain anyway, skipping
 * the bad item (string form) or string (list form). Here they are errors and nothing is created.
 */
public final class CpuidParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Which syntax an item was written in. */
  public enum Syntax {
    /** {@code cpuid="host,name=value,..."}: xl says "while parsing CPUID flag". */
    LIBXL("while parsing CPUID flag"),
    /** {@code cpuid=["leaf[,subleaf]:eXx=...", ...]}: xl says "while parsing CPUID line". */
    XEND("while parsing CPUID line");

    private final String context;

    Syntax(String context) {
      this.context = context;
    }
  }

  /** Why an item was rejected: libxl's return code and xl's words for it. */
  public enum Reason {
    /** libxl string form, code 1. */
    MISSING_EQUALS(Syntax.LIBXL, 1, "missing \"=\" in key=value"),
    /** libxl string form, code 2. */
    UNKNOWN_NAME(Syntax.LIBXL, 2, "unknown CPUID flag name"),
    /** libxl string form, code 3. */
    ILLEGAL_VALUE(Syntax.LIBXL, 3, "illegal CPUID value (must be: [0|1|x|k|s])"),
    /** libxl string form: xl's own check of the first word; xl has no code for it (0). */
    FIRST_WORD_NOT_HOST(Syntax.LIBXL, 0, "first word must be \"host\""),
    /** xend list form, code 1. */
    ILLEGAL_LEAF(Syntax.XEND, 1, "illegal leaf number"),
    /** xend list form, code 2. */
    ILLEGAL_SUBLEAF(Syntax.XEND, 2, "illegal subleaf number"),
    /** xend list form, code 3. */
    MISSING_COLON(Syntax.XEND, 3, "missing colon"),
    /** xend list form, code 4. */
    INVALID_REGISTER(Syntax.XEND, 4, "invalid register name (must be e[abcd]x)"),
    /** xend list form, code 5. */
    BAD_LENGTH(Syntax.XEND, 5, "policy string must be exactly 32 characters long");

    private final Syntax syntax;
    private final int code;
    private final String message;

    Reason(Syntax syntax, int code, String message) {
      this.syntax = syntax;
      this.code = code;
      this.message = message;
    }

    /** Returns the syntax the reason belongs to. */
    public Syntax syntax() {
      return syntax;
    }

    /** Returns libxl's return code (1 to 5), or 0 for xl's own first-word check. */
    public int code() {
      return code;
    }

    /** Returns xl's message for the code. */
    public String message() {
      return message;
    }
  }

  private final Reason reason;
  private final String item;

  /** Creates the exception for {@code item} rejected for {@code reason}. */
  public CpuidParseException(Reason reason, String item) {
    super(format(reason, item));
    this.reason = reason;
    this.item = item;
  }

  private static String format(Reason reason, String item) {
    if (reason == Reason.FIRST_WORD_NOT_HOST) {
      return "while parsing CPUID string: " + reason.message;
    }
    return reason.syntax.context + ": \"" + item + "\": error #" + reason.code + ": "
        + reason.message;
  }

  /** Returns the reason. */
  public Reason reason() {
    return reason;
  }

  /** Returns the rejected item (one {@code name=value} or one list string, or the whole value). */
  public String item() {
    return item;
  }
}
