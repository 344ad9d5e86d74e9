package dev.xenlevelling.xc.hv;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainInfo;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;

/**
 * One guest as the hypervisor keeps it: its id, type, paging mode, run state and CPU policy.
 *
 * @param domid the domain id (1 to 0x7fef; 0 is dom0, never stored)
 * @param type PV or HVM
 * @param hap whether an HVM guest uses HAP (always false for PV)
 * @param nestedHvm whether an HVM guest may use nested virtualisation (vmx/svm)
 * @param paused whether the domain is paused (domains are created paused)
 * @param creationFinished whether it has been unpaused once (then its policy is frozen)
 * @param policy the domain's CPU policy, as Xen last clamped it
 * @param legacyCpuid the entries of the old one-leaf-at-a-time {@code XEN_DOMCTL_set_cpuid}
 *     (Xen 4.7 to 4.12), in table order; empty unless that call was used
 */
public record Domain(
    int domid, DomainType type, boolean hap, boolean nestedHvm, boolean paused,
    boolean creationFinished, CpuPolicy policy, ImmutableList<CpuidLeaf> legacyCpuid) {

  /** The first domain id Xen reserves ({@code DOMID_FIRST_RESERVED}). */
  public static final int DOMID_FIRST_RESERVED = 0x7ff0;

  /** Checks the id range and that only HVM guests have HAP or nested virtualisation. */
  public Domain {
    checkArgument(domid > 0 && domid < DOMID_FIRST_RESERVED, "domid (%s) out of range", domid);
    checkArgument(type == DomainType.HVM || (!hap && !nestedHvm),
        "a PV domain has neither HAP nor nested HVM");
  }

  Domain withPolicy(CpuPolicy p) {
    return new Domain(domid, type, hap, nestedHvm, paused, creationFinished, p, legacyCpuid);
  }

  Domain withLegacyCpuid(ImmutableList<CpuidLeaf> entries) {
    return new Domain(domid, type, hap, nestedHvm, paused, creationFinished, policy, entries);
  }

  Domain unpaused() {
    return new Domain(domid, type, hap, nestedHvm, false, true, policy, legacyCpuid);
  }

  /** Returns what {@code getdomaininfo} reports about the domain. */
  public DomainInfo info() {
    return new DomainInfo(domid, type, hap, nestedHvm, paused, creationFinished);
  }
}
