package dev.xenlevelling.xc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FeaturesetTest {
  private static final FeatureTable T = FeatureTable.latest();

  static Stream<Arguments> goodTexts() {
    return Stream.of(
        Arguments.of("xen-cpuid form", "178bfbff:f6d8320b", "178bfbff:f6d8320b"),
        Arguments.of("dash separators (4.18+)", "178bfbff-f6d8320b-0", "178bfbff:f6d8320b:00000000"),
        Arguments.of("mixed separators", "1:2-3", "00000001:00000002:00000003"),
        Arguments.of("0x per word", "0x1:0X2:3", "00000001:00000002:00000003"),
        Arguments.of("upper-case hex", "DEADBEEF", "deadbeef"),
        Arguments.of("short words", "1:a:ff", "00000001:0000000a:000000ff"),
        Arguments.of("surrounding blanks", "  \t1:2 ", "00000001:00000002"),
        Arguments.of("a lone word", "0", "00000000"),
        Arguments.of("9 words (Xen 4.7)", "1:2:3:4:5:6:7:8:9",
            "00000001:00000002:00000003:00000004:00000005:00000006:00000007:00000008:00000009"),
        Arguments.of("22 words (beyond the table)", "0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:80000000",
            "00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:80000000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodTexts")
  void parse_accepts(String name, String text, String formatted) throws Exception {
    assertEquals(formatted, Featureset.parse(text).format());
  }

  static Stream<Arguments> badTexts() {
    return Stream.of(
        Arguments.of("empty", "", 1, "expected a featureset (hex words separated by ':'), found nothing"),
        Arguments.of("blanks only", "   ", 4, "expected a featureset (hex words separated by ':'), found nothing"),
        Arguments.of("garbage", "zz", 1, "expected a hex digit for word 0, found 'z'"),
        Arguments.of("bad second word", "1:g", 3, "expected a hex digit for word 1, found 'g'"),
        Arguments.of("trailing colon", "1:2:", 5, "expected word 2 after ':', found the end"),
        Arguments.of("double colon", "1::2", 3, "expected a hex digit for word 1, found ':'"),
        Arguments.of("nine digits", "123456789", 9, "word 0 has more than 8 hex digits"),
        Arguments.of("other separator", "1,2", 2, "expected ':' or '-' after word 0, found ','"),
        Arguments.of("blank inside", "1: 2", 3, "expected a hex digit for word 1, found ' '"),
        Arguments.of("0x alone", "0x", 3, "expected a hex digit for word 0, found the end"),
        Arguments.of("trailing garbage", "abc:zz", 5, "expected a hex digit for word 1, found 'z'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTexts")
  void parse_rejectsWithColumn(String name, String text, int column, String reason) {
    FeaturesetFormatException e =
        assertThrows(FeaturesetFormatException.class, () -> Featureset.parse(text));
    assertEquals(reason, e.reason());
    assertEquals(column, e.column());
  }

  @Test
  void equality_ignoresTrailingZeroWords() {
    Featureset nine = Featureset.of(1, 2, 3, 0, 0, 0, 0, 0, 0);
    Featureset nineteen = nine.withLength(19);
    assertEquals(nine, nineteen);
    assertEquals(nine.hashCode(), nineteen.hashCode());
    assertEquals(9, nine.length());
    assertEquals(19, nineteen.length());
    assertNotEquals(nine, nineteen.with(18 * 32));
  }

  @Test
  void algebra_lengthIsTheLonger() {
    Featureset a = Featureset.of(0b1100, 0xff);
    Featureset b = Featureset.of(0b1010);
    assertEquals(Featureset.of(0b1000, 0), a.and(b));
    assertEquals(2, a.and(b).length());
    assertEquals(Featureset.of(0b1110, 0xff), a.or(b));
    assertEquals(Featureset.of(0b0100, 0xff), a.andNot(b));
    assertEquals(Featureset.of(0b0110, 0xff), a.xor(b));
    assertTrue(b.and(a).isSubsetOf(a));
    assertFalse(a.isSubsetOf(b));
  }

  @Test
  void bits_setClearTest() {
    Featureset f = Featureset.empty().with(40).with(0);
    assertEquals(2, f.length());
    assertTrue(f.contains(40));
    assertFalse(f.contains(41));
    assertFalse(f.contains(10_000));
    assertEquals(Featureset.ofFeatures(2, 0), f.without(40));
    assertEquals(2, f.cardinality());
    assertEquals(java.util.List.of(0, 40), f.features().boxed().toList());
    assertThrows(IllegalArgumentException.class, () -> f.contains(-1));
  }

  @Test
  void withLength_cutsAndExtends() {
    Featureset f = Featureset.of(1, 2, 3);
    assertEquals("00000001", f.withLength(1).format());
    assertEquals("00000001:00000002:00000003:00000000", f.withLength(4).format());
    assertEquals(Featureset.of(0, 0, 3), f.beyond(2));
  }

  // ---- properties -------------------------------------------------------------------------

  @Provide
  Arbitrary<Featureset> featuresets() {
    return Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(24).map(Featureset::of);
  }

  @Property
  void parseFormat_roundTrips(@ForAll("featuresets") Featureset fs) throws Exception {
    Featureset back = Featureset.parse(fs.format());
    assertEquals(fs, back);
    assertEquals(fs.length(), back.length());
    assertEquals(fs.format(), back.format());
  }

  @Property
  void parse_dashAndPrefixedFormsAgree(@ForAll("featuresets") Featureset fs) throws Exception {
    String dashed = "0x" + fs.format().replace(":", "-0x");
    assertEquals(fs, Featureset.parse(dashed));
  }

  @Property
  void andAll_equalsFoldedAnd(@ForAll("featuresetLists") java.util.List<Featureset> sets) {
    Featureset folded = sets.stream().reduce(Featureset::and).orElseThrow();
    assertEquals(folded, Featureset.andAll(sets));
    assertEquals(folded.length(), Featureset.andAll(sets).length());
    assertEquals(sets.stream().reduce(Featureset.empty(), Featureset::or), Featureset.orAll(sets));
  }

  @Test
  void andAll_ofNothing_isACallerBug() {
    assertThrows(IllegalArgumentException.class, () -> Featureset.andAll(java.util.List.of()));
    assertEquals(Featureset.empty(), Featureset.orAll(java.util.List.of()));
  }

  @Property
  void sanitise_isIdempotentAndNeverAddsABit(@ForAll("featuresets") Featureset fs) {
    Featureset once = T.sanitise(fs);
    assertEquals(once, T.sanitise(once));
    assertTrue(once.isSubsetOf(fs));
    assertTrue(once.isSubsetOf(T.mask(StaticMask.KNOWN)));
  }

  @Property
  void sanitise_clearsTheClosureOfAClearedFeature(
      @ForAll("featuresets") Featureset fs, @ForAll("deepFeature") Feature cleared) {
    Featureset s = T.sanitise(fs.without(cleared.index()));
    assertTrue(s.and(T.deepDependents(cleared.index())).isEmpty());
  }

  @Property
  void sanitise_resultIsClosedUnderDependencies(@ForAll("featuresets") Featureset fs) {
    Featureset s = T.sanitise(fs);
    T.deepFeatures().features().forEach(f -> {
      if (!s.contains(f)) {
        assertTrue(s.and(T.deepDependents(f)).isEmpty(), "dependents of " + f);
      }
    });
  }

  @Provide
  Arbitrary<java.util.List<Featureset>> featuresetLists() {
    return featuresets().list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Feature> deepFeature() {
    return Arbitraries.of(T.features().stream()
        .filter(f -> T.deepFeatures().contains(f.index())).toList());
  }
}
