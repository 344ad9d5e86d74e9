package dev.xenlevelling.xl.hostdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.level.RunningDomain;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainDumpsTest {
  @Test
  void parse_twoCpuidShowOutputs_twoDomains() throws Exception {
    String text = "Domain 1 (web), hvm, CPUID policy:\n  vendor   GenuineIntel\n"
        + "  featureset              00000001:00000002\n  [00] CPUID 0x00000001.edx  fpu\n"
        + "Domain 2 (db), pv, CPUID policy:\n  featureset              00000003\n";
    List<RunningDomain> d = DomainDumps.parse("f", "node1", text);
    assertEquals(List.of(
        new RunningDomain("web", DomainType.HVM, Featureset.of(1, 2), "node1"),
        new RunningDomain("db", DomainType.PV, Featureset.of(3), "node1")), d);
  }

  @Test
  void parsePolicies_xenCpuidPDomainBlock_oneDomainOfTheGivenType() throws Exception {
    String text = "Domain 7 policy: 3 leaves, 0 MSRs\n CPUID:\n"
        + "  leaf     subleaf  -> eax      ebx      ecx      edx     \n"
        + "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69\n"
        + "  00000001:ffffffff -> 000306f2:00000800:00000001:00000003\n";
    List<RunningDomain> d = DomainDumps.parsePolicies("f", "h", DomainType.PV, text);
    assertEquals(1, d.size());
    assertEquals("domain 7", d.get(0).name());
    assertEquals(DomainType.PV, d.get(0).type());
    assertEquals(Featureset.of(3, 1).withLength(19), d.get(0).features().withLength(19));
  }

  @Test
  void parse_noFeaturesetLine_fails() {
    assertThrows(HostDumpException.class,
        () -> DomainDumps.parse("f", "h", "Domain 1 (web), hvm, CPUID policy:\n"));
  }
}
