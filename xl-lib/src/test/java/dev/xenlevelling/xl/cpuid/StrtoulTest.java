package dev.xenlevelling.xl.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.util.Strtol;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** libxl's strtoul, as the cpuid= parser uses it ({@link Strtol#strtoul}). */
class StrtoulTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("decimal", "123", 123L, 3),
        Arguments.of("hex", "0x1f", 31L, 4),
        Arguments.of("bare 0x stops after 0", "0xg", 0L, 1),
        Arguments.of("octal", "010", 8L, 3),
        Arguments.of("octal stops at 8", "08", 0L, 1),
        Arguments.of("leading blanks and sign", " \t+7", 7L, 4),
        Arguments.of("minus wraps", "-1", -1L, 2),
        Arguments.of("overflow saturates", "18446744073709551616", -1L, 20),
        Arguments.of("max", "18446744073709551615", -1L, 20),
        Arguments.of("no digits", "x", 0L, 0),
        Arguments.of("sign only", "-", 0L, 0),
        Arguments.of("empty", "", 0L, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parse_behavesAsGlibc(String name, String in, long value, int end) {
    Strtol.Result r = Strtol.strtoul(in, 0);
    assertEquals(value, r.value());
    assertEquals(end, r.end());
  }
}
