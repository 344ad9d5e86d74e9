package dev.xenlevelling.xl.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xl.UsageException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code xl cpu-level}'s request: the combinations it refuses, with the command's messages. */
class LevelRequestTest {
  private static LevelRequest.Builder dumps() {
    return LevelRequest.builder().dumps(List.of("a.json"));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("unknown format", (UnaryOperator<LevelRequest.Builder>)
            b -> b.format(Optional.of("xml")), "unknown format 'xml' (yaml, json, cpuid, xend)"),
        Arguments.of("unknown type", (UnaryOperator<LevelRequest.Builder>)
            b -> b.format(Optional.of("cpuid")).type(Optional.of("pvh")),
            "unknown guest type 'pvh' (pv, hvm)"),
        Arguments.of("type without cpuid", (UnaryOperator<LevelRequest.Builder>)
            b -> b.type(Optional.of("pv")),
            "-t goes with --format cpuid or xend (a yaml policy holds every guest type)"),
        Arguments.of("xen version without cpuid", (UnaryOperator<LevelRequest.Builder>)
            b -> b.format(Optional.of("json")).xenVersion(Optional.of("4.17")),
            "--xen-version goes with --format cpuid or xend"),
        Arguments.of("bad xen version", (UnaryOperator<LevelRequest.Builder>)
            b -> b.format(Optional.of("xend")).xenVersion(Optional.of("four")),
            "--xen-version four: expected MAJOR.MINOR[.PATCH] (4.17, 4.18.2) or latest"),
        Arguments.of("join and leave", (UnaryOperator<LevelRequest.Builder>)
            b -> b.join(Optional.of("b.json")).leave(Optional.of("a")),
            "give --join or --leave, not both"),
        Arguments.of("domain without what-if", (UnaryOperator<LevelRequest.Builder>)
            b -> b.domains(List.of("a:d.txt")), "--domain goes with --join or --leave"),
        Arguments.of("policy without join", (UnaryOperator<LevelRequest.Builder>)
            b -> b.policy(Optional.of("p.yaml")), "--policy goes with --join"),
        Arguments.of("no dump", (UnaryOperator<LevelRequest.Builder>)
            b -> b.dumps(List.of()), "no host dump given"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void build_refusedCombination_saysWhy(String name, UnaryOperator<LevelRequest.Builder> set,
      String message) {
    UsageException e = assertThrows(UsageException.class, () -> set.apply(dumps()).build());
    assertEquals(message, e.getMessage());
  }

  @Test
  void build_cpuidLineOfOneType_isAccepted() throws Exception {
    LevelRequest r = dumps().format(Optional.of("cpuid")).type(Optional.of("hvm")).build();
    assertEquals(Optional.of(DomainType.HVM), r.only());
    assertEquals(LevelRequest.Format.CPUID, r.format());
    assertFalse(r.whatIf());
  }

  @Test
  void build_leave_isAWhatIf() throws Exception {
    assertTrue(dumps().leave(Optional.of("a")).build().whatIf());
  }
}
