package dev.xenlevelling.xl.defaults;

/**
 * A layer of the CPU policy merge, in the order they apply: each later layer overrides the
 * earlier ones bit by bit, and the hypervisor has the last word.
 */
public enum Layer {
  /** The guest type's default policy on this host (and libxl's build options). */
  DEFAULT,
  /** The policy file xl.conf names: its ceiling, then its settings and cpuid. */
  POLICY,
  /** xl.conf's {@code vm.cpuid}. */
  XL_CONF,
  /** xl.conf's {@code vm.pv.cpuid} or {@code vm.hvm.cpuid}. */
  XL_CONF_TYPE,
  /** The domain config's {@code cpuid=}. */
  DOMAIN,
  /** {@code KEY=VALUE} on the {@code xl create} command line. */
  COMMAND_LINE,
  /** The hypervisor's clamp: what Xen changed of what the layers asked. */
  HYPERVISOR
}
