package dev.xenlevelling.xl.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Strings;
import dev.xenlevelling.xl.cpuid.CpuidParseException.Reason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpuidParserTest {
  private static final CpuidParser LATEST = CpuidParser.latest();

  static Stream<CpuidName> namesAfter417() {
    return CpuidNameTable.latest().names().stream().filter(n -> !n.inXen417());
  }

  @Test
  void tables_haveXensCounts() {
    assertEquals(331, CpuidNameTable.latest().names().size());
    assertEquals(276, CpuidNameTable.xen417().names().size());
    assertEquals(55, namesAfter417().count());
  }

  /** The names newer than 4.17.7: the latest mode sets exactly the CSV's bits, 4.17 rejects. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("namesAfter417")
  void parseLibxl_nameAfter417_latestSetsItsBitsAnd417Rejects(CpuidName name)
      throws CpuidParseException {
    CpuidParseException e = assertThrows(CpuidParseException.class,
        () -> CpuidParser.xen417().parseLibxlItems(List.of(name.name() + "=1")));
    assertEquals(Reason.UNKNOWN_NAME, e.reason());

    CpuidPolicyList list = LATEST.parseLibxlItems(List.of(name.name() + "=1"));
    if (name.kind() == CpuidName.Kind.MSR) {
      assertEquals(1, list.msrs().size());
      CpuidPolicyList.MsrEntry m = list.msrs().get(0);
      assertEquals(0x10a, m.index());
      assertEquals(expected(64, name.msrBit(), 1), m.policy());
      assertTrue(list.cpuid().isEmpty());
    } else {
      assertEquals(1, list.cpuid().size());
      CpuidPolicyList.Entry e1 = list.cpuid().get(0);
      assertEquals(name.leaf(), e1.leaf());
      assertEquals(name.subleaf(), e1.subleaf());
      assertEquals(expected(32, name.firstBit(), name.length()),
          e1.register(name.register()).orElseThrow());
    }
  }

  /** Returns {@code width} x's with a 1 at bit {@code first} and 0 above it up to length. */
  private static String expected(int width, int first, int length) {
    char[] s = Strings.repeat("x", width).toCharArray();
    for (int i = 0; i < length; i++) {
      s[width - 1 - first - i] = i == 0 ? '1' : '0';
    }
    return new String(s);
  }

  static Stream<Arguments> libxlStrings() {
    return Stream.of(
        Arguments.of("hide TSX", "host,hle=0,rtm=0",
            "{\"cpuid\":[{\"leaf\":7,\"subleaf\":0,\"ebx\":\"xxxxxxxxxxxxxxxxxxxx0xxxxxx0xxxx\"}],\"msr\":[]}"),
        Arguments.of("empty words vanish", ",host,,sse3=0,",
            "{\"cpuid\":[{\"leaf\":1,\"ecx\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0\"}],\"msr\":[]}"),
        Arguments.of("only host", "host", "{\"cpuid\":[],\"msr\":[]}"),
        Arguments.of("empty value", "", "{\"cpuid\":[],\"msr\":[]}"),
        Arguments.of("later wins", "host,sse3=0,sse3=1",
            "{\"cpuid\":[{\"leaf\":1,\"ecx\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1\"}],\"msr\":[]}"),
        Arguments.of("family 0x19", "host,family=0x19",
            "{\"cpuid\":[{\"leaf\":1,\"eax\":\"xxxx00001010xxxxxxxx1111xxxxxxxx\"}],\"msr\":[]}"),
        Arguments.of("model 0x55", "host,model=0x55",
            "{\"cpuid\":[{\"leaf\":1,\"eax\":\"xxxxxxxxxxxx0101xxxxxxxx0101xxxx\"}],\"msr\":[]}"),
        Arguments.of("latest name avx512-bmm", "host,avx512-bmm=0",
            "{\"cpuid\":[{\"leaf\":2147483681,\"eax\":\"xxxxxxxx0xxxxxxxxxxxxxxxxxxxxxxx\"}],\"msr\":[]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("libxlStrings")
  void parseLibxlString_givesLibxlJson(String name, String value, String json)
      throws CpuidParseException {
    assertEquals(json, LATEST.parseLibxlString(value).toJson());
  }

  static Stream<Arguments> badStrings() {
    return Stream.of(
        Arguments.of("first word not host", "sse3=0,host", Reason.FIRST_WORD_NOT_HOST,
            "sse3=0,host",
            "while parsing CPUID string: first word must be \"host\""),
        Arguments.of("no equals", "host,sse3", Reason.MISSING_EQUALS, "sse3",
            "while parsing CPUID flag: \"sse3\": error #1: missing \"=\" in key=value"),
        Arguments.of("unknown name", "host,SSE3=0", Reason.UNKNOWN_NAME, "SSE3=0",
            "while parsing CPUID flag: \"SSE3=0\": error #2: unknown CPUID flag name"),
        Arguments.of("bad value", "host,sse3=0,avx=true", Reason.ILLEGAL_VALUE, "avx=true",
            "while parsing CPUID flag: \"avx=true\": error #3: "
                + "illegal CPUID value (must be: [0|1|x|k|s])"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStrings")
  void parseLibxlString_badItem_namesItemAndReason(String name, String value, Reason reason,
      String item, String message) {
    CpuidParseException e = assertThrows(CpuidParseException.class,
        () -> LATEST.parseLibxlString(value));
    assertEquals(reason, e.reason());
    assertEquals(item, e.item());
    assertEquals(message, e.getMessage());
  }

  @Test
  void parseXend_badLength_reportsCode5InXlsWords() {
    CpuidParseException e = assertThrows(CpuidParseException.class,
        () -> LATEST.parseXendList(List.of("1:eax=0")));
    assertEquals(5, e.reason().code());
    assertEquals("while parsing CPUID line: \"1:eax=0\": error #5: "
        + "policy string must be exactly 32 characters long", e.getMessage());
  }
}
