package dev.xenlevelling.xc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FeatureTableTest {
  private static final FeatureTable T = FeatureTable.latest();

  /** The latest Xen's values, from XEN-FACTS.md section b, "Latest values (19 words)". */
  static Stream<Arguments> latestMasks() {
    return Stream.of(
        Arguments.of(StaticMask.KNOWN, "bfebfbff:fffefbff:ee500800:6469bfff:0000001f:ffbfffff:fb417fff:00000780:7f9fd205:ffddef3e:ccbe1df7:f89e0d67:00000001:0000007f:00000000:01064530:7fbfffff:40000001:00000006"),
        Arguments.of(StaticMask.SPECIAL, "10000200:c8200000:00000000:00000002:00000000:01002850:00000010:00000000:02000000:20000c00:00000000:40000020:00000000:00000000:00000000:00000000:100a0004:40000000:00000000"),
        Arguments.of(StaticMask.PV_MAX, "1fc9cbf5:f6d83203:ea500800:442109e3:00000007:f1af0b39:1a405f43:00000100:64001005:ac814510:80801cb7:789c0c65:00000000:00000021:00000000:00004430:1d12e173:40000000:00000006"),
        Arguments.of(StaticMask.PV_DEF, "1fc9cbf5:f6d83203:ea500800:442109e3:00000007:f1af0b29:02405f43:00000000:64001005:ac804410:00801c37:781c0c65:00000000:00000021:00000000:00004430:1d12e173:40000000:00000006"),
        Arguments.of(StaticMask.HVM_SHADOW_MAX, "1fcbfbff:f7f83203:ea500800:442109f3:0000000f:f1bf4bbb:1a405f47:00000100:751fd005:bc814510:80881cf7:789c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006"),
        Arguments.of(StaticMask.HVM_SHADOW_DEF, "1fcbfbff:f7f83203:ea500800:442109f3:0000000f:f1bf0bab:02405f47:00000000:751fd005:bc804410:00881c37:781c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006"),
        Arguments.of(StaticMask.HVM_HAP_MAX, "1fcbfbff:f7fa3223:ee500800:442109f7:0000000f:f1bf4fbb:9a405f4f:00000100:751fd005:bc814510:80881cf7:789c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006"),
        Arguments.of(StaticMask.HVM_HAP_DEF, "1fcbfbff:f7fa3203:ee500800:442109f3:0000000f:f1bf0fab:82405f4f:00000000:751fd005:bc804410:00881c37:781c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006"),
        Arguments.of(StaticMask.SIMPLE_OR, "00000000:00000000:00000000:00000000:00000000:00000000:00000000:00000000:00100000:00000400:00000000:00000022:00000000:00000000:00000000:00000000:10020000:00000000:00000000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("latestMasks")
  void mask_equalsLatestXen(StaticMask mask, String expected) {
    assertEquals(expected, T.mask(mask).format());
    assertEquals(19, T.mask(mask).length());
  }

  @Test
  void table_hasLatestCounts() {
    assertEquals(19, T.nrWords());
    assertEquals(287, T.features().size());
    assertEquals(32, T.deepFeatures().cardinality(), "NR_DEEP_DEPS");
  }

  @Test
  void words_labelsAsXenCpuid() {
    assertEquals("CPUID 0x00000001.edx", T.word(0).label());
    assertEquals("CPUID 0x0000000d:1.eax", T.word(4).label());
    assertEquals("CPUID 0x00000007:0.ebx", T.word(5).label());
    assertEquals("MSR_ARCH_CAPS.lo", T.word(16).label());
    assertEquals("MSR_ARCH_CAPS.hi", T.word(17).label());
    assertEquals("e21c", T.word(18).abbr());
  }

  @Test
  void lookups_byNameAndIndex() {
    Feature sse41 = T.byName("sse4-1").orElseThrow();
    assertEquals(1 * 32 + 19, sse41.index());
    assertEquals("sse41", sse41.name417().orElseThrow());
    assertEquals(sse41, T.byIndex(51).orElseThrow());
    assertTrue(T.byIndex(14 * 32).isEmpty(), "word 14 has no features");
    assertTrue(T.byIndex(19 * 32 + 5).isEmpty(), "past the table");
    assertTrue(T.byName("sse41").isEmpty(), "4.17 names are not the latest's");
    assertEquals(java.util.Set.of(Attribute.SPECIAL, Attribute.ALL_DEFAULT),
        T.byName("arch-caps").orElseThrow().attributes());
    assertEquals("S|", T.byName("no-lmsl").orElseThrow().markers());
  }

  /** The closure equals gen-cpuid's flattened output, shared/xen-feature-deep-deps.csv. */
  @Test
  void deepDependents_equalPublishedClosure() throws IOException {
    Map<String, Featureset> expected = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        getClass().getResourceAsStream("xen-feature-deep-deps.csv"), StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line; (line = r.readLine()) != null; ) {
        String[] kv = line.split(",");
        int dep = T.byName(kv[1]).orElseThrow().index();
        expected.merge(kv[0], Featureset.ofFeatures(19, dep), Featureset::or);
      }
    }
    assertEquals(32, expected.size());
    for (Feature f : T.features()) {
      Featureset want = expected.getOrDefault(f.name(), Featureset.zero(19));
      assertEquals(want, T.deepDependents(f.index()), f.name());
      assertEquals(expected.containsKey(f.name()), T.deepFeatures().contains(f.index()), f.name());
    }
    assertEquals(47, T.deepDependents(T.byName("xsave").orElseThrow().index()).cardinality());
  }

  @Test
  void sanitise_clearsEveryDependentOfAnAbsentFeature() {
    Featureset all = T.mask(StaticMask.KNOWN);
    int xsave = T.byName("xsave").orElseThrow().index();
    Featureset s = T.sanitise(all.without(xsave));
    for (String n : new String[] {"avx", "avx2", "avx512f", "avx512-fp16", "amx-tile", "xsaveopt", "pku", "mpx"}) {
      assertFalse(s.contains(T.byName(n).orElseThrow().index()), n);
    }
    assertTrue(s.contains(T.byName("sse4-2").orElseThrow().index()));
    assertEquals(all.cardinality() - 1 - 47, s.cardinality());
  }

  @Test
  void sanitise_dropsUnknownBitsAndExtraWords() {
    Featureset fs = Featureset.ofFeatures(22, 14 * 32 + 3, 21 * 32 + 7, 0);
    assertEquals(Featureset.ofFeatures(19, 0), T.sanitise(fs));
    assertEquals(19, T.sanitise(fs).length());
  }

  @Test
  void names_inFeaturesetOrderSkippingUnknownBits() {
    Featureset fs = T.featuresetOf(java.util.List.of("sse3", "fpu", "its-no"));
    assertEquals(java.util.List.of("fpu", "sse3", "its-no"), T.names(fs.with(14 * 32)));
  }

  static Stream<Arguments> brokenTables() {
    String words = "index,abbr,source,leaf,subleaf,register,msr_name\n"
        + "0,1d,cpuid,0x00000001,,edx,\n1,1c,cpuid,0x00000001,,ecx,\n";
    String head = "name,word,bit,leaf,subleaf,register,attrs,name_4_17\n";
    String fpu = "fpu,0,0,0x00000001,,edx,A,fpu\n";
    String vme = "vme,0,1,0x00000001,,edx,S,vme\n";
    String deps = "feature,depends_on\n";
    return Stream.of(
        Arguments.of("duplicate name", words, head + fpu + "fpu,0,2,0x00000001,,edx,A,\n", deps,
            "xen-features.csv:3: duplicate feature name fpu (first at line 2)"),
        Arguments.of("duplicate bit", words, head + fpu + "xfpu,0,0,0x00000001,,edx,A,\n", deps,
            "xen-features.csv:3: feature xfpu has the same bit as fpu (word 0 bit 0)"),
        Arguments.of("unknown attribute", words, head + "fpu,0,0,0x00000001,,edx,Aq,\n", deps,
            "xen-features.csv:2: feature fpu has unknown attribute 'q' (known: A S H a s h ! |)"),
        Arguments.of("past last word", words, head + "x,2,0,0x80000001,,edx,A,\n", deps,
            "xen-features.csv:2: feature x is in word 2, past the last declared word 1"),
        Arguments.of("words out of order", words, head + "sse3,1,0,0x00000001,,ecx,A,\n" + fpu, deps,
            "xen-features.csv:3: feature fpu of word 0 comes after word 1: words must be in order"),
        Arguments.of("wrong register", words, head + "fpu,0,0,0x00000001,,ecx,A,\n", deps,
            "xen-features.csv:2: feature fpu is at 0x00000001.ecx, but its word 0 (1d) is CPUID 0x00000001.edx"),
        Arguments.of("bit 32", words, head + "fpu,0,32,0x00000001,,edx,A,\n", deps,
            "xen-features.csv:2: feature fpu has bit 32, not 0 to 31"),
        Arguments.of("word gap", words.replace("1,1c", "2,1c"), head, deps,
            "featureset-words.csv:3: word 2 out of order: expected word 1"),
        Arguments.of("unknown dependency", words, head + fpu, deps + "mmx,fpu\n",
            "xen-feature-deps.csv:2: dependency names unknown feature 'mmx'"),
        Arguments.of("cycle", words, head + fpu + vme, deps + "vme,fpu\nfpu,vme\n",
            "xen-feature-deps.csv: dependency cycle through fpu"),
        Arguments.of("short row", words, head + "fpu,0,0\n", deps,
            "xen-features.csv:2: expected 8 fields, found 3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenTables")
  void load_brokenTable_namesFileAndLine(String name, String words, String features, String deps,
      String message) {
    FeatureTableException e = assertThrows(FeatureTableException.class, () ->
        FeatureTableLoader.load(new StringReader(words), new StringReader(features),
            new StringReader(deps)));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> lineEndings() {
    return Stream.of(
        Arguments.of("LF", "\n"),
        Arguments.of("CRLF", "\r\n"),
        Arguments.of("CR", "\r"));
  }

  /** The loader cuts lines itself (not BufferedReader): every ending readLine knows still works. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("lineEndings")
  void load_builtInFilesWithLineEnding_equalBuiltInTable(String name, String eol)
      throws IOException, FeatureTableException {
    FeatureTable t = FeatureTableLoader.load(
        withLineEnding(FeatureTableLoader.WORDS, eol),
        withLineEnding(FeatureTableLoader.FEATURES, eol),
        withLineEnding(FeatureTableLoader.DEPS, eol));
    assertEquals(T.words(), t.words());
    assertEquals(T.features(), t.features());
    for (StaticMask m : StaticMask.values()) {
      assertEquals(T.mask(m), t.mask(m), m.title());
    }
    assertEquals(T.deepFeatures(), t.deepFeatures());
    for (int f : T.deepFeatures().features().toArray()) {
      assertEquals(T.deepDependents(f), t.deepDependents(f), "feature " + f);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lineEndings")
  void load_brokenTableWithLineEnding_countsLines(String name, String eol) {
    String words = "# words\n\nindex,abbr,source,leaf,subleaf,register,msr_name\n"
        + "0,1d,cpuid,0x00000001,,edx,\n";
    String features = "name,word,bit,leaf,subleaf,register,attrs,name_4_17\n"
        + "fpu,0,0,0x00000001,,edx,A,fpu\n# comment\n  \nfpu,0,2,0x00000001,,edx,A,\n";
    FeatureTableException e = assertThrows(FeatureTableException.class, () ->
        FeatureTableLoader.load(new StringReader(words.replace("\n", eol)),
            new StringReader(features.replace("\n", eol)),
            new StringReader("feature,depends_on" + eol)));
    assertEquals("xen-features.csv:5: duplicate feature name fpu (first at line 2)", e.getMessage());
  }

  private static StringReader withLineEnding(String resource, String eol) throws IOException {
    try (var in = FeatureTableLoader.class.getResourceAsStream(resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new StringReader(text.replace("\n", eol));
    }
  }
}
