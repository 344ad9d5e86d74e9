package dev.xenlevelling.xl.policyfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xl.level.LevelledPolicy;
import dev.xenlevelling.xl.level.PoolLeveller;
import dev.xenlevelling.xl.level.RawDumps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example policy files in {@code config-examples/policies/}: every one parses, and the one
 * produced from three real dumps is what the code produces today.
 *
 * <p>Regenerate the produced example with {@code -Dxl.regenerateExamples=true}.
 */
class ExamplePoliciesTest {
  static final Path DIR = Paths.get("..", "config-examples", "policies");
  static final List<String> POOL = List.of("Xeon-Gold-6148", "Xeon-Platinum-8268", "Ice-Lake-Server");
  static final String GENERATED = "pool-skylake-cascadelake-icelake.yaml";

  static String generated() throws Exception {
    LevelledPolicy p = PoolLeveller.latest().level(POOL.stream().map(RawDumps::host).toList());
    PolicyFile f = PolicyFile.fromLevelled(p, Instant.parse("2026-11-21T00:00:00Z"),
        "ExamplePoliciesTest (xl-lib tests) from x86_64-cpuid-{" + String.join(",", POOL) + "}.xml");
    return "# EXAMPLE, produced by xl-lib's ExamplePoliciesTest from three real CPUID dumps\n"
        + "# (libvirt's tests/cputestdata). APPROXIMATION: the hosts' default and max featuresets\n"
        + "# are stand-ins (raw CPUID & Xen's static PV/HVM masks, sanitised), not what a booted Xen\n"
        + "# reports, so the fingerprints are of the dump files. Real files come from xl cpu-level.\n"
        + f.toYaml();
  }

  @Test
  void generatedExample_isUpToDate() throws Exception {
    Path file = DIR.resolve(GENERATED);
    String text = generated();
    if (Boolean.getBoolean("xl.regenerateExamples")) {
      Files.writeString(file, text);
    }
    assertEquals(text, Files.readString(file), "regenerate with -Dxl.regenerateExamples=true");
  }

  @Test
  void everyExample_parses() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 2, "examples: " + files);
    for (Path f : files) {
      PolicyFile p = PolicyFile.read(f);
      assertEquals(p, PolicyFile.parse(p.toYaml(), f.toString()), f + " round trip");
    }
  }
}
