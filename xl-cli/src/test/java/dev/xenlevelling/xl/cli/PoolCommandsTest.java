package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code xl cpu-level} and {@code xl cpu-compat} over real CPU dumps. */
class PoolCommandsTest {
  /** The 29 real CPU dumps, kept once for the whole project. */
  static final Path DUMPS = Path.of("..", "testdata", "cpu-dumps");
  static final String HASWELL = dump("Xeon-E5-2650-v3");
  static final String SKYLAKE = dump("Xeon-Gold-6148");
  static final String ICELAKE = dump("Ice-Lake-Server");
  static final String EPYC = dump("EPYC-7601-32-Core");

  static String dump(String name) {
    return DUMPS.resolve("x86_64-cpuid-" + name + ".xml").toString();
  }

  static MainTest.Result xl(String... args) {
    return MainTest.xl(args);
  }

  @Test
  void cpuLevel_yamlToFile_isAPolicyFileOfThePool(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("pool.yaml");
    MainTest.Result r = xl("cpu-level", "-o", out.toString(), HASWELL, SKYLAKE, ICELAKE);
    assertEquals(new MainTest.Result(0, "", ""), r);
    PolicyFile pf = PolicyFile.read(out);
    assertEquals("intel", pf.vendor().key());
    assertEquals(List.of("x86_64-cpuid-Xeon-E5-2650-v3", "x86_64-cpuid-Xeon-Gold-6148",
        "x86_64-cpuid-Ice-Lake-Server"),
        pf.provenance().orElseThrow().hosts().stream().map(h -> h.name()).toList());
    assertTrue(pf.provenance().orElseThrow().command().startsWith("xl cpu-level -o "));
  }

  static Stream<Arguments> golden() {
    return Stream.of(
        Arguments.of("json", new String[] {"-F", "json"}, "pool.json"),
        Arguments.of("cpuid= line, libxl syntax", new String[] {"-F", "cpuid"}, "pool.cpuid"),
        Arguments.of("cpuid= list, xend syntax", new String[] {"-F", "xend"}, "pool.xend"),
        Arguments.of("explain", new String[] {"--explain"}, "pool-explain.txt"));
  }

  /** Outputs scripts and people read, pinned byte for byte over a Haswell/Skylake/Ice Lake pool. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void cpuLevel_outputs_matchGolden(String name, String[] opts, String golden) throws Exception {
    List<String> args = new ArrayList<>(List.of("cpu-level"));
    args.addAll(List.of(opts));
    args.addAll(List.of(HASWELL, SKYLAKE, ICELAKE));
    assertEquals(new MainTest.Result(0, MainTest.golden("cpu-level/" + golden), ""),
        xl(args.toArray(new String[0])));
  }

  @Test
  void cpuLevel_mixedVendors_refusedWithTheExplanation() {
    MainTest.Result r = xl("cpu-level", SKYLAKE, EPYC);
    assertEquals(1, r.rc());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("xl cpu-level: cannot level hosts of different CPU vendors: "
        + "intel (x86_64-cpuid-Xeon-Gold-6148), amd (x86_64-cpuid-EPYC-7601-32-Core)"), r.err());
    assertTrue(r.err().contains("--per-vendor"));
    assertEquals(1, r.err().lines().count());
  }

  @Test
  void cpuLevel_perVendorJson_onePoolPerVendor() {
    MainTest.Result r = xl("cpu-level", "--per-vendor", "--format", "json", SKYLAKE, EPYC, HASWELL);
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().startsWith("{\n    \"format\": \"xen-levelling-policy/1\",\n"));
    assertTrue(r.out().contains("\"vendor\": \"intel\""));
    assertTrue(r.out().contains("\"vendor\": \"amd\""));
  }

  /**
   * The cpuid= line gives a new guest the same features on every member: created on each member
   * (booted in memory from its dump), every guest gets the same featureset but for the two bits
   * Xen always takes from the host (fdp-excp-only, no-fpu-sel: recalculate_cpuid_policy).
   */
  @Test
  void cpuLevel_cpuidLine_sameGuestFeaturesOnEveryMember(@TempDir Path dir) throws Exception {
    MainTest.Result r = xl("cpu-level", "--format", "cpuid", "--type", "hvm", HASWELL, SKYLAKE,
        ICELAKE);
    assertEquals(0, r.rc(), r.err());
    assertEquals(1, r.out().lines().count());
    assertTrue(r.out().startsWith("cpuid = \"host,"), r.out());
    Path cfg = dir.resolve("guest.cfg");
    Files.writeString(cfg, "type = \"hvm\"\nname = \"levelled\"\nmemory = 1024\n" + r.out());
    FeatureTable t = FeatureTable.latest();
    Featureset mirrored = t.featuresetOf(List.of("fdp-excp-only", "no-fpu-sel"));
    List<Featureset> got = new ArrayList<>();
    for (String d : List.of(HASWELL, SKYLAKE, ICELAKE)) {
      Libxl libxl = Libxl.inMemory(
          XcInterface.bootInMemory(d, Files.newInputStream(Path.of(d)), ""));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int rc = Main.run(new String[] {"create", "-q", cfg.toString()}, new PrintWriter(out),
          new PrintWriter(err), () -> libxl, MainTest.NO_XL_CONF);
      assertEquals(0, rc, err.toString());
      got.add(libxl.domainPolicy(libxl.find("levelled")).featureset(t).andNot(mirrored));
    }
    assertEquals(got.get(0), got.get(1));
    assertEquals(got.get(0), got.get(2));
  }

