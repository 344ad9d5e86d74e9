package dev.xenlevelling.xc.hv;

import dev.xenlevelling.xc.policy.PolicyException;

/**
 * Where a host's domains live: in memory, or in the host directory (xc.hv.state) so that they
 * outlast the process. Every {@link #update} is all or nothing and serialised against every
 * other, also across processes for the directory store.
 */
public interface DomainStore {
  /** A piece of work on the domain table that may fail as a hypercall fails. */
  @FunctionalInterface
  interface Work<T> {
    T apply(DomainTable table) throws PolicyException;
  }

  /** Returns what {@code work} computes from the current table, which it must not change. */
  <T> T read(Work<T> work) throws PolicyException;

  /** Runs {@code work} on the table and keeps its changes if and only if it returns normally. */
  <T> T update(Work<T> work) throws PolicyException;
}
