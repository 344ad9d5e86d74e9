package dev.xenlevelling.xc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LevellingCapNamesTest {
  static Stream<Arguments> caps() {
    // The XEN_SYSCTL_CPU_LEVELCAP_* bits of xen/include/public/sysctl.h (Xen 4.7 to 4.21).
    return Stream.of(
        Arguments.of("IvyBridge and later: faulting", 0x1, List.of("faulting")),
        Arguments.of("Penryn", 0x06, List.of("1cd")),
        Arguments.of("Nehalem, Westmere, K8, Fam10h", 0x1e, List.of("1cd", "e1cd")),
        Arguments.of("SandyBridge", 0x3e, List.of("1cd", "e1cd", "Da1")),
        Arguments.of("Fam15h", 0x1de, List.of("1cd", "e1cd", "6c", "7ab0")),
        Arguments.of("Fam17h without CpuidUserDis", 0x19e, List.of("1cd", "e1cd", "7ab0")),
        Arguments.of("Fam11h", 0, List.of()),
        Arguments.of("half a pair, an undefined bit", 0x202, List.of("ecx", "bit9")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caps")
  void names_decodeXensLcapGroups(String name, int caps, List<String> names) {
    assertEquals(names, LevellingCapNames.names(caps));
  }
}
