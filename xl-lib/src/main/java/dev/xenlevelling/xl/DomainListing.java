package dev.xenlevelling.xl;

import dev.xenlevelling.xc.abi.DomainInfo;
import java.util.Optional;

/**
 * One line of {@code xl list}: the hypervisor's view of a domain and the toolstack's record.
 *
 * @param info what the hypervisor reports
 * @param record what the toolstack remembers; empty for dom0 and for domains it did not create
 */
public record DomainListing(DomainInfo info, Optional<DomainRecord> record) {
  /** Returns the name: the record's, {@code Domain-0} for dom0, else {@code (null)} as xl. */
  public String name() {
    if (info.domid() == 0) {
      return "Domain-0";
    }
    return record.map(DomainRecord::name).orElse("(null)");
  }
}
