package dev.xenlevelling.xl.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against Debian's real libxl 4.17.7: every case of the oracle's golden file
 * (8040 invocations of libxl_cpuid_parse_config / _xend) must give the same stdout byte for byte
 * when parsed in 4.17.7 compatibility mode (that release's name table, the rest identical).
 */
class CpuidParserGoldenTest {
  private static final String GOLDEN = "/golden/libxl-cpuid-4.17.7/cases.jsonl";

  static Stream<Arguments> cases() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = Objects.requireNonNull(
            CpuidParserGoldenTest.class.getResourceAsStream(GOLDEN), GOLDEN);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode c = mapper.readTree(line);
        List<String> args = new ArrayList<>();
        c.get("args").forEach(a -> args.add(a.asText()));
        out.add(Arguments.of(c.get("id").asText(), c.get("mode").asText(), args,
            c.get("stdout").asText(), c.get("rc").asInt()));
      }
    }
    return out.stream();
  }

  /** Returns what the oracle prints for {@code args}: the JSON, or ERROR n at arg ITEM. */
  static String oracleOutput(String mode, List<String> args) {
    try {
      CpuidPolicyList list = mode.equals("xend")
          ? CpuidParser.xen417().parseXendList(args)
          : CpuidParser.xen417().parseLibxlItems(args);
      return list.toJson() + "\n";
    } catch (CpuidParseException e) {
      return "ERROR " + e.reason().code() + " at arg " + e.item() + "\n";
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parse_matchesRealLibxl417(String id, String mode, List<String> args, String stdout,
      int rc) {
    String ours = oracleOutput(mode, args);
    assertEquals(stdout, ours, () -> id + " " + args);
    assertEquals(rc, ours.startsWith("ERROR") ? 1 : 0, id);
  }
}
