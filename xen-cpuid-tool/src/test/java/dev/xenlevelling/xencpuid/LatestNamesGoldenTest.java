package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xencpuid.Golden417.Case;
import dev.xenlevelling.xencpuid.Golden417.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The product (the latest Xen's names) against the real 4.17.7 tool: apart from the names of
 * bits, every byte is the same. Each name that differs must be the one the two name tables give
 * for that very bit, so layout, order, padding and the {@code <N>} form are all pinned.
 */
class LatestNamesGoldenTest {
  private static final AtomicInteger renamedBitsSeen = new AtomicInteger();

  static Stream<Arguments> cases() {
    return Golden417.cases().values().stream()
        .filter(c -> !XenCpuidGoldenTest.DEVIATIONS.containsKey(c.id()))
        .map(c -> Arguments.of(c.id(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void run_latestNames_differsFromXen4177OnlyInNames(String name, Case c) {
    NameTable old = Golden417.names();
    NameTable latest = NameTable.latest();
    Run r = Golden417.run(c, latest);
    assertEquals(c.stderr(), r.stderr(), "stderr");
    assertEquals(c.rc(), r.rc(), "exit code");
    String[] real = c.stdout().split("\n", -1);
    String[] ours = r.stdout().split("\n", -1);
    assertEquals(real.length, ours.length, "number of lines");
    int[] words = new int[0];
    for (int i = 0; i < real.length; i++) {
      if (real[i].startsWith("Raw ")) {
        words = rawWords(real[i]);
      }
      if (!real[i].startsWith("  [")) {
        assertEquals(real[i], ours[i], "line " + (i + 1));
        continue;
      }
      int prefix = 7 + Printer.COL_ALIGN;     // "  [NN] " and the padded label
      assertEquals(real[i].substring(0, prefix), ours[i].substring(0, prefix), "line " + (i + 1));
      int word = Integer.parseInt(real[i].substring(3, 5));
      List<String> realNames = tokens(real[i].substring(prefix));
      List<String> ourNames = tokens(ours[i].substring(prefix));
      List<Integer> bits = setBits(words[word]);
      assertEquals(bits.size(), realNames.size(), "the real tool prints one name a set bit");
      assertEquals(bits.size(), ourNames.size(), "line " + (i + 1) + ": one name a set bit");
      for (int k = 0; k < bits.size(); k++) {
        if (!realNames.get(k).equals(ourNames.get(k))) {
          int bit = bits.get(k);
          assertEquals(old.display(word, bit), realNames.get(k), "4.17.7 name of " + word + "." + bit);
          assertEquals(latest.display(word, bit), ourNames.get(k), "latest name of " + word + "." + bit);
          renamedBitsSeen.incrementAndGet();
        }
      }
    }
  }

  @AfterAll
  static void someNamesReallyDiffered() {
    assertTrue(renamedBitsSeen.get() > 1000, "renamed bits seen: " + renamedBitsSeen.get());
  }

  @Test
  void names417_agreeWithTheFeatureTablesName417Column() {
    NameTable old = Golden417.names();
    int renamed = 0;
    for (Feature f : FeatureTable.latest().features()) {
      String expected = f.name417().orElse("<" + f.bit() + ">");
      assertEquals(expected, old.display(f.word(), f.bit()), f.name());
      if (f.name417().isPresent() && !f.name417().get().equals(f.name())) {
        renamed++;
      }
    }
    assertEquals(29, renamed, "29 names differ between 4.17 and latest");
  }

  @Test
  void latest_repeatsTheCommon1dNamesInE1d() {
    NameTable latest = NameTable.latest();
    List<String> e1d = new ArrayList<>();
    for (int bit = 0; bit < 32; bit++) {
      if ((NameTable.COMMON_1D_FEATURES & (1 << bit)) != 0) {
        assertEquals(latest.display(0, bit), latest.display(2, bit));
        e1d.add(latest.display(2, bit));
      }
    }
    assertEquals(List.of("fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
        "mtrr", "pge", "mca", "cmov", "pat", "pse36", "mmx", "fxsr"), e1d);
    assertEquals("syscall", latest.display(2, 11));
    assertEquals("<19>", latest.display(2, 19));
  }

  private static int[] rawWords(String rawLine) {
    String[] hex = rawLine.substring(7 + Printer.COL_ALIGN + 1).trim().split(":");
    int[] w = new int[hex.length];
    for (int i = 0; i < hex.length; i++) {
      w[i] = Integer.parseUnsignedInt(hex[i], 16);
    }
    return w;
  }

  private static List<String> tokens(String names) {
    List<String> t = new ArrayList<>();
    for (String s : names.split(" ")) {
      if (!s.isEmpty()) {
        t.add(s);
      }
    }
    return t;
  }

  private static List<Integer> setBits(int w) {
    List<Integer> bits = new ArrayList<>();
    for (int b = 0; b < 32; b++) {
      if ((w & (1 << b)) != 0) {
        bits.add(b);
      }
    }
    return bits;
  }
}
