package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against Debian's real libxl 4.17.7 (issue 15): for 40 seeded pools of the real
 * CPU dumps, every setting {@code xl cpu-level --xen-version 4.17} (and {@code 4.17.7}) prints, in
 * both syntaxes, was fed item by item to the real {@code libxl_cpuid_parse_config} (or
 * {@code _xend}): it accepted each, and this project's parser builds from the setting exactly the
 * JSON it built. The golden file is {@code oracle/gen-cpulevel-golden.py}'s; the test also checks
 * the settings are still the ones it recorded.
 */
class CpuLevelOracleTest {
  private static final String GOLDEN = "/golden/cpu-level-libxl-4.17.7/cases.tsv";
  private static final Map<String, String> OUTPUTS = new HashMap<>();

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = Objects.requireNonNull(
            CpuLevelOracleTest.class.getResourceAsStream(GOLDEN), GOLDEN);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = r.readLine();
      assertEquals("id\tversion\tformat\ttype\tdumps\tsetting\toracle_stdout\toracle_rc", line);
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t", -1);
        assertEquals(8, f.length, line);
        out.add(Arguments.of(f[0] + " " + f[1] + " " + f[2] + " " + f[3], f[1], f[2], f[3],
            List.of(f[4].split(" ")), f[5], f[6], Integer.parseInt(f[7])));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void setting_acceptedByLibxl417_andParsedAlike(String name, String version, String format,
      String type, List<String> dumps, String setting, String oracle, int oracleRc)
      throws Exception {
    assertEquals(0, oracleRc, name + ": real libxl 4.17.7 refused " + setting + ": " + oracle);
    assertEquals(setting, printed(version, format, type, dumps),
        name + ": cpu-level prints another setting now; regenerate the golden file with"
            + " python3 oracle/gen-cpulevel-golden.py (oracle/README.md)");
    String value = setting.substring("cpuid = ".length());
    for (CpuidParser parser : List.of(CpuidParser.xen417(), CpuidParser.latest())) {
      CpuidPolicyList list;
      if (value.startsWith("\"")) {
        List<String> items = Arrays.asList(value.substring(1, value.length() - 1).split(","));
        assertEquals("host", items.get(0), setting);
        list = parser.parseLibxlItems(items.subList(1, items.size()));
      } else {
        String inner = value.substring(1, value.length() - 1).strip();
        List<String> strings = new ArrayList<>();
        for (String s : inner.isEmpty() ? new String[0] : inner.split("\", \"")) {
          strings.add(s.replace("\"", ""));
        }
        list = parser.parseXendList(strings);
      }
      assertEquals(oracle, list.toJson(), name);
    }
  }

  /** Returns the setting for {@code type} that cpu-level prints for the pool now. */
  private static synchronized String printed(String version, String format, String type,
      List<String> dumps) {
    List<String> args = new ArrayList<>(List.of("cpu-level", "--per-vendor", "--format", format,
        "--xen-version", version));
    dumps.forEach(d -> args.add(PoolCommandsTest.dump(d)));
    String out = OUTPUTS.computeIfAbsent(String.join(" ", args), k -> {
      MainTest.Result r = MainTest.xl(args.toArray(new String[0]));
      assertEquals(0, r.rc(), r.err());
      return r.out();
    });
    String kind = null;
    for (String l : out.split("\n")) {
      if (l.startsWith("# ") && l.contains(" (type = ")) {
        kind = l.split(" ")[2];
      } else if (l.startsWith("cpuid = ") && type.equals(kind)) {
        return l;
      }
    }
    return "(none)";
  }
}
