package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xencpuid.Golden417.Run;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostModesTest {
  static Stream<Arguments> snapshots() {
    return Stream.of(
        Arguments.of("xeon-gold-6148/info.out", TestHosts.XEON_GOLD_6148, "", new String[] {}),
        Arguments.of("xeon-gold-6148/detail.out", TestHosts.XEON_GOLD_6148, "", new String[] {"-d"}),
        Arguments.of("xeon-gold-6148/policy.out", TestHosts.XEON_GOLD_6148, "", new String[] {"-p"}),
        Arguments.of("xeon-gold-6148/domain-1.out", TestHosts.XEON_GOLD_6148, "",
            new String[] {"-p", "1"}),
        Arguments.of("xeon-gold-6148/levelling.out", TestHosts.XEON_GOLD_6148, "",
            new String[] {"--levelling"}),
        Arguments.of("xeon-gold-6148/json.out", TestHosts.XEON_GOLD_6148, "cpuid=no-avx512f",
            new String[] {"--json"}),
        Arguments.of("opteron-6234/info.out", TestHosts.OPTERON_6234, "pv=0", new String[] {"info"}),
        Arguments.of("opteron-6234/policy.out", TestHosts.OPTERON_6234, "pv=0",
            new String[] {"-p"}),
        Arguments.of("opteron-6234/levelling.out", TestHosts.OPTERON_6234, "",
            new String[] {"--levelling"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snapshots")
  void run_hostModes_matchSnapshot(String name, String dump, String cmdline, String[] args) {
    XcInterface xc = TestHosts.boot(dump, cmdline);
    if (dump.equals(TestHosts.XEON_GOLD_6148)) {
      TestHosts.withPvDomain(xc);
    }
    Run r = TestHosts.run(xc, "node1", args);
    assertEquals("", r.stderr());
    assertEquals(0, r.rc());
    Snapshots.assertMatches(name, r.stdout());
  }
}
