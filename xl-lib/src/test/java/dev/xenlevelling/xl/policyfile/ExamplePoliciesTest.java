package dev.xenlevelling.xl.policyfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xl.CreateResult;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.defaults.StaleCheck;
import dev.xenlevelling.xl.defaults.XlConf;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.hostdump.HostDumps;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.HostRef;
import dev.xenlevelling.xl.level.LevelledPolicy;
import dev.xenlevelling.xl.level.PoolLeveller;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example policy files in {@code config-examples/policies/}: every one parses, the one
 * produced from three real dumps is what the code produces today from those dumps booted through
 * the simulated hypervisor, and every one is sound for the hosts it records: its ceiling holds
 * the pool's boot set, which every recorded host's max holds, and HVM guests see hypervisor.
 *
 * <p>Regenerate the produced example with {@code -Dxl.regenerateExamples=true}.
 */
class ExamplePoliciesTest {
  static final Path DIR = Paths.get("..", "config-examples", "policies");
  static final List<String> POOL = List.of("Xeon-Gold-6148", "Xeon-Platinum-8268", "Ice-Lake-Server");
  static final String GENERATED = "pool-skylake-cascadelake-icelake.yaml";

  /** Returns the dump {@code x86_64-cpuid-NAME.xml} booted through the simulated hypervisor. */
  static HostCpu booted(String name) throws Exception {
    String path = "/dev/xenlevelling/xl/level/dumps/x86_64-cpuid-" + name + ".xml";
    try (InputStream in = ExamplePoliciesTest.class.getResourceAsStream(path)) {
      return HostDumps.parse(path, name, in.readAllBytes());
    }
  }

  static String generated() throws Exception {
    List<HostCpu> hosts = new ArrayList<>();
    for (String n : POOL) {
      hosts.add(booted(n));
    }
    LevelledPolicy p = PoolLeveller.latest().level(hosts);
    PolicyFile f = PolicyFile.fromLevelled(p, hosts, Instant.parse("2026-11-21T00:00:00Z"),
        "xl cpu-level -o pool.yaml " + String.join(" ",
            POOL.stream().map(n -> "x86_64-cpuid-" + n + ".xml").toList()));
    return "# EXAMPLE, produced by xl-lib's ExamplePoliciesTest from three real CPUID dumps\n"
        + "# (libvirt's tests/cputestdata), each booted through the simulated hypervisor as\n"
        + "# bin/xensim boot does (what bin/xen-cpuid --json then reports), levelled as\n"
        + "# bin/xl cpu-level does. Regenerate: mvn -pl xl-lib -am verify"
        + " -Dxl.regenerateExamples=true\n"
        + f.toYaml();
  }

