package dev.xenlevelling.xl.hostdump;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Bad input never crashes the readers: real dumps of every format, damaged at random places
 * (characters replaced, lines cut short, lines dropped), are read or refused with one
 * {@link HostDumpException} line, never another exception.
 */
class HostDumpsRobustnessTest {
  static final List<String> FIXTURES = List.of("gold6148.json", "gold6148-info.txt",
      "gold6148-detail.txt", "gold6148-p.txt", "gold6148-xen-4.17.0-info.txt",
      "epyc7601-p.txt", "../level/dumps/x86_64-cpuid-Atom-D510.xml");

  record Damage(String fixture, List<Integer> at, List<Character> with, int cut) {}

  @Provide
  Arbitrary<Damage> damaged() {
    return Combinators.combine(Arbitraries.of(FIXTURES),
        Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(4),
        Arbitraries.of(':', '-', 'z', ' ', '\n', '{', '"', '<', 'f', '0', 'x', '>').list()
            .ofSize(4),
        Arbitraries.integers().between(0, 3))
        .as(Damage::new);
  }

  @Property(tries = 300)
  void parse_damagedDump_readOrRefusedInOneLine(@ForAll("damaged") Damage d) {
    StringBuilder sb = new StringBuilder(
        new String(HostDumpsTest.resource(d.fixture()), StandardCharsets.UTF_8));
    for (int i = 0; i < d.at().size(); i++) {
      int pos = d.at().get(i) % sb.length();
      if (d.cut() == 1) {
        int eol = sb.indexOf("\n", pos);
        sb.delete(pos, eol < 0 ? sb.length() : eol);
      } else if (d.cut() == 2 && sb.length() > 1) {
        sb.deleteCharAt(pos);
      } else {
        sb.setCharAt(pos, d.with().get(i));
      }
      if (sb.length() == 0) {
        break;
      }
    }
    try {
      HostDumps.parse("f", "h", sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (HostDumpException e) {
      assertTrue(e.getMessage().startsWith("f") && e.getMessage().indexOf('\n') < 0,
          e.getMessage());
    }
  }
}
