package dev.xenlevelling.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xl.cpuid.CpuidParseException;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestedBitTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("features by name", "host,hle=0,rtm=0,sse3=1",
            List.of("rtm=0", "hle=0", "sse3=1")),
        Arguments.of("legacy alias reports the featureset name", "host,sse4_1=k",
            List.of("sse4-1=k")),
        Arguments.of("MSR_ARCH_CAPS bits", "host,rdcl-no=1,pb-opt-ctrl=0",
            List.of("pb-opt-ctrl=0", "rdcl-no=1")),
        Arguments.of("multi-bit field", "host,stepping=5",
            List.of("stepping (CPUID 0x00000001.eax bit 3)=0",
                "stepping (CPUID 0x00000001.eax bit 2)=1",
                "stepping (CPUID 0x00000001.eax bit 1)=0",
                "stepping (CPUID 0x00000001.eax bit 0)=1")),
        Arguments.of("bit outside the featureset", "host,psn=0",
            List.of("CPUID 0x00000001.edx bit 18=0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void of_namesEveryNonXBit(String name, String cpuid, List<String> expected)
      throws CpuidParseException {
    List<String> got = RequestedBit.of(CpuidParser.latest().parseLibxlString(cpuid),
        FeatureTable.latest()).stream().map(b -> b.name() + "=" + b.value()).toList();
    assertEquals(expected, got);
  }
}