  static List<Path> examples() throws Exception {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /**
   * Every example records its hosts' featuresets, and for each guest type: the pool's boot set
   * (the AND of the recorded defaults, OR for the | features, closed) is within the ceiling and
   * within every recorded host's max; HVM guests get hypervisor, and x2apic where every host's
   * max has it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExample_isSoundForItsRecordedHosts(Path file) throws Exception {
    FeatureTable t = FeatureTable.latest();
    PolicyFile p = PolicyFile.read(file);
    Provenance pr = p.provenance().orElseThrow(() -> new AssertionError(file + ": no provenance"));
    for (var e : p.types().entrySet()) {
      DomainType type = e.getKey();
      Featureset ceiling = e.getValue().featureset().withLength(t.nrWords());
      List<Featureset> defs = new ArrayList<>();
      List<Featureset> maxes = new ArrayList<>();
      for (HostRef h : pr.hosts()) {
        HostFeaturesets fs = pr.featuresets(h.name()).orElseThrow(
            () -> new AssertionError(file + ": host " + h.name() + " has no featuresets"));
        defs.add(fs.defaultFor(type).orElseThrow().withLength(t.nrWords()));
        maxes.add(fs.maxFor(type).orElseThrow().withLength(t.nrWords()));
      }
      Featureset boot = PoolLeveller.latest().table().sanitise(Featureset.andAll(defs)
          .or(Featureset.orAll(defs).and(t.mask(StaticMask.SIMPLE_OR))));
      assertEquals(List.of(), names(t, boot.andNot(ceiling)),
          file + " " + type.key() + ": boot features outside the ceiling");
      for (int i = 0; i < maxes.size(); i++) {
        assertEquals(List.of(), names(t, boot.andNot(maxes.get(i))), file + " " + type.key()
            + ": boot features outside host " + pr.hosts().get(i).name() + "'s max");
        assertEquals(List.of(), names(t, ceiling.andNot(maxes.get(i))), file + " " + type.key()
            + ": ceiling features outside host " + pr.hosts().get(i).name() + "'s max");
      }
      if (type == DomainType.HVM) {
        int hv = t.byName("hypervisor").orElseThrow().index();
        int x2apic = t.byName("x2apic").orElseThrow().index();
        assertTrue(ceiling.contains(hv), file + ": hvm ceiling lacks hypervisor");
        if (maxes.stream().allMatch(m -> m.contains(x2apic))) {
          assertTrue(ceiling.contains(x2apic), file + ": hvm ceiling lacks x2apic");
        }
      }
    }
  }

  static List<String> names(FeatureTable t, Featureset fs) {
    return fs.features().mapToObj(i -> t.byIndex(i).map(f -> f.name()).orElse("bit " + i))
        .toList();
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
    List<Path> files = examples();
    assertTrue(files.size() >= 2, "examples: " + files);
    for (Path f : files) {
      PolicyFile p = PolicyFile.read(f);
      assertEquals(p, PolicyFile.parse(p.toYaml(), f.toString()), f + " round trip");
    }
  }

  /** Per example, each recorded host's CPU source (a profile or a libvirt dump). */
  static Stream<Arguments> recordedHosts() {
    String dumps = "../testdata/cpu-dumps/x86_64-cpuid-";
    return Stream.of(
        Arguments.of("pool-epyc-handwritten.yaml", "epyc-naples-1", "epyc-naples"),
        Arguments.of("pool-epyc-handwritten.yaml", "epyc-rome-1", "epyc-rome"),
        Arguments.of("pool-epyc-handwritten.yaml", "epyc-milan-1", "epyc-milan"),
        Arguments.of(GENERATED, "Xeon-Gold-6148", dumps + "Xeon-Gold-6148.xml"),
        Arguments.of(GENERATED, "Xeon-Platinum-8268", dumps + "Xeon-Platinum-8268.xml"),
        Arguments.of(GENERATED, "Ice-Lake-Server", dumps + "Ice-Lake-Server.xml"));
  }

  /**
   * On each host it records, booted as recorded, the example is current (xl create --strict
   * creates), and the guests get the pool's boot set but what the example's own settings turn
   * off, the two bits Xen copies from the host and (HVM) cmp-legacy, which libxc's domain build
   * clears; nothing outside the ceiling but those two.
   */
  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("recordedHosts")
  void everyExample_createsGuestsWithThePoolsBootSetOnItsHosts(String example, String host,
      String source, @TempDir Path dir) throws Exception {
    FeatureTable t = FeatureTable.latest();
    XcInterface xc = XcInterface.bootInMemory(source, Paths.get("..", "config-examples", "hosts"),
        "", Optional.empty());
    Path file = DIR.resolve(example).toAbsolutePath();
    PolicyFile p = PolicyFile.read(file);
    XlConf conf = XlConf.parse("xl.conf", "vm.cpuid_policy = \"" + file + "\"\n", dir);
    Libxl x = Libxl.inMemory(xc, host);
    Featureset mirrored = Featureset.ofFeatures(t.nrWords(),
        t.byName("fdp-excp-only").orElseThrow().index(),
        t.byName("no-fpu-sel").orElseThrow().index());
    for (var e : p.types().entrySet()) {
      String type = e.getKey() == DomainType.PV ? "pv" : "hvm";
      CreateResult r = x.create(DomainConfigFile.parse("d.cfg", "name='" + type + "'\ntype='"
          + type + "'\n", List.of()), conf, true);
      assertEquals(StaleCheck.Status.CURRENT, r.defaults().stale().orElseThrow().status());
      Featureset got = x.domainPolicy(x.find(type)).featureset(t).withLength(t.nrWords());
      List<Featureset> defs = new ArrayList<>();
      for (HostRef h : p.provenance().orElseThrow().hosts()) {
        defs.add(p.provenance().get().featuresets(h.name()).orElseThrow().defaultFor(e.getKey())
            .orElseThrow().withLength(t.nrWords()));
      }
      Featureset boot = t.sanitise(Featureset.andAll(defs)
          .or(Featureset.orAll(defs).and(t.mask(StaticMask.SIMPLE_OR))));
      Featureset off = Featureset.zero(t.nrWords());
      for (var s : e.getValue().features().entrySet()) {
        if (s.getValue() == FeatureSetting.OFF) {
          off = off.with(t.byName(s.getKey()).orElseThrow().index());
        }
      }
      if (e.getKey() == DomainType.HVM) {
        // libxc's HVM domain build clears cmp-legacy whatever the policy (a build option).
        off = off.with(t.byName("cmp-legacy").orElseThrow().index());
      }
      Featureset ceiling = e.getValue().featureset().withLength(t.nrWords());
      assertEquals(List.of(), names(t, boot.andNot(off).andNot(mirrored).andNot(got)),
          example + " on " + host + " " + type + ": boot features the guest lost");
      assertEquals(List.of(), names(t, got.andNot(ceiling).andNot(mirrored)),
          example + " on " + host + " " + type + ": features outside the ceiling");
    }
  }
}