  @Test
  void cpuLevel_explain_namesTheWeakestLinks() {
    MainTest.Result r = xl("cpu-level", "--explain", HASWELL, SKYLAKE);
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().startsWith("Pool of 2 intel hosts:\n"), r.out());
    assertTrue(r.out().contains("hvm: lost from the ceiling: avx512f: lacked by "
        + "x86_64-cpuid-Xeon-E5-2650-v3\n"), r.out());
    assertTrue(r.out().contains("hvm: lost from the ceiling: avx512dq: through avx512f "
        + "(lacked by x86_64-cpuid-Xeon-E5-2650-v3)\n"), r.out());
    assertTrue(r.out().contains("hvm: without x86_64-cpuid-Xeon-E5-2650-v3 the pool would gain "),
        r.out());
  }

  @Test
  void cpuLevel_whatIfJoin_namesLostFeaturesAndBlockedDomains(@TempDir Path dir)
      throws Exception {
    Path doms = dir.resolve("doms.txt");
    Files.writeString(doms, "Domain 3 (db), hvm, CPUID policy:\n"
        + "  featureset              00000000:00000000:00000000:00000000:00000000:00010000\n");
    MainTest.Result r = xl("cpu-level", "--join", HASWELL, "--domain", "skl:" + doms, SKYLAKE,
        ICELAKE);
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().contains("hvm: the ceiling would lose "), r.out());
    assertTrue(r.out().contains(
        "domain db could not move to x86_64-cpuid-Xeon-E5-2650-v3: it lacks avx512f\n"), r.out());
  }

  /** What-if from the pool's policy file gives what it gives from the members' dumps. */
  @Test
  void cpuLevel_whatIfJoinAPolicyFile_sameAsFromTheDumps(@TempDir Path dir) {
    Path pool = dir.resolve("pool.yaml");
    assertEquals(0, xl("cpu-level", "-o", pool.toString(), SKYLAKE, ICELAKE).rc());
    MainTest.Result fromPolicy = xl("cpu-level", "-j", HASWELL, "-P", pool.toString());
    MainTest.Result fromDumps = xl("cpu-level", "-j", HASWELL, SKYLAKE, ICELAKE);
    assertEquals(0, fromDumps.rc(), fromDumps.err());
    assertTrue(fromDumps.out().contains("would lose avx512f") || fromDumps.out().contains(" avx512f"));
    assertEquals(fromDumps, fromPolicy);
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("unknown format", new String[] {"cpu-level", "-F", "toml", SKYLAKE}, 2,
            "xl cpu-level: unknown format 'toml' (yaml, json, cpuid, xend) (see 'xl help cpu-level')\n"),
        Arguments.of("no dump", new String[] {"cpu-level"}, 2,
            "xl cpu-level: no host dump given (see 'xl help cpu-level')\n"),
        Arguments.of("policy without join", new String[] {"cpu-level", "-P", "x.yaml", SKYLAKE},
            2, "xl cpu-level: --policy goes with --join (see 'xl help cpu-level')\n"),
        Arguments.of("leave: not a member", new String[] {"cpu-level", "-l", "nope", SKYLAKE}, 1,
            "xl cpu-level: host nope is not in the pool\n"),
        Arguments.of("not a dump", new String[] {"cpu-level", "../README.md"}, 1,
            "xl cpu-level: ../README.md:1:1: not a host dump: expected xen-cpuid --json,"
                + " xen-cpuid info/detail text ('nr_features: N'), xen-cpuid -p text"
                + " ('Raw policy: N leaves, M MSRs') or a libvirt CPUID dump (<cpudata>);"
                + " found '# xen-levelling'\n"),
        Arguments.of("-t with a policy file", new String[] {"cpu-level", "-t", "hvm", SKYLAKE}, 2,
            "xl cpu-level: -t goes with --format cpuid or xend (a yaml policy holds every guest"
                + " type) (see 'xl help cpu-level')\n"),
        Arguments.of("-t with json", new String[] {"cpu-level", "-F", "json", "-t", "pv", SKYLAKE},
            2, "xl cpu-level: -t goes with --format cpuid or xend (a json policy holds every guest"
                + " type) (see 'xl help cpu-level')\n"),
        Arguments.of("no such dump", new String[] {"cpu-level", "/nonexistent"}, 1,
            "xl cpu-level: /nonexistent: no such file\n"),
        Arguments.of("--xen-version with a policy file",
            new String[] {"cpu-level", "--xen-version", "4.17", SKYLAKE}, 2,
            "xl cpu-level: --xen-version goes with --format cpuid or xend"
                + " (see 'xl help cpu-level')\n"),
        Arguments.of("--xen-version not a version",
            new String[] {"cpu-level", "-F", "cpuid", "-x", "4.17.x", SKYLAKE}, 2,
            "xl cpu-level: --xen-version 4.17.x: expected MAJOR.MINOR[.PATCH] (4.17, 4.18.2) or"
                + " latest (see 'xl help cpu-level')\n"));
  }

  @Test
  void cpuLevel_joinAPolicyWithAnotherVendor_doesNotSuggestPerVendor(@TempDir Path dir) {
    Path pool = dir.resolve("pool.yaml");
    assertEquals(0, xl("cpu-level", "-o", pool.toString(), SKYLAKE, ICELAKE).rc());
    MainTest.Result r = xl("cpu-level", "-j", EPYC, "-P", pool.toString());
    assertEquals(1, r.rc());
    assertTrue(r.err().contains("a guest cannot move between vendors"), r.err());
    assertFalse(r.err().contains("--per-vendor"), r.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void cpuLevel_badInput_exitCodeAndOneLine(String name, String[] args, int rc, String err) {
    assertEquals(new MainTest.Result(rc, "", err), xl(args));
  }

  /** The same host with lower limits: a new guest of the original exceeds them. */
  @Test
  void cpuCompat_limitsAboveTheHosts_namedEach(@TempDir Path dir) throws Exception {
    Path gold = Path.of("..", "xl-lib", "src", "test", "resources", "dev", "xenlevelling", "xl",
        "hostdump", "gold6148.json");
    String text = Files.readString(gold);
    Path low = dir.resolve("low.json");
    Files.writeString(low, text.replace("\"host\" : \"gold6148\"", "\"host\" : \"low\"")
        .replace("\"basic\" : 13", "\"basic\" : 11")
        .replace("\"maxphysaddr\" : 46", "\"maxphysaddr\" : 39"));
    MainTest.Result r = xl("cpu-compat", gold.toString(), low.toString());
    assertEquals(new MainTest.Result(1,
        "a new pv guest of gold6148 on low: incompatible: limits above the host's: max_leaf 0xd"
            + " (host 0xb) (note: maxphysaddr 46 (host 39): not checked by Xen, should be"
            + " levelled)\n"
            + "a new hvm guest of gold6148 on low: incompatible: limits above the host's: max_leaf"
            + " 0xd (host 0xb) (note: maxphysaddr 46 (host 39): not checked by Xen, should be"
            + " levelled)\n", ""), r);
    assertEquals(0, xl("cpu-compat", low.toString(), gold.toString()).rc());
  }

  @Test
  void cpuCompat_dumpAgainstHosts_namesEveryMissingFeature() {
    MainTest.Result r = xl("cpu-compat", SKYLAKE, HASWELL);
    assertEquals(1, r.rc());
    assertTrue(r.out().contains("a new hvm guest of x86_64-cpuid-Xeon-Gold-6148 on "
        + "x86_64-cpuid-Xeon-E5-2650-v3: incompatible: missing 15: 3dnowprefetch xsavec xgetbv1 "
        + "xsaves rtm avx512f avx512dq rdseed adx smap clflushopt avx512cd avx512bw avx512vl pku\n"),
        r.out());
    MainTest.Result ok = xl("cpu-compat", HASWELL, SKYLAKE);
    assertEquals(0, ok.rc(), ok.out());
    assertEquals(2, ok.out().lines().filter(l -> l.endsWith(": compatible")).count());
  }

  @Test
  void cpuCompat_otherVendor_incompatible() {
    MainTest.Result r = xl("cpu-compat", SKYLAKE, EPYC);
    assertEquals(1, r.rc());
    assertTrue(r.out().contains("incompatible: amd host, intel guest"), r.out());
  }
}
