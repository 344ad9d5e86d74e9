package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.abi.DomainInfo;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xl.DomainListing;
import dev.xenlevelling.xl.DomainRecord;
import dev.xenlevelling.xl.ListOutput;
import dev.xenlevelling.xl.domain.GuestType;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** xl list's line, built by hand, against the format xl_list.c prints it with. */
class ListCommandTest {
  static Stream<Arguments> listings() {
    return Stream.of(
        Arguments.of(Named.of("dom0, no record", new DomainListing(
            new DomainInfo(0, DomainType.PV, false, false, false, true), Optional.empty()))),
        Arguments.of(Named.of("paused HVM", listing(7, "guest", 2048, 2, true))),
        Arguments.of(Named.of("name of exactly 40", listing(1, "n".repeat(40), 1, 1, false))),
        Arguments.of(Named.of("name longer than 40, not cut",
            listing(2, "a-very-long-domain-name-".repeat(3), 512, 4, false))),
        Arguments.of(Named.of("numbers wider than their columns",
            listing(32751, "wide", 12345678L, 123456, false))),
        Arguments.of(Named.of("non-ASCII name", listing(3, "gäst-ü", 0, 0, true))));
  }

  private static DomainListing listing(int domid, String name, long mem, int vcpus,
      boolean paused) {
    return new DomainListing(new DomainInfo(domid, DomainType.HVM, true, false, paused, !paused),
        Optional.of(new DomainRecord(domid, name, GuestType.HVM, mem, vcpus, "cfg", "", "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("listings")
  void line_asXlListFormat(DomainListing d) {
    long mem = d.record().map(DomainRecord::memoryMb).orElse(0L);
    int vcpus = d.record().map(DomainRecord::vcpus).orElse(0);
    String state = d.info().paused() ? "--p---" : "r-----";
    // xl_list.c: "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f"
    assertEquals(String.format(Locale.ROOT, "%-40s %5d %5d %5d     %s  %8.1f", d.name(),
        d.info().domid(), mem, vcpus, state, 0.0), ListOutput.line(d));
  }
}
