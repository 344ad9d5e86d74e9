package dev.xenlevelling.xl.level;

/** A pool that cannot be levelled, with the reason and an explanation for the administrator. */
public final class LevelException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a pool cannot be levelled. */
  public enum Reason {
    /** No host was given. */
    NO_HOSTS,
    /** Two hosts have the same name. */
    DUPLICATE_HOST,
    /** The hosts are not all of one CPU vendor (and levelling per vendor was not asked for). */
    MIXED_VENDORS,
    /** No guest type is supported by every host, so nothing can run anywhere in the pool. */
    NO_COMMON_GUEST_TYPE,
    /** A line of featureset text given to the fast path is not of the {@code %08x:...} form. */
    MALFORMED_FEATURESET
  }

  private final Reason reason;

  /** Creates the exception for {@code reason}, explained by {@code message}. */
  public LevelException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Returns why the pool cannot be levelled. */
  public Reason reason() {
    return reason;
  }
}
