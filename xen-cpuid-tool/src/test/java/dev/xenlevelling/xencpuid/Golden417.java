package dev.xenlevelling.xencpuid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.policy.Featureset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden data captured from Debian's real Xen 4.17.7 xen-cpuid (see oracle/README.md): the
 * 400 cases and the tool's name for each of the 19 x 32 bits.
 */
final class Golden417 {
  static final String DIR = "/golden/xen-cpuid-4.17.7/";

  /** One run of the real tool. */
  record Case(String id, String argv0, String[] args, String stdout, String stderr, int rc) {
    @Override
    public String toString() {
      return id;
    }
  }

  /** What one in-process run of our tool printed. */
  record Run(String stdout, String stderr, int rc) {}

  private static Map<String, Case> cases;
  private static NameTable names;

  private Golden417() {}

  /** Returns every case, by id, in file order. */
  static synchronized Map<String, Case> cases() {
    if (cases == null) {
      ObjectMapper json = new ObjectMapper();
      Map<String, Case> m = new LinkedHashMap<>();
      try (BufferedReader r = reader("cases.jsonl")) {
        for (String line; (line = r.readLine()) != null; ) {
          JsonNode n = json.readTree(line);
          List<String> args = new ArrayList<>();
          n.get("args").forEach(a -> args.add(a.asText()));
          Case c = new Case(n.get("id").asText(), n.get("argv0").asText(),
              args.toArray(new String[0]), n.get("stdout").asText(), n.get("stderr").asText(),
              n.get("rc").asInt());
          m.put(c.id(), c);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      cases = m;
    }
    return cases;
  }

  /** Returns the 4.17.7 tool's name table, read from names-4.17.txt ("word bit name" lines). */
  static synchronized NameTable names() {
    if (names == null) {
      String[] n = new String[19 * Featureset.BITS_PER_WORD];
      try (BufferedReader r = reader("names-4.17.txt")) {
        int lines = 0;
        for (String line; (line = r.readLine()) != null; lines++) {
          String[] f = line.split(" ");
          int word = Integer.parseInt(f[0]);
          int bit = Integer.parseInt(f[1]);
          if (!f[2].equals("<" + bit + ">")) {
            n[word * Featureset.BITS_PER_WORD + bit] = f[2];
          }
        }
        if (lines != n.length) {
          throw new IllegalStateException("names-4.17.txt has " + lines + " lines, not 608");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      names = NameTable.of(n);
    }
    return names;
  }

  /** Runs our tool in-process as the case ran the real one, naming bits from {@code table}. */
  static Run run(Case c, NameTable table) {
    return run(c.argv0(), c.args(), table);
  }

  /**
   * Runs the tool in-process; its host modes see a fresh simulated host booted from the Xeon Gold
   * 6148 dump, with one PV domain (domain 1), named {@code node1}.
   */
  static Run run(String argv0, String[] args, NameTable table) {
    return TestHosts.run(argv0, table, Golden417::host, "node1", args);
  }

  /** Returns a fresh host as {@link #run} gives the tool: Xeon Gold 6148, PV domain 1. */
  static XcInterface host() {
    return TestHosts.withPvDomain(TestHosts.boot(TestHosts.XEON_GOLD_6148, ""));
  }

  private static BufferedReader reader(String name) {
    InputStream in = Golden417.class.getResourceAsStream(DIR + name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + DIR + name);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
