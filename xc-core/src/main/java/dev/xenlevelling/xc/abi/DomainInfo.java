package dev.xenlevelling.xc.abi;

/**
 * What {@code XEN_DOMCTL_getdomaininfo} reports about a domain (the fields the simulation has).
 *
 * @param domid the domain id
 * @param type PV or HVM ({@code XEN_DOMINF_hvm_guest})
 * @param hap whether it uses HAP ({@code XEN_DOMINF_hap})
 * @param nestedHvm whether nested virtualisation is on for it
 * @param paused whether it is paused ({@code XEN_DOMINF_paused})
 * @param hasRun whether it has been unpaused once (its CPU policy is then frozen)
 */
public record DomainInfo(
    int domid, DomainType type, boolean hap, boolean nestedHvm, boolean paused, boolean hasRun) {}
