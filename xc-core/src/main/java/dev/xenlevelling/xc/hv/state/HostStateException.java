package dev.xenlevelling.xc.hv.state;

/** A simulated host's directory that cannot be used: the reason and one line saying why. */
public final class HostStateException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a host directory cannot be used. */
  public enum Reason {
    /** The directory has never been booted ({@code xensim boot}). */
    NOT_BOOTED,
    /** A state file is not what this program writes (hand-edited or from another version). */
    CORRUPT,
    /** Reading or writing failed. */
    IO,
    /** The host was rebooted after this process opened it. */
    STALE
  }

  private final Reason reason;

  /** Creates the exception; {@code message} is the whole one-line diagnostic. */
  public HostStateException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Returns why the directory cannot be used. */
  public Reason reason() {
    return reason;
  }
}
