package dev.xenlevelling.xc.policy;

/** A CPU policy refused as Xen refuses it: an errno and, where Xen reports one, the position. */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Errno errno;
  private final PolicyError position;

  /** Creates the exception; {@code message} says what is wrong in words. */
  public PolicyException(Errno errno, PolicyError position, String message) {
    super(message);
    this.errno = errno;
    this.position = position;
  }

  /** Returns the errno Xen would return (negated). */
  public Errno errno() {
    return errno;
  }

  /** Returns the err_leaf / err_subleaf / err_msr fields, {@link PolicyError#UNKNOWN} if none. */
  public PolicyError position() {
    return position;
  }
}
