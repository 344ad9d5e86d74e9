package dev.xenlevelling.xc.hv;

import dev.xenlevelling.xc.policy.PolicyException;

/** A domain store in this process's memory (tests, benchmarks): gone with the process. */
final class InMemoryDomainStore implements DomainStore {
  private DomainTable table = new DomainTable();

  @Override
  public synchronized <T> T read(Work<T> work) throws PolicyException {
    return work.apply(table);
  }

  @Override
  public synchronized <T> T update(Work<T> work) throws PolicyException {
    DomainTable t = table.copy();
    T result = work.apply(t);
    table = t;
    return result;
  }
}
