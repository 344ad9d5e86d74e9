package dev.xenlevelling.xl;

/** Why a libxl operation failed (the closed set this simulation can meet), with xl's words. */
public enum LibxlError {
  /** The hypervisor could not be opened. */
  NO_HYPERVISOR("cannot open the hypervisor"),
  /** {@code name=} is missing: xl's "Domain name must be specified.". */
  NAME_MISSING("Domain name must be specified."),
  /** Another domain has the name. */
  NAME_IN_USE("Domain name already in use"),
  /** No domain has the name or id. */
  NO_SUCH_DOMAIN("invalid domain identifier"),
  /** Domain 0 cannot be destroyed. */
  DOM0("domain 0 cannot be destroyed"),
  /** The hypervisor refused to create the domain. */
  CREATE_FAILED("cannot make domain"),
  /** xc_cpuid_apply_policy failed: libxl's "Failed to apply CPUID policy". */
  CPUID_POLICY_FAILED("Failed to apply CPUID policy"),
  /** A hypervisor call failed. */
  HYPERCALL_FAILED("hypercall failed"),
  /** The toolstack's own state (the xenstore analogue) could not be read or written. */
  STATE_IO("cannot access the toolstack's state");

  private final String message;

  LibxlError(String message) {
    this.message = message;
  }

  /** Returns xl's words for the error. */
  public String message() {
    return message;
  }
}
