package dev.xenlevelling.xl.defaults;

/**
 * Host-wide CPU defaults that cannot be used: a bad xl.conf, a bad or missing policy file, a
 * policy for another vendor, or (strict) a stale policy. The message is one line naming the file,
 * the line and column where there is one, and the key:
 * {@code /etc/xen/pool.yaml:2:9: vendor: the policy is for amd hosts, but this host is intel ...}.
 */
public final class DefaultsException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is wrong. */
  public enum Reason {
    /** xl.conf cannot be read, or a {@code vm.cpuid*} key in it is malformed. */
    XL_CONF,
    /** The policy file xl.conf names does not exist or cannot be read. */
    POLICY_MISSING,
    /** The policy file is malformed, breaks the schema or is for another vendor. */
    POLICY_FILE,
    /** The policy is stale and strict mode refuses to use it. */
    STALE_POLICY
  }

  private final Reason reason;

  /** Creates the exception with its one-line message. */
  public DefaultsException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Creates the exception with its one-line message. */
  public DefaultsException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Returns what is wrong. */
  public Reason reason() {
    return reason;
  }
}
