package dev.xenlevelling.xc;

import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.PolicyError;
import java.util.Optional;

/**
 * A libxc call that failed: the errno libxc leaves in {@code errno} and, for the policy calls,
 * Xen's err_leaf / err_subleaf / err_msr fields.
 */
public final class XcException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Errno errno;
  private final PolicyError position;

  /** Creates the exception; {@code message} says in words what failed. */
  public XcException(Errno errno, Optional<PolicyError> position, String message) {
    super(message);
    this.errno = errno;
    this.position = position.orElse(null);
  }

  /** Returns the errno. */
  public Errno errno() {
    return errno;
  }

  /** Returns where Xen refused a policy, if it said. */
  public Optional<PolicyError> position() {
    return Optional.ofNullable(position);
  }
}
