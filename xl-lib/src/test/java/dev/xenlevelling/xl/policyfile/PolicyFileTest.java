package dev.xenlevelling.xl.policyfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.level.HostRef;
import dev.xenlevelling.xl.policyfile.PolicyFileException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyFileTest {
  static final String HEAD = "version: 1\nvendor: intel\n";
  static final String MIN = HEAD + "hvm:\n  featureset: \"1fcbfbff:f7fa3203\"\n";

  static PolicyFile handMade() {
    return new PolicyFile(Vendor.AMD, ImmutableSortedMap.of(
        DomainType.PV, new TypePolicy(Featureset.of(0x1fc9cbf5, 0xf6d83203),
            ImmutableMap.of("avx2", FeatureSetting.OFF, "sse3", FeatureSetting.KEEP,
                "md-clear", FeatureSetting.ON, "rdrand", FeatureSetting.DEFAULT,
                "rtm", FeatureSetting.SAME),
            Optional.of(new CpuidText(CpuidText.Syntax.LIBXL, ImmutableList.of("host,avx512f=0"))),
            new PolicyLimits(OptionalLong.of(0xd), OptionalInt.empty(), OptionalLong.of(0x80000021L),
                OptionalInt.of(48))),
        DomainType.HVM, new TypePolicy(Featureset.of(1, 2, 3),
            ImmutableMap.of(),
            Optional.of(new CpuidText(CpuidText.Syntax.XEND, ImmutableList.of(
                "0x00000001:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0", "0x80000008:eax=xxxxxxxxxxxxxxxxxxxxxxxx00101000"))),
            PolicyLimits.NONE)),
        Optional.of(new Provenance(Instant.parse("2026-11-21T08:00:00Z"), "xl cpu-level -o \"p.yaml\" a b",
            ImmutableList.of(new HostRef("a", "sha256:00ff"), new HostRef("b \\ \"quoted\"\ttab", "fp: with colon # and hash")),
            ImmutableMap.of("a", new HostFeaturesets(
                ImmutableSortedMap.of(DomainType.PV, Featureset.of(1), DomainType.HVM, Featureset.of(3)),
                ImmutableSortedMap.of(DomainType.HVM, Featureset.of(7, 0x80000000)))))));
  }

  @Test
  void roundTrip_text() throws Exception {
    PolicyFile p = handMade();
    assertEquals(p, PolicyFile.parse(p.toYaml(), "t.yaml"));
  }

  @Test
  void roundTrip_minimal() throws Exception {
    PolicyFile p = PolicyFile.parse(MIN, "t.yaml");
    assertEquals(Vendor.INTEL, p.vendor());
    assertEquals(Featureset.of(0x1fcbfbff, 0xf7fa3203), p.type(DomainType.HVM).orElseThrow().featureset());
    assertTrue(p.type(DomainType.PV).isEmpty());
    assertTrue(p.provenance().isEmpty());
    assertEquals(p, PolicyFile.parse(p.toYaml(), "t.yaml"));
  }

  @Test
  void write_isAtomicAndReadable(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pool.yaml");
    Files.writeString(f, "old contents");
    PolicyFile p = handMade();
    p.write(f);
    assertEquals(p, PolicyFile.read(f));
    assertEquals(p.toYaml(), Files.readString(f));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList(), "no temporary file left behind");
    }
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(f)));
  }

  @Test
  void write_intoMissingDirectory_failsCleanly(@TempDir Path dir) {
    Path f = dir.resolve("no/such/dir/pool.yaml");
    PolicyFileException e = assertThrows(PolicyFileException.class, () -> handMade().write(f));
    assertEquals(Reason.IO_ERROR, e.reason());
    assertEquals(f + ": cannot write: no such file or directory", e.getMessage());
  }

  @Test
  void parse_acceptsHexAndDecimalAndQuotedSettings() throws Exception {
    PolicyFile p = PolicyFile.parse(HEAD + "pv:\n  featureset: 1fc9cbf5:f6d83203\n"
        + "  features: {avx2: '0', sse3: \"k\", lm: 1}\n"
        + "  limits: {max_leaf: 13, extd_max_leaf: 0x80000008, leaf7_max_subleaf: 0, maxphysaddr: 46}\n",
        "t.yaml");
    TypePolicy t = p.type(DomainType.PV).orElseThrow();
    assertEquals(ImmutableMap.of("avx2", FeatureSetting.OFF, "sse3", FeatureSetting.KEEP, "lm", FeatureSetting.ON),
        t.features());
    assertEquals(new PolicyLimits(OptionalLong.of(13), OptionalInt.of(0), OptionalLong.of(0x80000008L),
        OptionalInt.of(46)), t.limits());
  }

  @Test
  void parse_unquotedTimestampAndNumericHostName() throws Exception {
    PolicyFile p = PolicyFile.parse(MIN + "provenance:\n  created: 2026-11-21T08:00:00Z\n"
        + "  command: xl cpu-level\n  hosts:\n    - {name: 42, fingerprint: \"yes\"}\n", "t.yaml");
    assertEquals(new Provenance(Instant.parse("2026-11-21T08:00:00Z"), "xl cpu-level",
        ImmutableList.of(new HostRef("42", "yes"))), p.provenance().orElseThrow());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("malformed YAML", HEAD + "hvm: [oops\n", Reason.MALFORMED_YAML,
            "t.yaml:4:1: malformed YAML: expected ',' or ']', but got <stream end> (while parsing a flow sequence)"),
        Arguments.of("tab indentation", HEAD + "hvm:\n\tfeatureset: 1\n", Reason.MALFORMED_YAML,
            "t.yaml:4:1: malformed YAML: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)"),
        Arguments.of("two documents", MIN + "---\nversion: 1\n", Reason.MALFORMED_YAML,
            "t.yaml:5:1: expected one YAML document, found a second"),
        Arguments.of("empty file", "", Reason.MISSING_KEY,
            "t.yaml:1:1: expected a mapping with 'version: 1', found an empty file"),
        Arguments.of("not a mapping", "- 1\n", Reason.WRONG_TYPE,
            "t.yaml:1:1: expected the policy file (a mapping), found a list"),
        Arguments.of("unknown root key", MIN + "pvh: {}\n", Reason.UNKNOWN_KEY,
            "t.yaml:5:1: pvh: unknown key 'pvh' (expected one of hvm, provenance, pv, vendor, version)"),
        Arguments.of("unknown type key", MIN + "  feature: {}\n", Reason.UNKNOWN_KEY,
            "t.yaml:5:3: hvm.feature: unknown key 'feature' (expected one of cpuid, features, featureset, limits)"),
        Arguments.of("unknown limit", MIN + "  limits:\n    maxlinaddr: 48\n", Reason.UNKNOWN_KEY,
            "t.yaml:6:5: hvm.limits.maxlinaddr: unknown key 'maxlinaddr' (expected one of extd_max_leaf, leaf7_max_subleaf, max_leaf, maxphysaddr)"),
        Arguments.of("duplicate key", MIN + "vendor: amd\n", Reason.DUPLICATE_KEY,
            "t.yaml:5:1: vendor: duplicate key 'vendor' (first at line 2)"),
        Arguments.of("missing version", "vendor: intel\nhvm:\n  featureset: \"1\"\n", Reason.MISSING_KEY,
            "t.yaml:1:1: version: missing (expected the schema version, 1)"),
        Arguments.of("missing featureset", HEAD + "hvm:\n  limits: {maxphysaddr: 40}\n", Reason.MISSING_KEY,
            "t.yaml:4:3: hvm.featureset: missing (expected the levelled featureset, %08x words separated by ':')"),
        Arguments.of("neither pv nor hvm", HEAD, Reason.MISSING_KEY,
            "t.yaml:1:1: expected a 'pv:' or 'hvm:' section (or both), found neither"),
        Arguments.of("unsupported version", "version: 2\nvendor: intel\n", Reason.UNSUPPORTED_VERSION,
            "t.yaml:1:10: version: unsupported schema version 2 (this xl reads version 1)"),
        Arguments.of("version not a number", "version: one\n", Reason.WRONG_TYPE,
            "t.yaml:1:10: version: expected an integer, found 'one'"),
        Arguments.of("unknown vendor", "version: 1\nvendor: arm\n", Reason.BAD_VALUE,
            "t.yaml:2:9: vendor: expected one of intel, amd, hygon, centaur, shanghai, found 'arm'"),
        Arguments.of("custom tag", "version: 1\nvendor: !foo intel\n", Reason.WRONG_TYPE,
            "t.yaml:2:9: vendor: expected a string, found a value tagged !foo"),
        Arguments.of("type section of the wrong kind", HEAD + "hvm: yes\n", Reason.WRONG_TYPE,
            "t.yaml:3:6: hvm: expected a guest type section (a mapping), found 'yes'"),
        Arguments.of("bad featureset", HEAD + "hvm:\n  featureset: \"1fcbfbff:f7fg3203\"\n", Reason.BAD_FEATURESET,
            "t.yaml:4:28: hvm.featureset: bad featureset: expected ':' or '-' after word 1, found 'g'"),
        Arguments.of("featureset as a list", HEAD + "pv:\n  featureset: [1, 2]\n", Reason.WRONG_TYPE,
            "t.yaml:4:15: pv.featureset: expected a featureset, %08x words separated by ':' (quote it), found a list"),
        Arguments.of("unknown feature", MIN + "  features:\n    avx513: 0\n", Reason.UNKNOWN_FEATURE,
            "t.yaml:6:5: hvm.features.avx513: unknown feature 'avx513' (names are xen-cpuid's, as avx512f or sse4-1)"),
        Arguments.of("bad setting", MIN + "  features:\n    avx2: 2\n", Reason.BAD_VALUE,
            "t.yaml:6:11: hvm.features.avx2: expected 0, 1, x, k or s, found '2'"),
        Arguments.of("setting as a bool", MIN + "  features:\n    avx2: off\n", Reason.BAD_VALUE,
            "t.yaml:6:11: hvm.features.avx2: expected 0, 1, x, k or s, found 'off'"),
        Arguments.of("limit of the wrong kind", MIN + "  limits:\n    maxphysaddr: abc\n", Reason.WRONG_TYPE,
            "t.yaml:6:18: hvm.limits.maxphysaddr: expected an integer from 1 to 64, found 'abc'"),
        Arguments.of("limit out of range", MIN + "  limits:\n    maxphysaddr: 65\n", Reason.BAD_VALUE,
            "t.yaml:6:18: hvm.limits.maxphysaddr: expected an integer from 1 to 64, found 65"),
        Arguments.of("leaf out of range", MIN + "  limits:\n    max_leaf: 0x100000000\n", Reason.BAD_VALUE,
            "t.yaml:6:15: hvm.limits.max_leaf: expected an integer from 0x0 to 0xd, found 0x100000000"),
        Arguments.of("max leaf beyond Xen's array", MIN + "  limits:\n    max_leaf: 0x14\n", Reason.BAD_VALUE,
            "t.yaml:6:15: hvm.limits.max_leaf: expected an integer from 0x0 to 0xd, found 0x14"),
        Arguments.of("leaf 7 subleaf beyond Xen's array", MIN + "  limits:\n    leaf7_max_subleaf: 3\n", Reason.BAD_VALUE,
            "t.yaml:6:24: hvm.limits.leaf7_max_subleaf: expected an integer from 0 to 2, found 3"),
        Arguments.of("extended max leaf not an extended leaf", MIN + "  limits:\n    extd_max_leaf: 5\n", Reason.BAD_VALUE,
            "t.yaml:6:20: hvm.limits.extd_max_leaf: expected an integer from 0x80000000 to 0x80000008, found 5"),
        Arguments.of("extended max leaf beyond Intel's", MIN + "  limits:\n    extd_max_leaf: 0x8000001f\n", Reason.BAD_VALUE,
            "t.yaml:6:20: hvm.limits.extd_max_leaf: expected an integer from 0x80000000 to 0x80000008, found 0x8000001f"),
        Arguments.of("fingerprint not a string", MIN + "provenance:\n  created: 2026-01-31T12:00:00Z\n  command: x\n"
                + "  hosts:\n    - {name: a, fingerprint: 5}\n", Reason.WRONG_TYPE,
            "t.yaml:9:30: provenance.hosts[0].fingerprint: expected the host's fingerprint (a string), found '5' (quote it if it is one)"),
        Arguments.of("octal leaf", MIN + "  limits:\n    max_leaf: 015\n", Reason.BAD_VALUE,
            "t.yaml:6:15: hvm.limits.max_leaf: expected an integer from 0x0 to 0xd in decimal or 0x hex, found '015'"),
        Arguments.of("cpuid as a mapping", MIN + "  cpuid: {avx: 0}\n", Reason.WRONG_TYPE,
            "t.yaml:5:10: hvm.cpuid: expected a cpuid= string or a list of strings, found a mapping"),
        Arguments.of("cpuid list item empty", MIN + "  cpuid: [\"\", \"0x1:ecx=x\"]\n", Reason.WRONG_TYPE,
            "t.yaml:5:11: hvm.cpuid[0]: expected a cpuid= leaf string, found nothing"),
        Arguments.of("cpuid list item too short", MIN + "  cpuid: [\"0x1:ecx=x\"]\n", Reason.BAD_VALUE,
            "t.yaml:5:11: hvm.cpuid[0]: while parsing CPUID line: \"0x1:ecx=x\": error #5: policy string"
                + " must be exactly 32 characters long"),
        Arguments.of("cpuid unknown name", MIN + "  cpuid: \"host,avx513=1\"\n", Reason.BAD_VALUE,
            "t.yaml:5:10: hvm.cpuid: while parsing CPUID flag: \"avx513=1\": error #2: unknown CPUID flag name"),
        Arguments.of("cpuid first word", MIN + "  cpuid: \"avx=0\"\n", Reason.BAD_VALUE,
            "t.yaml:5:10: hvm.cpuid: while parsing CPUID string: first word must be \"host\""),
        Arguments.of("host featureset bad", MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n"
            + "  command: x\n  hosts:\n    - name: a\n      fingerprint: f\n      hvm_max: \"1:zz\"\n",
            Reason.BAD_FEATURESET,
            "t.yaml:11:19: provenance.hosts[0].hvm_max: bad featureset: expected a hex digit for word 1, found 'z'"),
        Arguments.of("host unknown key", MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n"
            + "  command: x\n  hosts:\n    - name: a\n      fingerprint: f\n      hvm_dflt: \"1\"\n",
            Reason.UNKNOWN_KEY,
            "t.yaml:11:7: provenance.hosts[0].hvm_dflt: unknown key 'hvm_dflt' (expected one of featuresets,"
                + " fingerprint, hvm_default, hvm_max, name, pv_default, pv_max)"),
        Arguments.of("bad created", MIN + "provenance:\n  created: yesterday\n  command: x\n  hosts: [{name: a, fingerprint: f}]\n",
            Reason.BAD_VALUE,
            "t.yaml:6:12: provenance.created: expected a UTC time as 2026-01-31T12:00:00Z, found 'yesterday'"),
        Arguments.of("host without fingerprint", MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n  command: x\n"
            + "  hosts:\n    - name: a\n      fingerprint: f\n    - name: b\n", Reason.MISSING_KEY,
            "t.yaml:11:7: provenance.hosts[1].fingerprint: missing (expected the host's fingerprint)"),
        Arguments.of("no hosts", MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n  command: x\n  hosts: []\n",
            Reason.BAD_VALUE,
            "t.yaml:8:10: provenance.hosts: expected at least one host with name and fingerprint, found an empty list"),
        Arguments.of("host twice", MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n  command: x\n"
            + "  hosts: [{name: a, fingerprint: f}, {name: a, fingerprint: g}]\n", Reason.BAD_VALUE,
            "t.yaml:8:45: provenance.hosts[1].name: host 'a' is listed twice"),
        Arguments.of("unknown featuresets id", MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n"
            + "  command: x\n  host_featuresets:\n    fs1: {hvm_max: \"1\"}\n"
            + "  hosts:\n    - {name: a, fingerprint: f, featuresets: fs2}\n", Reason.BAD_VALUE,
            "t.yaml:11:46: provenance.hosts[0].featuresets: unknown id 'fs2' (expected one of"
                + " provenance.host_featuresets: fs1)"),
        Arguments.of("featuresets id without host_featuresets", MIN + "provenance:\n"
            + "  created: \"2026-01-01T00:00:00Z\"\n  command: x\n"
            + "  hosts:\n    - {name: a, fingerprint: f, featuresets: fs1}\n", Reason.BAD_VALUE,
            "t.yaml:9:46: provenance.hosts[0].featuresets: unknown id 'fs1' (the file has no"
                + " provenance.host_featuresets)"),
        Arguments.of("featuresets id and inline", MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n"
            + "  command: x\n  host_featuresets:\n    fs1: {hvm_max: \"1\"}\n"
            + "  hosts:\n    - {name: a, fingerprint: f, featuresets: fs1, pv_max: \"1\"}\n",
            Reason.BAD_VALUE, "t.yaml:11:33: provenance.hosts[0].featuresets: a host names its"
                + " featuresets (featuresets: ID) or lists them (pv_default, ...), not both"),
        Arguments.of("empty set of featuresets", MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n"
            + "  command: x\n  host_featuresets:\n    fs1: {}\n"
            + "  hosts:\n    - {name: a, fingerprint: f, featuresets: fs1}\n", Reason.MISSING_KEY,
            "t.yaml:9:10: provenance.host_featuresets.fs1: expected at least one of hvm_default,"
                + " hvm_max, pv_default, pv_max, found none"),
        Arguments.of("unknown key in a set of featuresets", MIN + "provenance:\n"
            + "  created: \"2026-01-01T00:00:00Z\"\n  command: x\n  host_featuresets:\n"
            + "    fs1: {hvm_dflt: \"1\"}\n  hosts:\n    - {name: a, fingerprint: f}\n",
            Reason.UNKNOWN_KEY, "t.yaml:9:11: provenance.host_featuresets.fs1.hvm_dflt: unknown key"
                + " 'hvm_dflt' (expected one of hvm_default, hvm_max, pv_default, pv_max)"),
        Arguments.of("nested too deep", MIN + "  cpuid: " + "[".repeat(20) + "]".repeat(20) + "\n",
            Reason.NESTING_TOO_DEEP, "t.yaml:5:24: nested more than 16 levels deep"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void parse_rejects_withPositionAndKey(String name, String text, Reason reason, String message) {
    PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFile.parse(text, "t.yaml"));
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  @Test
  void parse_billionLaughs_refused() {
    StringBuilder sb = new StringBuilder(MIN).append("  cpuid: &a0 [\"x\", \"x\"]\n");
    sb.append("laughs:\n");
    for (int i = 1; i < 10; i++) {
      sb.append("  l").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      sb.append("]\n");
    }
    PolicyFileException e = assertThrows(PolicyFileException.class,
        () -> PolicyFile.parse(sb.toString(), "bomb.yaml"));
    assertEquals(Reason.TOO_MANY_ALIASES, e.reason());
    assertEquals("bomb.yaml:8:47: more than 16 aliases; a policy file needs none", e.getMessage());
  }

  @Test
  void parse_aFewAliases_allowed() throws Exception {
    PolicyFile p = PolicyFile.parse(HEAD + "pv:\n  featureset: &fs \"1:2\"\n  limits: &l {maxphysaddr: 40}\n"
        + "hvm:\n  featureset: *fs\n  limits: *l\n", "t.yaml");
    assertEquals(p.type(DomainType.PV).orElseThrow(), p.type(DomainType.HVM).orElseThrow());
  }

  @Test
  void parse_oversized_refused() {
    String big = MIN + "# " + "x".repeat(PolicyFile.MAX_BYTES) + "\n";
    PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFile.parse(big, "big.yaml"));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals("big.yaml: larger than the limit of 67108864 bytes", e.getMessage());
  }

  @Test
  void read_oversizedFile_refusedWithoutReadingItAll(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("big.yaml");
    Files.write(f, new byte[PolicyFile.MAX_BYTES + 10]);
    PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFile.read(f));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals(f + ": larger than the limit of 67108864 bytes", e.getMessage());
  }

  @Test
  void read_missingFile(@TempDir Path dir) {
    Path f = dir.resolve("nope.yaml");
    PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFile.read(f));
    assertEquals(Reason.IO_ERROR, e.reason());
    assertEquals(f + ": cannot read: no such file or directory", e.getMessage());
  }

  @Test
  void read_notUtf8(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("latin1.yaml");
    Files.write(f, (MIN + "provenance:\n  command: \"caf\u00e9\"\n").getBytes(StandardCharsets.ISO_8859_1));
    PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFile.read(f));
    assertEquals(Reason.NOT_UTF8, e.reason());
    assertEquals(f + ":6:16: expected UTF-8 text, found byte 0xe9", e.getMessage());
  }

  @Test
  void read_otherVendor_refusedAtTheVendorKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pool.yaml");
    Files.writeString(f, MIN);
    PolicyFileException e = assertThrows(PolicyFileException.class,
        () -> PolicyFile.read(f, Vendor.AMD));
    assertEquals(Reason.WRONG_VENDOR, e.reason());
    assertEquals(f + ":2:9: vendor: the policy is for intel hosts, but this host is amd"
        + " (AuthenticAMD); a guest cannot be levelled across vendors", e.getMessage());
    assertEquals(Vendor.INTEL, PolicyFile.read(f, Vendor.INTEL).vendor());
  }

  @Test
  void fromLevelled_withHosts_recordsTheirFeaturesetsAndRoundTrips() throws Exception {
    dev.xenlevelling.xc.policy.FeatureTable t = dev.xenlevelling.xc.policy.FeatureTable.latest();
    Featureset both = t.featuresetOf(List.of("fpu", "sse", "sse2", "avx", "avx2"));
    Featureset less = t.featuresetOf(List.of("fpu", "sse", "sse2", "avx"));
    dev.xenlevelling.xl.level.HostCpu a = dev.xenlevelling.xl.level.HostCpu
        .builder("a", Vendor.INTEL, "sha256:aa")
        .guest(DomainType.HVM, both, both, dev.xenlevelling.xl.level.CpuLimits.UNKNOWN).build();
    dev.xenlevelling.xl.level.HostCpu b = dev.xenlevelling.xl.level.HostCpu
        .builder("b", Vendor.INTEL, "sha256:bb")
        .guest(DomainType.HVM, less, less, dev.xenlevelling.xl.level.CpuLimits.UNKNOWN).build();
    dev.xenlevelling.xl.level.LevelledPolicy lp =
        dev.xenlevelling.xl.level.PoolLeveller.latest().level(List.of(a, b));
    PolicyFile p = PolicyFile.fromLevelled(lp, List.of(a, b), Instant.parse("2026-11-21T08:00:00Z"),
        "xl cpu-level a.json b.json");
    Provenance pr = p.provenance().orElseThrow();
    assertEquals(both, pr.featuresets("a").orElseThrow().maxFor(DomainType.HVM).orElseThrow());
    assertEquals(less, pr.featuresets("b").orElseThrow().defaultFor(DomainType.HVM).orElseThrow());
    assertTrue(p.toYaml().contains("      hvm_max: \"" + less.withLength(t.nrWords()).format() + "\"\n"));
    assertEquals(p, PolicyFile.parse(p.toYaml(), "t.yaml"));
    assertEquals(ImmutableMap.of(), PolicyFile.fromLevelled(lp, Instant.EPOCH, "x").provenance()
        .orElseThrow().featuresets(), "the old signature records no featuresets");
  }

  /** Returns a policy recording {@code n} hosts of {@code models} CPU models (cycled). */
  static PolicyFile pool(int n, int models, String command) {
    ImmutableList.Builder<HostRef> hosts = ImmutableList.builder();
    ImmutableMap.Builder<String, HostFeaturesets> sets = ImmutableMap.builder();
    List<HostFeaturesets> distinct = new java.util.ArrayList<>();
    for (int m = 0; m < models; m++) {
      int[] words = new int[19];
      java.util.Arrays.fill(words, 0x1fcbfbff ^ m);
      Featureset def = Featureset.of(words);
      words[5] |= 0x100;
      Featureset max = Featureset.of(words);
      distinct.add(new HostFeaturesets(ImmutableSortedMap.of(DomainType.PV, def, DomainType.HVM, def),
          ImmutableSortedMap.of(DomainType.PV, max, DomainType.HVM, max)));
    }
    for (int i = 0; i < n; i++) {
      String name = String.format("host%05d", i);
      hosts.add(new HostRef(name, String.format("sha256:%064x", i)));
      // Equal but not the same objects: the writer must find the equal ones.
      HostFeaturesets d = distinct.get(i % models);
      sets.put(name, new HostFeaturesets(d.defaults(), d.max()));
    }
    return new PolicyFile(Vendor.INTEL, ImmutableSortedMap.of(DomainType.HVM,
        new TypePolicy(Featureset.of(1, 2, 3), ImmutableMap.of(), Optional.empty(),
            PolicyLimits.NONE)),
        Optional.of(new Provenance(Instant.parse("2026-11-21T08:00:00Z"), command, hosts.build(),
            sets.buildOrThrow())));
  }

  /**
   * A pool of 10,000 hosts of 10 CPU models: each model's featuresets are written once, so the
   * file is about the hosts' name and fingerprint lines (recording every host's four featuresets
   * made 9 MB), and it reads back equal, with hosts of one model sharing one value.
   */
  @Test
  void tenThousandHosts_writtenSmall_readBackEqual(@TempDir Path dir) throws Exception {
    PolicyFile p = pool(10_000, 10, "xl cpu-level -o pool.yaml dumps/");
    Path f = dir.resolve("pool.yaml");
    p.write(f);
    long size = Files.size(f);
    // Per host: name (26 bytes), fingerprint (93) and featuresets id (24) lines.
    assertTrue(size < 10_000 * 145 + 20_000, "size " + size);
    String text = Files.readString(f);
    assertEquals(10, text.split("hvm_max: ", -1).length - 1, "each model's featuresets once");
    PolicyFile back = PolicyFile.read(f);
    assertEquals(p, back);
    Provenance pr = back.provenance().orElseThrow();
    assertTrue(pr.featuresets("host00000").orElseThrow() == pr.featuresets("host00010").orElseThrow(),
        "hosts of one model share one value");
  }

  /**
   * The writer and the reader agree on the limits: a policy of {@link PolicyFile#MAX_HOSTS} hosts
   * is written and read; one more host, the writer refuses it (and writes nothing), and a file
   * with one more host the reader refuses.
   */
  @Test
  void maxHosts_writtenAndRead_oneMoreRefusedByBoth(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pool.yaml");
    PolicyFile max = pool(PolicyFile.MAX_HOSTS, 4, "xl cpu-level");
    max.write(f);
    assertEquals(PolicyFile.MAX_HOSTS, PolicyFile.read(f).provenance().orElseThrow().hosts().size());

    Path g = dir.resolve("more.yaml");
    PolicyFileException e = assertThrows(PolicyFileException.class,
        () -> pool(PolicyFile.MAX_HOSTS + 1, 4, "xl cpu-level").write(g));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals(g + ": not written: the policy records 65537 hosts, more than the limit of 65536"
        + " that xl reads", e.getMessage());
    assertTrue(Files.notExists(g), "nothing written");

    String more = Files.readString(f) + "    - name: \"one more\"\n      fingerprint: \"x\"\n";
    e = assertThrows(PolicyFileException.class, () -> PolicyFile.parse(more, "more.yaml"));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertTrue(e.getMessage().matches("more\\.yaml:\\d+:5: provenance\\.hosts: more than 65536 hosts"
        + " \\(found 65537\\), the limit of a policy file"), e.getMessage());
  }

  /** A policy larger than the reader's byte limit is not written; the old file stays. */
  @Test
  void write_overByteLimit_refusedAndTheOldFileStays(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pool.yaml");
    Files.writeString(f, MIN);
    PolicyFile big = pool(1, 1, "x".repeat(PolicyFile.MAX_BYTES));
    PolicyFileException e = assertThrows(PolicyFileException.class, () -> big.write(f));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(f.toString())
        + ": not written: the policy would be \\d+ bytes, more than the limit of 67108864 bytes"
        + " that xl reads"), e.getMessage());
    assertEquals(MIN, Files.readString(f));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList(), "no temporary file left");
    }
  }

  /** Both forms of recorded featuresets read alike: inline per host, or named by id. */
  @Test
  void parse_inlineAndSharedFeaturesets_same() throws Exception {
    String head = MIN + "provenance:\n  created: \"2026-01-01T00:00:00Z\"\n  command: x\n";
    PolicyFile inline = PolicyFile.parse(head + "  hosts:\n"
        + "    - {name: a, fingerprint: f, hvm_max: \"3\", pv_default: \"1\"}\n"
        + "    - {name: b, fingerprint: g}\n", "t.yaml");
    PolicyFile shared = PolicyFile.parse(head + "  host_featuresets:\n"
        + "    x1: {pv_default: \"1\", hvm_max: \"3\"}\n    unused: {pv_max: \"2\"}\n"
        + "  hosts:\n    - {name: a, fingerprint: f, featuresets: x1}\n"
        + "    - {name: b, fingerprint: g}\n", "t.yaml");
    assertEquals(inline, shared);
    assertEquals(Optional.of(Featureset.of(3)), shared.provenance().orElseThrow().featuresets("a")
        .orElseThrow().maxFor(DomainType.HVM));
    assertEquals(Optional.empty(), shared.provenance().orElseThrow().featuresets("b"));
  }
}
