package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Byte-exact snapshots of OUR tool's host-mode output, under
 * {@code src/test/resources/golden/xen-cpuid-sim/} (no real-tool output exists for them: the
 * Debian oracle ran without a hypervisor). They pin the layout against regressions; the checks
 * against Xen's facts are in {@link HostModesTest}. Regenerate with
 * {@code mvn -pl xen-cpuid-tool -am verify -Dgolden.update=true} and review the diff.
 */
final class Snapshots {
  static final String DIR = "golden/xen-cpuid-sim/";

  private Snapshots() {}

  static void assertMatches(String name, String actual) {
    if (Boolean.getBoolean("golden.update")) {
      Path p = Path.of("src/test/resources", DIR, name);
      try {
        Files.createDirectories(p.getParent());
        Files.writeString(p, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    assertEquals(read(name), actual, name);
  }

  static String read(String name) {
    try (InputStream in = Snapshots.class.getResourceAsStream("/" + DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing snapshot " + DIR + name
            + " (run with -Dgolden.update=true to create it)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
