package dev.xenlevelling.xl.hostdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.GuestCpu;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.LevelledPolicy;
import dev.xenlevelling.xl.level.LevelledType;
import dev.xenlevelling.xl.level.PoolLeveller;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host dump readers: every format of the same host gives the same featuresets (the formats
 * cross-check each other, and the libvirt dump goes through the simulated hypervisor's boot), and
 * bad input gives one line naming the file and line.
 */
class HostDumpsTest {
  static byte[] resource(String path) {
    try (InputStream in = HostDumpsTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HostCpu read(String path) throws HostDumpException {
    return HostDumps.parse(path, "h", resource(path));
  }

  static final String GOLD_XML = "../level/dumps/x86_64-cpuid-Xeon-Gold-6148.xml";
  static final String EPYC_XML = "../level/dumps/x86_64-cpuid-EPYC-7601-32-Core.xml";

  static Stream<Arguments> sameHost() {
    return Stream.of(
        Arguments.of("xen-cpuid --json", "gold6148.json", GOLD_XML, HostDumps.Format.XEN_CPUID_JSON),
        Arguments.of("xen-cpuid info", "gold6148-info.txt", GOLD_XML, HostDumps.Format.XEN_CPUID_INFO),
        Arguments.of("xen-cpuid detail", "gold6148-detail.txt", GOLD_XML,
            HostDumps.Format.XEN_CPUID_INFO),
        Arguments.of("xen-cpuid -p", "gold6148-p.txt", GOLD_XML, HostDumps.Format.XEN_CPUID_POLICY),
        Arguments.of("amd json", "epyc7601.json", EPYC_XML, HostDumps.Format.XEN_CPUID_JSON),
        Arguments.of("amd info", "epyc7601-info.txt", EPYC_XML, HostDumps.Format.XEN_CPUID_INFO),
        Arguments.of("amd detail", "epyc7601-detail.txt", EPYC_XML, HostDumps.Format.XEN_CPUID_INFO),
        Arguments.of("amd -p", "epyc7601-p.txt", EPYC_XML, HostDumps.Format.XEN_CPUID_POLICY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sameHost")
  void parse_eachFormat_sameSetsAsTheBootedLibvirtDump(String name, String file, String xml,
      HostDumps.Format format) throws Exception {
    assertEquals(format,
        HostDumps.detect(new String(resource(file), StandardCharsets.UTF_8)).orElseThrow());
    HostCpu booted = read(xml);
    HostCpu h = read(file);
    assertEquals(booted.vendor(), h.vendor());
    assertEquals(booted.guests().keySet(), h.guests().keySet());
    for (DomainType t : DomainType.values()) {
      GuestCpu a = booted.guest(t).orElseThrow();
      GuestCpu b = h.guest(t).orElseThrow();
      assertEquals(a.defaultFeatures(), b.defaultFeatures(), t + " default");
      assertEquals(a.maxFeatures(), b.maxFeatures(), t + " max");
      if (format == HostDumps.Format.XEN_CPUID_POLICY) {
        assertEquals(a.limits(), b.limits(), t + " limits");
      }
    }
  }

  static Stream<Arguments> releases() {
    return Stream.of(
        Arguments.of("gold6148.json", "latest"), // xen_version 4.23-unstable
        Arguments.of(GOLD_XML, "latest"), // booted in the simulated hypervisor
        Arguments.of("gold6148-info.txt", "4.17.6"), // 19 words: the oldest such release
        Arguments.of("gold6148-detail.txt", "4.18.6"), // 19 words, the later names
        Arguments.of("gold6148-xen-4.17.0-info.txt", "4.17.0"),
        Arguments.of("gold6148-xen-4.17.0-full-info.txt", "4.17.0"),
        Arguments.of("gold6148-xen-4.7-detail.txt", "4.7.0"),
        Arguments.of("gold6148-p.txt", "unknown")); // -p text does not say
  }

  /** The Xen a dump says its host runs: the oldest release consistent with its text. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("releases")
  void parse_xenRelease(String file, String release) throws Exception {
    assertEquals(release, read(file).xen().map(Object::toString).orElse("unknown"));
  }

  @Test
  void parse_detailWith417Names_isA417Release() throws Exception {
    String text = new String(resource("gold6148-detail.txt"), StandardCharsets.UTF_8)
        .replace(" sep ", " sysenter ").replace(" sse4-1 ", " sse41 ");
    assertEquals("4.17.6", HostDumps.parse("t", "t", text.getBytes(StandardCharsets.UTF_8)).xen()
        .orElseThrow().toString());
    String v18 = text.replace("nr_features: 19", "nr_features: 18");
    assertEquals("4.17.2", HostDumps.parse("t", "t", v18.getBytes(StandardCharsets.UTF_8)).xen()
        .orElseThrow().toString());
  }

  @Test
  void parse_jsonXenVersion_readAsXlInfoWritesIt() throws Exception {
    String json = new String(resource("gold6148.json"), StandardCharsets.UTF_8);
    assertEquals("4.17.7", HostDumps.parse("t", "t", json.replace("4.23-unstable",
        "4.17.7+13-g2445b30a44-0+deb12u1").getBytes(StandardCharsets.UTF_8)).xen().orElseThrow()
        .toString());
    assertTrue(HostDumps.parse("t", "t", json.replace("\"4.23-unstable\"", "\"garbage\"")
        .getBytes(StandardCharsets.UTF_8)).xen().isEmpty(), "unreadable: unknown, not an error");
  }

  @Test
  void parse_json_nameFingerprintAndLimitsFromTheDump() throws Exception {
    HostCpu booted = read(GOLD_XML);
    HostCpu h = read("gold6148.json");
    assertEquals("gold6148", h.name());
    assertEquals(booted.fingerprint(), h.fingerprint(), "the same fingerprint as xen-cpuid's");
    CpuLimits l = h.guest(DomainType.HVM).orElseThrow().limits();
    assertEquals(0xd, l.maxLeaf().getAsLong());
    assertEquals(46, l.maxPhysAddr().getAsInt());
  }

  @Test
  void parse_libvirtDump_bootsWithXensDefaultsNotRawCpuid() throws Exception {
    HostCpu h = read(GOLD_XML);
    assertEquals(Vendor.INTEL, h.vendor());
    GuestCpu hvm = h.guest(DomainType.HVM).orElseThrow();
    // Xen's HVM default hides what only the max offers (e.g. the TSX bits hle/rtm are max-only).
    assertTrue(hvm.defaultFeatures().isSubsetOf(hvm.maxFeatures()));
    assertTrue(!hvm.maxFeatures().equals(hvm.defaultFeatures()));
  }

  @Test
  void parse_xen4170Info_shortFeaturesetsLevelWithLongOnes() throws Exception {
    HostCpu old = HostDumps.parse("old.txt", "old", resource("gold6148-xen-4.17.0-info.txt"));
    HostCpu now = read("gold6148.json");
    GuestCpu g = old.guest(DomainType.HVM).orElseThrow();
    assertEquals(14, g.defaultFeatures().length());
    assertEquals(g.defaultFeatures(), g.maxFeatures(), "4.17.0 reports no max: max = default");
    LevelledPolicy p = PoolLeveller.latest().level(List.of(old, now));
    assertTrue(p.type(DomainType.HVM).orElseThrow().ceiling()
        .isSubsetOf(g.defaultFeatures()));
    // Words 14 to 18 are zero on the old host, so nothing of them is offered to the pool.
    Featureset beyond = p.type(DomainType.HVM).orElseThrow().ceiling().beyond(14);
    assertTrue(beyond.isEmpty(), beyond.toString());
    assertTrue(!now.guest(DomainType.HVM).orElseThrow().maxFeatures().beyond(14).isEmpty(),
        "the new host has features in words 14 and up");
  }

  static Stream<Arguments> oldXenTexts() {
    return Stream.of(
        Arguments.of("Xen 4.7 detail (9 words, PV Mask, COL_ALIGN 18, 0x00000001.edx labels)",
            "gold6148-xen-4.7-detail.txt", 9),
        Arguments.of("Xen 4.17.0 info (KEY line, static sets, PV/HVM dynamic names)",
            "gold6148-xen-4.17.0-full-info.txt", 14));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oldXenTexts")
  void parse_oldXenText_levelsZeroExtendedWithACurrentHost(String name, String file, int words)
      throws Exception {
    HostCpu old = HostDumps.parse(file, "old", resource(file));
    assertEquals(Vendor.INTEL, old.vendor());
    assertEquals(List.of(DomainType.PV, DomainType.HVM), List.copyOf(old.guests().keySet()));
    assertTrue(old.fingerprint().startsWith("xen-cpuid-text:sha256:"), old.fingerprint());
    HostCpu now = read("gold6148.json");
    LevelledPolicy p = PoolLeveller.latest().level(List.of(old, now));
    for (DomainType t : DomainType.values()) {
      GuestCpu g = old.guest(t).orElseThrow();
      assertEquals(words, g.defaultFeatures().length(), t + " words");
      assertEquals(g.defaultFeatures(), g.maxFeatures(), "no max set reported: max = default");
      LevelledType lt = p.type(t).orElseThrow();
      // Zero-extended: the old host offers nothing beyond its words, so neither does the pool.
      assertTrue(lt.ceiling().beyond(words).isEmpty(), lt.ceiling().beyond(words).toString());
      assertTrue(lt.ceiling().isSubsetOf(g.maxFeatures()), t + " ceiling within the old host's");
      assertTrue(lt.boot().isSubsetOf(g.defaultFeatures()), t + " boot within the old default");
      // What both have in their first words is kept: the levelling is not degenerate.
      assertTrue(lt.boot().cardinality() > 40, t + ": " + lt.boot().cardinality());
      assertTrue(p.type(t).orElseThrow().boot().contains(
          FeatureTable.latest().byName("sse2").orElseThrow().index()));
    }
  }

  @Test
  void parse_infoText_unsupportedSetsMeanNoSuchGuestType() throws Exception {
    String text = new String(resource("gold6148-info.txt"), StandardCharsets.UTF_8)
        .replaceAll("(?m)^(PV (Default|Max)) .*$", "$1 featureset not supported by Xen");
    HostCpu h = HostDumps.parse("t", "t", text.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(DomainType.HVM), List.copyOf(h.guests().keySet()));
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("empty", "", "f:1:1: not a host dump"),
        Arguments.of("something else", "\n\nhello world\n", "f:3:1: not a host dump"),
        Arguments.of("info: bad words", "nr_features: 19\n\nDynamic sets:\nRaw        0000zz00\n",
            "f:4:16: Raw: "),
        Arguments.of("info: unknown set", "Dynamic sets:\nFoo Bar        00000001\n",
            "f:2:1: unknown dynamic set 'Foo Bar'"),
        Arguments.of("info: stray line", "Dynamic sets:\n   what\n", "f:2:1: expected a line"),
        Arguments.of("-p: bad line", "Raw policy: 1 leaves, 0 MSRs\n  0000000g:ffffffff\n",
            "f:2:1: expected a line of xen-cpuid -p output"),
        Arguments.of("-p: domain only", "Domain 1 policy: 1 leaves, 0 MSRs\n"
            + "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69\n",
            "a 'Domain N' policy is a domain's"),
        Arguments.of("json: syntax", "{\n  \"format\" : [\n}\n", "f:3:1: not valid JSON"),
        Arguments.of("json: format", "{ \"format\": \"other/2\" }", "f:1:13: format: expected"),
        Arguments.of("json: words of the wrong type", "{\"format\": \"xen-levelling-host/1\","
            + " \"host\": \"wt\", \"fingerprint\": \"sha256:0\",\n \"cpu\": {\"vendor\":"
            + " \"GenuineIntel\"}, \"max_leaves\": {}, \"xsave\": {},\n \"featuresets\":"
            + " {\"pv_default\": null, \"pv_max\": {\"words\": 5}}}\n",
            "f:3:58: featuresets.pv_max.words: expected a string, found a number"),
        Arguments.of("json: vendor not a string", "{\"format\": \"xen-levelling-host/1\","
            + "\n \"host\": \"wt\", \"cpu\": {\"vendor\": true}}\n",
            "f:2:34: cpu.vendor: expected a string, found a boolean"),
        Arguments.of("xml: not cpudata", "<foo/>", "f"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void parse_badInput_oneLineNamingFileAndLine(String name, String text, String prefix) {
    HostDumpException e = assertThrows(HostDumpException.class,
        () -> HostDumps.parse("f", "f", text.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith(prefix) || e.getMessage().contains(prefix),
        e.getMessage());
    assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
  }
}
