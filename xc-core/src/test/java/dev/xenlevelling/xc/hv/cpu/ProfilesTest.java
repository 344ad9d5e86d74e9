package dev.xenlevelling.xc.hv.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.Dumps;
import dev.xenlevelling.xc.hv.Host;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped profiles in config-examples/hosts: each loads and boots exactly as its dump. */
class ProfilesTest {
  static final Path DIR = Path.of("..", "config-examples", "hosts");

  static Stream<Arguments> profiles() {
    return Stream.of(
        Arguments.of("penryn", "Xeon-X5460", Microcode.AS_DUMPED, 0x06),
        Arguments.of("nehalem", "Xeon-W3520", Microcode.AS_DUMPED, 0x1e),
        Arguments.of("westmere", "Core-i5-650", Microcode.AS_DUMPED, 0x1e),
        Arguments.of("sandybridge", "Core-i7-2600", Microcode.AS_DUMPED, 0x3e),
        Arguments.of("ivybridge", "Core-i7-3740QM", Microcode.AS_DUMPED, 0x1),
        Arguments.of("haswell-tsx", "Xeon-E7-8890-v3", Microcode.AS_DUMPED, 0x1),
        Arguments.of("haswell-notsx", "Xeon-E5-2650-v3", Microcode.AS_DUMPED, 0x1),
        Arguments.of("haswell-tsx-removed", "Xeon-E7-8890-v3", Microcode.TSX_OFF, 0x1),
        Arguments.of("skylake-sp", "Xeon-Gold-6148", Microcode.AS_DUMPED, 0x1),
        Arguments.of("cascadelake-sp", "Xeon-Platinum-8268", Microcode.AS_DUMPED, 0x1),
        Arguments.of("icelake-sp", "Ice-Lake-Server", Microcode.AS_DUMPED, 0x1),
        Arguments.of("sapphirerapids", "Xeon-w7-3465X", Microcode.AS_DUMPED, 0x1),
        Arguments.of("opteron-bulldozer", "Opteron-6234", Microcode.AS_DUMPED, 0x1de),
        Arguments.of("epyc-naples", "EPYC-7601-32-Core", Microcode.AS_DUMPED, 0x19e),
        Arguments.of("epyc-rome", "EPYC-7502-32-Core", Microcode.AS_DUMPED, 0x19e),
        Arguments.of("epyc-milan", "EPYC-7713-64-Core", Microcode.AS_DUMPED, 0x19e),
        Arguments.of("epyc-genoa", "EPYC-9334-32-Core", Microcode.AS_DUMPED, 0x1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void profile_bootsAsItsDump(String name, String dump, Microcode ucode, int caps)
      throws Exception {
    CpuSources.Loaded l = CpuSources.load(name, DIR);
    assertEquals(ucode, l.microcode());
    Host p = Host.boot(new BootConfig(l.cpu(), "", l.microcode()));
    Host d = Dumps.boot(dump, "", ucode);
    for (PolicyIndex i : PolicyIndex.values()) {
      assertEquals(d.policy(i), p.policy(i), i.title());
    }
    assertEquals(caps, p.levellingCaps().value());
  }

  @org.junit.jupiter.api.Test
  void everyShippedProfileIsTested() {
    List<String> shipped = CpuSources.profileNames(DIR);
    assertEquals(profiles().count(), shipped.size(), shipped.toString());
    assertTrue(shipped.contains("haswell-notsx"));
  }
}
