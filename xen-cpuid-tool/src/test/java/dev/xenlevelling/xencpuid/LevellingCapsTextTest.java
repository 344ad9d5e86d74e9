package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LevellingCapsTextTest {
  static Stream<Arguments> caps() {
    // The typical values of XEN-FACTS f (Xen 4.7 to 4.21 bit values).
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
    assertEquals(names, LevellingCapsText.names(caps));
  }

  @Test
  void describe_faulting_saysPvGuestsAreFullyLevelled() {
    StringBuilder sb = new StringBuilder();
    LevellingCapsText.describe(sb, 0x1, false, true);
    assertTrue(sb.toString().startsWith("Levelling caps: 0x1 (faulting)\n"
        + "  faulting CPUID faulting: every CPUID a PV guest executes traps to Xen\n"
        + "PV guests on this host:\n"), sb.toString());
  }

  @Test
  void describe_amdMasking_listsOverridesAndWhatIsNotCovered() {
    StringBuilder sb = new StringBuilder();
    LevellingCapsText.describe(sb, 0x19e, true, true);
    String s = sb.toString();
    assertTrue(s.startsWith("Levelling caps: 0x19e (1cd e1cd 7ab0)\n"
        + "  1cd      override MSR: CPUID 0x00000001.ecx and .edx\n"
        + "  e1cd     override MSR: CPUID 0x80000001.ecx and .edx\n"
        + "  7ab0     override MSR: CPUID 0x00000007:0.eax and .ebx\n"), s);
    assertTrue(s.contains("  Not levelled for PV here: Da1 6c\n"), s);
    assertTrue(s.contains("can also advertise features"), s);
  }

  @Test
  void describe_none_saysPvCannotBeLevelled() {
    StringBuilder sb = new StringBuilder();
    LevellingCapsText.describe(sb, 0, false, true);
    assertTrue(sb.toString().startsWith("Levelling caps: 0x0\n"), sb.toString());
    assertTrue(sb.toString().contains("PV guests\n  cannot be levelled here"), sb.toString());
  }
}
