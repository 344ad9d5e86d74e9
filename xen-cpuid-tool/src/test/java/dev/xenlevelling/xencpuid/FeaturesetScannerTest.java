package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.policy.Featureset;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FeaturesetScannerTest {
  static Stream<Arguments> scans() {
    return Stream.of(
        // name, input, words, rest
        Arguments.of("colon", "178bfbff:f6d8320b", "178bfbff:f6d8320b", ""),
        Arguments.of("dash separates (4.18+)", "178bfbff-f6d8320b", "178bfbff:f6d8320b", ""),
        Arguments.of("dash then sign", "1--2", "00000001:fffffffe", ""),
        Arguments.of("one trailing separator is eaten", "1-", "00000001", ""),
        Arguments.of("two trailing separators", "1::", "00000001", ":"),
        Arguments.of("bare 0x is zero", "0x", "00000000", ""),
        Arguments.of("0x then garbage", "0xg", "00000000", "g"),
        Arguments.of("0x0x1", "0x0x1", "00000000", "x1"),
        Arguments.of("64-bit value cut to 32", "123456789abcdef0", "9abcdef0", ""),
        Arguments.of("17 digits saturate", "123456789abcdef01", "ffffffff", ""),
        Arguments.of("leading zeros are not significant", "0000000000000000000001", "00000001", ""),
        Arguments.of("negated in 64 bits", "-ffffffffff", "00000001", ""),
        Arguments.of("overflow beats the sign", "-10000000000000000", "ffffffff", ""),
        Arguments.of("blanks before a word", " \t\n\u000b\f\r1: 2", "00000001:00000002", ""),
        Arguments.of("blank before colon", "1 :2", "00000001", " :2"),
        Arguments.of("blank word fails in place", "1: :2", "00000001", " :2"),
        Arguments.of("sign alone", "+", "", "+"),
        Arguments.of("two signs", "+-1", "", "+-1"),
        Arguments.of("empty", "", "", ""),
        Arguments.of("only blanks", "   ", "", "   "),
        Arguments.of("non-ASCII digit is not hex", "\u0661", "", "\u0661"),
        Arguments.of("full-width letter is not hex", "1:\uff41", "00000001", "\uff41"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scans")
  void scan_quirks_asGlibcSscanf(String name, String input, String words, String rest) {
    FeaturesetScanner.Result r = FeaturesetScanner.scan(input, 19);
    assertEquals(words, r.words().format());
    assertEquals(rest, r.rest());
  }

  @Test
  void scan_stopsAtMaxWordsBeforeTheSeparator() {
    FeaturesetScanner.Result r = FeaturesetScanner.scan("1:2:3", 2);
    assertEquals("00000001:00000002", r.words().format());
    assertEquals(":3", r.rest());
  }

  @Property
  void scan_formattedWords_roundTrip(
      @ForAll @Size(min = 1, max = 19) List<Integer> words,
      @ForAll @IntRange(min = 0, max = 2) int style) {
    String sep = style == 1 ? "-" : ":";
    String text = words.stream()
        .map(w -> style == 2 ? "0x" + Integer.toHexString(w).toUpperCase() : String.format("%08x", w))
        .collect(Collectors.joining(sep));
    FeaturesetScanner.Result r = FeaturesetScanner.scan(text, 19);
    int[] expected = words.stream().mapToInt(Integer::intValue).toArray();
    assertEquals(Featureset.of(expected).format(), r.words().format());
    assertEquals(expected.length, r.words().length());
    assertEquals("", r.rest());
  }

  @Property
  void scan_neverReadsMoreThanMaxWords(@ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll @IntRange(min = 1, max = 19) int max) {
    String text = IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining(":"));
    FeaturesetScanner.Result r = FeaturesetScanner.scan(text, max);
    assertEquals(Math.min(n, max), r.words().length());
  }
}
