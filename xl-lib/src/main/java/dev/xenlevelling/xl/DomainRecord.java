package dev.xenlevelling.xl;

import dev.xenlevelling.xl.domain.GuestType;

/**
 * What the toolstack remembers about a domain it created (what xl keeps in xenstore and in its
 * saved config): the hypervisor itself knows only ids, types and policies.
 *
 * @param domid the domain id
 * @param name the name
 * @param type the guest type as configured (PVH is an HVM container to Xen)
 * @param memoryMb the memory in MiB
 * @param vcpus the number of vCPUs
 * @param configSource the config file's name
 * @param configText the config file's text
 * @param extraText the {@code KEY=VALUE} settings given on the command line, one a line
 */
public record DomainRecord(
    int domid, String name, GuestType type, long memoryMb, int vcpus, String configSource,
    String configText, String extraText) {}
