package dev.xenlevelling.xl.level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolLevellerTest {
  static final FeatureTable T = FeatureTable.latest();
  static final PoolLeveller L = new PoolLeveller(T);

  /** A plausible 64-bit host: the basics plus the AVX family. */
  static final List<String> BASE = List.of("fpu", "de", "pse", "tsc", "msr", "pae", "cx8", "sep",
      "pge", "cmov", "mmx", "fxsr", "sse", "sse2", "sse3", "ssse3", "sse4-1", "sse4-2", "popcnt",
      "xsave", "avx", "avx2", "fma", "lm", "nx", "syscall", "bmi1", "bmi2", "avx512f", "avx512dq",
      "avx512vl", "aesni", "vaes");

  /** Bit 10 of word 0: a hole in the 1d word, not a feature. */
  static final int UNDEFINED_IN_WORD_0 = 10;

  static Featureset fs(List<String> names, String... more) {
    List<String> all = new ArrayList<>(names);
    all.addAll(Arrays.asList(more));
    return T.featuresetOf(all);
  }

  static List<String> without(List<String> names, String... drop) {
    List<String> l = new ArrayList<>(names);
    l.removeAll(Arrays.asList(drop));
    return l;
  }

  static HostCpu host(String name, Featureset def, Featureset max) {
    return HostCpu.builder(name, Vendor.INTEL, "fp-" + name)
        .guest(DomainType.PV, def, max, CpuLimits.UNKNOWN)
        .guest(DomainType.HVM, def, max, CpuLimits.UNKNOWN)
        .build();
  }

  static HostCpu host(String name, Featureset both) {
    return host(name, both, both);
  }

  static Featureset dependentsOf(String name) {
    return T.deepDependents(T.byName(name).orElseThrow().index());
  }

  static int bit(String name) {
    return T.byName(name).orElseThrow().index();
  }

  // ---- table: pool -> expected boot and ceiling ----

  static Stream<Arguments> pools() {
    Featureset base = fs(BASE);
    Featureset noAvx2 = fs(without(BASE, "avx2"));
    Featureset baseMd = fs(BASE, "md-clear");
    return Stream.of(
        Arguments.of("identical hosts level to themselves",
            List.of(host("a", base), host("b", base)), base, base),
        Arguments.of("one host lacks avx2: avx2 and everything depending on it goes",
            List.of(host("a", base), host("b", noAvx2)),
            base.andNot(fs(List.of("avx2"))).andNot(dependentsOf("avx2")),
            base.andNot(fs(List.of("avx2"))).andNot(dependentsOf("avx2"))),
        Arguments.of("a | feature in one host's default only is kept (OR)",
            List.of(host("a", baseMd, baseMd), host("b", base, baseMd)), baseMd, baseMd),
        Arguments.of("a | feature outside one host's max is dropped (ceiling)",
            List.of(host("a", baseMd, baseMd), host("b", base, base)), base, base),
        Arguments.of("a plain feature in one default only is dropped from boot, kept in ceiling",
            List.of(host("a", fs(BASE, "rdrand")), host("b", base, fs(BASE, "rdrand"))),
            base, fs(BASE, "rdrand")),
        Arguments.of("unknown bits are never offered",
            List.of(host("a", base.with(19 * 32 + 3).with(UNDEFINED_IN_WORD_0)),
                host("b", base.with(19 * 32 + 3).with(UNDEFINED_IN_WORD_0))),
            base, base),
        Arguments.of("a dependent without its prerequisite on every host is dropped",
            List.of(host("a", fs(without(BASE, "xsave"))), host("b", fs(without(BASE, "xsave")))),
            fs(without(BASE, "xsave")).andNot(dependentsOf("xsave")),
            fs(without(BASE, "xsave")).andNot(dependentsOf("xsave"))),
        Arguments.of("a 9-word host and a 19-word host: words 9+ come from nowhere",
            List.of(host("old", base.withLength(9)), host("new", base.withLength(19))),
            base.withLength(9).withLength(19), base.withLength(9).withLength(19)),
        Arguments.of("a 22-word host (newer Xen) and a 19-word host",
            List.of(host("newer", base.withLength(22).withWord(21, -1)), host("b", base)),
            base, base));
  }

  @Test
  void fixtures_baseIsClosedAndUndefinedBitIsUndefined() {
    assertEquals(fs(BASE), T.sanitise(fs(BASE)));
    assertTrue(T.byIndex(UNDEFINED_IN_WORD_0).isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pools")
  void level_poolsLevelAsXapi(String name, List<HostCpu> hosts, Featureset boot, Featureset ceiling)
      throws Exception {
    LevelledPolicy p = L.level(hosts);
    for (DomainType t : DomainType.values()) {
      LevelledType lt = p.type(t).orElseThrow();
      assertEquals(T.names(boot), T.names(lt.boot()), t + " boot");
      assertEquals(T.names(ceiling), T.names(lt.ceiling()), t + " ceiling");
      assertEquals(boot, lt.boot());
      assertEquals(ceiling, lt.ceiling());
      assertEquals(T.nrWords(), lt.boot().length());
    }
    assertEquals(hosts.stream().map(h -> new HostRef(h.name(), h.fingerprint())).toList(), p.hosts());
  }

  @Test
  void level_avx2_dropsEveryDependent() throws Exception {
    LevelledPolicy p = L.level(List.of(host("a", fs(BASE)), host("b", fs(without(BASE, "avx2")))));
    List<String> names = T.names(p.type(DomainType.HVM).orElseThrow().ceiling());
    assertTrue(names.contains("avx"));
    assertFalse(names.contains("avx2"));
    assertFalse(names.contains("avx512f"));
    assertFalse(names.contains("avx512vl"));
    assertFalse(names.contains("vaes"));
  }

  @Test
  void level_limits_minimumAcrossHosts() throws Exception {
    Featureset b = fs(BASE);
    HostCpu a = HostCpu.builder("a", Vendor.AMD, "1")
        .guest(DomainType.HVM, b, b, CpuLimits.of(0xd, 1, 0x80000021L, 48, 0x988)).build();
    HostCpu c = HostCpu.builder("c", Vendor.AMD, "2")
        .guest(DomainType.HVM, b, b, new CpuLimits(OptionalLong.of(0x10), OptionalInt.of(0),
            OptionalLong.of(0x8000001fL), OptionalInt.empty(), OptionalInt.of(0x340))).build();
    CpuLimits l = L.level(List.of(a, c)).type(DomainType.HVM).orElseThrow().limits();
    // The XSAVE size follows the ceiling's features (BASE has avx512f, not pku): not a minimum.
    assertEquals(CpuLimits.of(0xd, 0, 0x8000001fL, 48, 2688), l);
  }

  static HostCpu booted(String name) throws Exception {
    String path = "dumps/x86_64-cpuid-" + name + ".xml";
    try (java.io.InputStream in = PoolLevellerTest.class.getResourceAsStream(path)) {
      return dev.xenlevelling.xl.hostdump.HostDumps.parse(path, name, in.readAllBytes());
    }
  }

  static Stream<Arguments> xsavePools() {
    return Stream.of(
        Arguments.of("skylake client + ice lake server: mpx in the ceiling",
            List.of("Core-i5-6600", "Ice-Lake-Server"), "mpx", 1088),
        Arguments.of("haswell + sandy bridge: x87, SSE and AVX only",
            List.of("Xeon-E5-2650-v3", "Core-i7-2600"), "avx", 0x340),
        Arguments.of("skylake-sp + cascade lake: AVX-512 and PKRU",
            List.of("Xeon-Gold-6148", "Xeon-Platinum-8268"), "pku", 2696));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("xsavePools")
  void level_xsaveSize_followsTheLevelledFeatures(String name, List<String> dumps,
      String widest, int size) throws Exception {
    List<HostCpu> hosts = new java.util.ArrayList<>();
    for (String d : dumps) {
      hosts.add(booted(d));
    }
    LevelledType hvm = L.level(hosts).type(DomainType.HVM).orElseThrow();
    assertTrue(T.names(hvm.ceiling()).contains(widest), T.names(hvm.ceiling()).toString());
    assertEquals(OptionalInt.of(size), hvm.limits().xsaveMaxSize());
  }

  // ---- refusals and notes ----

  static HostCpu vendorHost(String name, Vendor v) {
    return HostCpu.builder(name, v, "fp").guest(DomainType.PV, fs(BASE), fs(BASE), CpuLimits.UNKNOWN)
        .build();
  }

  static Stream<Arguments> refused() {
    Featureset b = fs(BASE);
    return Stream.of(
        Arguments.of("no hosts", List.of(), LevelException.Reason.NO_HOSTS, "no hosts to level"),
        Arguments.of("duplicate host", List.of(host("a", b), host("a", b)),
            LevelException.Reason.DUPLICATE_HOST,
            "host a is given twice; every host of a pool needs its own name"),
        Arguments.of("mixed vendors",
            List.of(vendorHost("i1", Vendor.INTEL), vendorHost("a1", Vendor.AMD),
                vendorHost("i2", Vendor.INTEL), vendorHost("h1", Vendor.HYGON)),
            LevelException.Reason.MIXED_VENDORS,
            "cannot level hosts of different CPU vendors: intel (i1, i2), amd (a1), hygon (h1); "
                + "a guest cannot move between vendors, so level each vendor's hosts separately"),
        Arguments.of("no common guest type",
            List.of(HostCpu.builder("p", Vendor.INTEL, "f").guest(DomainType.PV, b, b, CpuLimits.UNKNOWN).build(),
                HostCpu.builder("h", Vendor.INTEL, "f").guest(DomainType.HVM, b, b, CpuLimits.UNKNOWN).build(),
                HostCpu.builder("n", Vendor.INTEL, "f").build()),
            LevelException.Reason.NO_COMMON_GUEST_TYPE,
            "no guest type is supported by every host (p: pv only; h: hvm only; n: no guest type): "
                + "no guest could run everywhere in this pool"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void level_refused_explains(String name, List<HostCpu> hosts, LevelException.Reason reason,
      String message) {
    LevelException e = assertThrows(LevelException.class, () -> L.level(hosts));
    assertEquals(reason, e.reason());
    assertEquals(message, e.getMessage());
  }

  @Test
  void levelPerVendor_mixedPool_oneResultPerVendor() throws Exception {
    HostCpu i1 = TestDumps.host("Xeon-Gold-6148");
    HostCpu i2 = TestDumps.host("Core-i5-6600");
    HostCpu a1 = TestDumps.host("EPYC-7601-32-Core");
    HostCpu a2 = TestDumps.host("EPYC-7502-32-Core");
    var m = L.levelPerVendor(List.of(i1, a1, i2, a2));
    assertEquals(List.of(Vendor.INTEL, Vendor.AMD), List.copyOf(m.keySet()));
    assertEquals(L.level(List.of(i1, i2)), m.get(Vendor.INTEL));
    assertEquals(L.level(List.of(a1, a2)), m.get(Vendor.AMD));
    assertEquals(Vendor.AMD, m.get(Vendor.AMD).vendor());
  }

  @Test
  void level_typeMissingOnOneHost_notedAndLeftOut() throws Exception {
    Featureset b = fs(BASE);
    HostCpu pvOnly = HostCpu.builder("pvonly", Vendor.INTEL, "f")
        .guest(DomainType.PV, b, b, CpuLimits.UNKNOWN).build();
    LevelledPolicy p = L.level(List.of(host("a", b), pvOnly));
    assertEquals(List.of(DomainType.PV), List.copyOf(p.types().keySet()));
    assertEquals(List.of("hvm: not levelled: host pvonly does not support HVM guests"), p.notes());
  }

  @Test
  void level_degenerate_notes() throws Exception {
    LevelledPolicy empty = L.level(List.of(host("a", fs(List.of("fpu"))), host("b", fs(List.of("lm", "pae")))));
    assertEquals(List.of(
        "pv: the boot featureset is empty: the hosts share no default feature",
        "pv: the migration ceiling is empty: the hosts share no feature",
        "hvm: the boot featureset is empty: the hosts share no default feature",
        "hvm: the migration ceiling is empty: the hosts share no feature"), empty.notes());
    LevelledPolicy no64 = L.level(List.of(host("a", fs(without(BASE, "lm")))));
    assertEquals(List.of(
        "pv: the boot featureset lacks lm: guests cannot run in 64-bit mode",
        "hvm: the boot featureset lacks lm: guests cannot run in 64-bit mode"), no64.notes());
    assertEquals(List.of(), L.level(List.of(host("a", fs(BASE)))).notes());
  }

  // ---- explain ----

  @Test
  void explain_weakestLink_directAndThroughPrerequisite() throws Exception {
    List<HostCpu> pool = List.of(host("a", fs(BASE)), host("b", fs(without(BASE, "avx2"))),
        host("c", fs(without(BASE, "avx512f", "bmi2"))));
    TypeExplanation x = L.explain(pool).types().get(DomainType.HVM);
    List<String> lines = x.ceilingLost().stream().map(LostFeature::describe).toList();
    assertEquals(List.of(
        "avx2: lacked by b",
        "bmi2: lacked by c",
        "avx512f: lacked by c; through avx2 (lacked by b)",
        "avx512dq: through avx2 (lacked by b); through avx512f (lacked by c)",
        "avx512vl: through avx2 (lacked by b); through avx512f (lacked by c)",
        "vaes: through avx2 (lacked by b)"), lines);
    assertEquals(lines, x.bootLost().stream().map(LostFeature::describe).toList());
    assertEquals(List.of(
        new HostCost("a", ImmutableList.of(), ImmutableList.of()),
        new HostCost("b", ImmutableList.of("avx2", "vaes"), ImmutableList.of("avx2", "vaes")),
        new HostCost("c", ImmutableList.of("bmi2"), ImmutableList.of("bmi2"))), x.costs());
  }

  @Test
  void explain_describe_linesForPeople() throws Exception {
    Featureset b = fs(BASE);
    Featureset weak = T.sanitise(fs(without(BASE, "avx2")));
    HostCpu a = HostCpu.builder("a", Vendor.INTEL, "1")
        .guest(DomainType.HVM, b, fs(BASE, "rdrand"), CpuLimits.of(0xd, 2, 0x80000008L, 46, 0xa88)).build();
    HostCpu c = HostCpu.builder("c", Vendor.INTEL, "2")
        .guest(DomainType.HVM, weak, weak, CpuLimits.of(0xd, 0, 0x80000008L, 39, 0x340)).build();
    HostCpu d = HostCpu.builder("d", Vendor.INTEL, "3")
        .guest(DomainType.HVM, b, fs(BASE, "rdrand"), CpuLimits.of(0xb, 0, 0x80000008L, 39, 0xa88)).build();
    TypeExplanation x = L.explain(List.of(a, c, d)).types().get(DomainType.HVM);
    assertEquals(List.of(
        "hvm: lost from the ceiling: rdrand: lacked by c",
        "hvm: lost from the ceiling: avx2: lacked by c",
        "hvm: lost from the ceiling: avx512f: through avx2 (lacked by c)",
        "hvm: lost from the ceiling: avx512dq: through avx2 (lacked by c)",
        "hvm: lost from the ceiling: avx512vl: through avx2 (lacked by c)",
        "hvm: lost from the ceiling: vaes: through avx2 (lacked by c)",
        "hvm: limit max_leaf: 0xb, not 0xd, because of d",
        "hvm: limit leaf7_max_subleaf: 0, not 2, because of c, d",
        "hvm: limit maxphysaddr: 39, not 46, because of c, d",
        "hvm: limit xsave_max_size: 832, not 2696, because of c",
        "hvm: without c the pool would gain rdrand avx2 avx512f avx512dq avx512vl vaes"),
        x.describe());
  }

  @Test
  void explain_describe_defaultOnlyLoss() throws Exception {
    List<HostCpu> pool = List.of(host("a", fs(BASE, "rdrand")), host("b", fs(BASE), fs(BASE, "rdrand")));
    assertEquals(List.of("hvm: off by default: rdrand: lacked by b",
        "hvm: without b the pool would gain by default rdrand"),
        L.explain(pool).types().get(DomainType.HVM).describe());
  }

  @Test
  void explain_unknownBits_andOrFeatures() throws Exception {
    Featureset base = fs(BASE);
    List<HostCpu> pool = List.of(
        host("a", base.with(19 * 32), fs(BASE, "md-clear")),
        host("b", fs(BASE, "md-clear"), base));
    TypeExplanation x = L.explain(pool).types().get(DomainType.PV);
    assertEquals(List.of("md-clear: lacked by b", "bit 608 (word 19 bit 0): unknown to this Xen, never offered (set on a)"),
        x.bootLost().stream().map(LostFeature::describe).toList());
    assertEquals(List.of("md-clear: lacked by b"),
        x.ceilingLost().stream().map(LostFeature::describe).toList());
    // Without b the ceiling gains md-clear; the boot set does not (a's default lacks it).
    assertEquals(new HostCost("b", ImmutableList.of(), ImmutableList.of("md-clear")), x.costs().get(1));
  }

  @Test
  void explain_costs_matchLevellingWithoutEachHost() throws Exception {
    List<HostCpu> pool = List.of(TestDumps.host("Xeon-Gold-6148"), TestDumps.host("Core-i5-6600"),
        TestDumps.host("Xeon-E5-2650-v4"), TestDumps.host("Core-i7-8550U"));
    PoolExplanation x = L.explain(pool);
    LevelledPolicy all = L.level(pool);
    for (int i = 0; i < pool.size(); i++) {
      List<HostCpu> rest = new ArrayList<>(pool);
      rest.remove(i);
      LevelledPolicy without = L.level(rest);
      for (DomainType t : DomainType.values()) {
        HostCost c = x.types().get(t).costs().get(i);
        assertEquals(pool.get(i).name(), c.host());
        assertEquals(T.names(without.type(t).get().boot().andNot(all.type(t).get().boot())), c.bootGain());
        assertEquals(T.names(without.type(t).get().ceiling().andNot(all.type(t).get().ceiling())),
            c.ceilingGain());
      }
    }
  }

  @Test
  void explain_realAvx512Boundary_namesTheClientCpu() throws Exception {
    TypeExplanation x = L.explain(List.of(TestDumps.host("Xeon-Gold-6148"), TestDumps.host("Core-i5-6600")))
        .types().get(DomainType.HVM);
    LostFeature f = x.ceilingLost().stream().filter(l -> l.name().equals("avx512f")).findFirst().orElseThrow();
    assertEquals(List.of("Core-i5-6600"), f.lackedBy());
    assertTrue(x.costs().get(1).ceilingGain().contains("avx512f"));
    assertTrue(x.costs().get(0).ceilingGain().isEmpty() || !x.costs().get(0).ceilingGain().contains("avx512f"));
  }
}
