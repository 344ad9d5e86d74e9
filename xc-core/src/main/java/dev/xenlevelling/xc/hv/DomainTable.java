package dev.xenlevelling.xc.hv;

import java.util.Optional;
import java.util.TreeMap;

/**
 * The domains of one booted host, as a mutable working copy inside one store transaction, and the
 * next domain id to hand out. Only the stores and {@link Hypervisor} touch it.
 */
public final class DomainTable {
  int nextDomid = 1;
  final TreeMap<Integer, Domain> domains = new TreeMap<>();

  /** Returns an empty table whose next domain id is 1. */
  public DomainTable() {}

  /** Returns the domain id the next allocation tries first. */
  public int nextDomid() {
    return nextDomid;
  }

  /** Sets the domain id the next allocation tries first (a stored table being read). */
  public void setNextDomid(int domid) {
    nextDomid = domid;
  }

  /** Returns the domains, by domain id, as an unmodifiable view. */
  public java.util.SortedMap<Integer, Domain> domains() {
    return java.util.Collections.unmodifiableSortedMap(domains);
  }

  /** Adds or replaces {@code d} (a stored table being read). */
  public void put(Domain d) {
    domains.put(d.domid(), d);
  }

  DomainTable copy() {
    DomainTable t = new DomainTable();
    t.nextDomid = nextDomid;
    t.domains.putAll(domains);
    return t;
  }

  Optional<Domain> get(int domid) {
    return Optional.ofNullable(domains.get(domid));
  }

  /**
   * Returns a free domain id, as Xen's createdomain picks one: from the rover on, skipping ids in
   * use, wrapping below DOMID_FIRST_RESERVED; empty when every id is taken.
   */
  Optional<Integer> allocate() {
    int id = nextDomid;
    for (int tries = 1; tries < Domain.DOMID_FIRST_RESERVED; tries++) {
      if (id <= 0 || id >= Domain.DOMID_FIRST_RESERVED) {
        id = 1;
      }
      if (!domains.containsKey(id)) {
        nextDomid = id + 1;
        return Optional.of(id);
      }
      id++;
    }
    return Optional.empty();
  }
}
