package dev.xenlevelling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.LevelException;
import dev.xenlevelling.xl.level.PoolLeveller;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FastLevellerTest {
  static final FeatureTable T = FeatureTable.latest();
  static final FastLeveller F = new FastLeveller(T);

  static Featureset level(String text) throws LevelException {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    return F.level(b, 0, b.length);
  }

  static Stream<Arguments> good() {
    String k = T.mask(StaticMask.KNOWN).format();
    return Stream.of(
        Arguments.of("one line is itself, known bits only", "ffffffff:ffffffff\n",
            T.sanitise(Featureset.of(-1, -1))),
        Arguments.of("AND of two", "0000000f:1\n00000003:3\n", T.sanitise(Featureset.of(3, 1))),
        Arguments.of("no final newline, CRLF, blanks, empty lines, 0x, dashes",
            "\n  0xf-1 \r\n\n3:0X3\t", T.sanitise(Featureset.of(3, 1))),
        Arguments.of("shorter line zeroes the words it lacks", "1:1:1\n1\n", T.sanitise(Featureset.of(1))),
        Arguments.of("words past the table are ignored", k + ":ffffffff:ffffffff\n" + k + "\n",
            T.mask(StaticMask.KNOWN).and(T.sanitise(T.mask(StaticMask.KNOWN)))),
        Arguments.of("| feature on one line kept (md-clear, word 9 bit 10)",
            "1:0:0:0:0:0:0:0:0:400\n1\n", T.sanitise(Featureset.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0x400))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void level_accepts(String name, String text, Featureset expected) throws Exception {
    Featureset r = level(text);
    assertEquals(expected, r);
    assertEquals(T.nrWords(), r.length());
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("nothing", "", LevelException.Reason.NO_HOSTS, "no featureset lines to level"),
        Arguments.of("blank lines only", " \n\n", LevelException.Reason.NO_HOSTS, "no featureset lines to level"),
        Arguments.of("bad digit", "1:2\n1:g\n", LevelException.Reason.MALFORMED_FEATURESET,
            "line 2, column 3: expected a hex digit for word 1, found 'g'"),
        Arguments.of("nine digits", "123456789\n", LevelException.Reason.MALFORMED_FEATURESET,
            "line 1, column 9: word 0 has more than 8 hex digits"),
        Arguments.of("trailing colon", "1:\n", LevelException.Reason.MALFORMED_FEATURESET,
            "line 1, column 3: expected a hex digit for word 1, found the end of the line"),
        Arguments.of("trailing colon at the end", "1:", LevelException.Reason.MALFORMED_FEATURESET,
            "line 1, column 3: expected word 1 after ':', found the end"),
        Arguments.of("other separator", "1,2\n", LevelException.Reason.MALFORMED_FEATURESET,
            "line 1, column 2: expected ':' or '-' after word 0, found ','"),
        Arguments.of("non-ASCII byte", "1:\u00e9\n", LevelException.Reason.MALFORMED_FEATURESET,
            "line 1, column 3: expected a hex digit for word 1, found byte 0xe9"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void level_rejects(String name, String text, LevelException.Reason reason, String message) {
    LevelException e = assertThrows(LevelException.class, () -> level(text));
    assertEquals(reason, e.reason());
    assertEquals(message, e.getMessage());
  }

  @Test
  void levelCeiling_andOnly_noAccumulate() throws Exception {
    byte[] b = "1:0:0:0:0:0:0:0:0:400\n1\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(T.sanitise(Featureset.of(1)), F.levelCeiling(b, 0, b.length));
    assertEquals(T.sanitise(Featureset.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0x400)), F.level(b, 0, b.length));
  }

  @Test
  void level_region_only() throws Exception {
    byte[] b = "zzzz\n1:1\nzz".getBytes(StandardCharsets.US_ASCII);
    assertEquals(T.sanitise(Featureset.of(1, 1)), F.level(b, 5, 4));
  }

  @Test
  void level_100kHosts_fastEnough() throws Exception {
    StringBuilder sb = new StringBuilder();
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      for (int w = 0; w < 19; w++) {
        if (w > 0) {
          sb.append(':');
        }
        String h = Integer.toHexString(r.nextInt() | r.nextInt() | r.nextInt());
        sb.append("00000000", h.length(), 8).append(h);
      }
      sb.append('\n');
    }
    byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      F.level(text, 0, text.length);
      best = Math.min(best, System.nanoTime() - t0);
    }
    // The goal is 0.1 s; the JMH figure is the real measure. This only catches a gross regression
    // on a loaded CI machine.
    assertTrue(best < 1_000_000_000L, "100k lines took " + best / 1_000_000 + " ms");
    List<HostCpu> hosts = new java.util.ArrayList<>();
    for (String line : sb.toString().split("\n")) {
      hosts.add(HostCpu.builder("h" + hosts.size(), Vendor.INTEL, "fp")
          .guest(DomainType.HVM, Featureset.parse(line), T.mask(StaticMask.KNOWN),
              CpuLimits.UNKNOWN).build());
    }
    assertEquals(PoolLeveller.latest().level(hosts).type(DomainType.HVM).orElseThrow().boot(),
        F.level(text, 0, text.length));
  }
}
