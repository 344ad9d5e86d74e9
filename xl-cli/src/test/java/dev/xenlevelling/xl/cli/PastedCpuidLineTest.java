package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.hostdump.HostDumps;
import dev.xenlevelling.xl.level.HostCpu;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: every {@code cpuid=} setting {@code xl cpu-level} prints, pasted into a domain config,
 * creates the guest ({@code xl create}, not a dry run) on every host of the pool, and the guests
 * get the same features and limits on each. Pools are drawn at random, per vendor, from all 29
 * real CPU dumps (the hosts with leaf 7 subleaf 1 and 2 and leaf 0x80000021 among them), each
 * booted once in the simulated hypervisor; lines for the latest Xen and for older releases'
 * libxl, in both syntaxes.
 */
class PastedCpuidLineTest {
  static final FeatureTable T = FeatureTable.latest();
  /** The two bits Xen always takes from the host (recalculate_cpuid_policy): no line levels them. */
  static final Featureset MIRRORED = T.featuresetOf(List.of("fdp-excp-only", "no-fpu-sel"));
  /**
   * The features libxc sets from the build options and topology whatever the default policy says
   * (xc_cpuid_apply_policy steps 4 and 5: itsc, pae, vmx/svm, htt, cmp-legacy): the boot set,
   * made of default sets, does not predict them.
   */
  static final Featureset BUILD =
      T.featuresetOf(List.of("itsc", "pae", "vmx", "svm", "htt", "cmp-legacy"));
  static final List<String> VERSIONS =
      List.of("", "latest", "4.16", "4.17", "4.17.1", "4.17.7", "4.18", "4.19.3", "4.21");

  /** One dump: its path, as xl cpu-level reads it, and the host booted from it. */
  record Dump(String path, HostCpu cpu, XcInterface xc) {}

  private static final Map<String, List<Dump>> BY_VENDOR = boot();

  private static Map<String, List<Dump>> boot() {
    Map<String, List<Dump>> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(PoolCommandsTest.DUMPS)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
        XcInterface h;
        try (InputStream in = Files.newInputStream(p)) {
          h = XcInterface.bootInMemory(p.toString(), in, "");
        }
        HostCpu cpu = HostDumps.read(p);
        out.computeIfAbsent(cpu.vendor().key(), k -> new ArrayList<>())
            .add(new Dump(p.toString(), cpu, h));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  record Case(List<Dump> pool, String format, String version) {
    @Override
    public String toString() {
      return "xl cpu-level --format " + format + (version.isEmpty() ? "" : " -x " + version) + " "
          + pool.stream().map(d -> d.cpu().name()).toList();
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<List<Dump>> pools = Arbitraries.of(List.copyOf(BY_VENDOR.keySet())).flatMap(v ->
        Arbitraries.subsetOf(BY_VENDOR.get(v)).ofMinSize(1).ofMaxSize(6).map(ArrayList::new));
    return Combinators.combine(pools, Arbitraries.of("cpuid", "xend"), Arbitraries.of(VERSIONS))
        .as(Case::new);
  }

  @Property(tries = 200)
  void pastedLine_createsTheSameGuestOnEveryHost(@ForAll("cases") Case c) throws Exception {
    check(c, Files.createTempDirectory("pasted"));
  }

  /** The pool of the issue: Cooperlake has leaf 7 subleaf 1, Skylake-SP does not. */
  @Test
  void cooperlakeAndSkylake_lineCutsLeaf7AndCreatesOnBoth(@TempDir Path dir) throws Exception {
    List<Dump> pool = new ArrayList<>();
    for (Dump d : BY_VENDOR.get("intel")) {
      if (d.path().contains("Cooperlake") || d.path().contains("Gold-6148")) {
        pool.add(d);
      }
    }
    assertEquals(2, pool.size());
    Map<String, String> lines = check(new Case(pool, "cpuid", ""), dir);
    assertTrue(lines.get("hvm").contains("\"0x00000007,0:eax=00000000000000000000000000000000"),
        lines.get("hvm"));
  }

  /** Returns the levelled boot featureset of each guest type, from {@code --format json}. */
  static Map<String, Featureset> bootSets(Case c) throws Exception {
    List<String> args = new ArrayList<>(List.of("cpu-level", "--per-vendor", "--format", "json"));
    c.pool().forEach(d -> args.add(d.path()));
    MainTest.Result r = MainTest.xl(args.toArray(new String[0]));
    assertEquals(0, r.rc(), r.err());
    // One pool (one vendor): its "types" object holds "pv" and "hvm", each starting with "boot".
    Map<String, Featureset> out = new TreeMap<>();
    for (String t : List.of("pv", "hvm")) {
      int at = r.out().indexOf("\"" + t + "\": {");
      if (at >= 0) {
        int start = r.out().indexOf("\"boot\": \"", at) + "\"boot\": \"".length();
        out.put(t, Featureset.parse(r.out().substring(start, r.out().indexOf('"', start))));
      }
    }
    return out;
  }

  /**
   * Checks the guest got the levelled boot set: nothing beyond it (but the two mirrored bits),
   * and all of it but what the line says it cannot give (MSR_ARCH_CAPS, hidden) and what lies in
   * leaves its limits cut.
   */
  static void checkAgainstBoot(Case c, String line, Featureset boot, CpuPolicy guest) {
    Featureset got = guest.featureset(T).andNot(MIRRORED).andNot(BUILD);
    Featureset extra = got.andNot(boot);
    assertTrue(extra.isEmpty(), c + ": the guest has features beyond the boot set: "
        + T.names(extra) + "\n" + line);
    Featureset expected = boot.andNot(MIRRORED).andNot(BUILD);
    if (line.contains("arch-caps") || line.startsWith("cpuid = [")) {
      expected = expected.andNot(T.featuresetOf(List.of("arch-caps")));
    }
    Featureset missing = Featureset.zero(T.nrWords());
    for (int f : expected.andNot(got).features().toArray()) {
      dev.xenlevelling.xc.policy.FeatureWord w = T.word(f / 32);
      boolean cut = w.msr() ? !got.contains(T.byName("arch-caps").orElseThrow().index())
          : (w.leaf() & 0xffffffffL) >= 0x80000000L
              ? Integer.compareUnsigned(w.leaf(), guest.extdMaxLeaf()) > 0
              : w.leaf() > guest.basicMaxLeaf()
                  || (w.leaf() == 7 && w.subleaf().orElse(0) > guest.leaf7MaxSubleaf());
      if (!cut) {
        missing = missing.with(f);
      }
    }
    assertTrue(missing.isEmpty(), c + ": the guest lacks boot features the line does not cut: "
        + T.names(missing) + "\n" + line);
  }

  /**
   * Runs the case's cpu-level, then creates a guest from each printed line on every member that
   * runs guests of its type, and checks they all got the same policy; returns the lines by type.
   */
  static Map<String, String> check(Case c, Path dir) throws Exception {
    List<String> args = new ArrayList<>(List.of("cpu-level", "--per-vendor", "--format",
        c.format()));
    if (!c.version().isEmpty()) {
      args.addAll(List.of("-x", c.version()));
    }
    c.pool().forEach(d -> args.add(d.path()));
    MainTest.Result r = MainTest.xl(args.toArray(new String[0]));
    assertEquals(0, r.rc(), c + ": " + r.err());
    Map<String, String> lines = new LinkedHashMap<>();
    String type = null;
    for (String l : r.out().split("\n")) {
      if (l.startsWith("# ") && l.contains(" (type = ")) {
        type = l.substring(2).split(" ")[1];
      } else if (l.startsWith("cpuid = ")) {
        lines.put(type, l);
      }
    }
    assertTrue(!lines.isEmpty(), c + ": no cpuid= line in\n" + r.out());
    Map<String, Featureset> boot = bootSets(c);
    for (Map.Entry<String, String> e : lines.entrySet()) {
      boolean pv = e.getKey().equals("pv");
      Path cfg = dir.resolve(e.getKey() + ".cfg");
      Files.writeString(cfg, "name = \"pasted\"\ntype = \"" + e.getKey() + "\"\nmemory = 512\n"
          + (pv ? "kernel = \"/boot/vmlinuz\"\n" : "") + e.getValue() + "\n");
      List<String> seen = new ArrayList<>();
      String first = null;
      for (Dump d : c.pool()) {
        if (d.cpu().guest(pv ? DomainType.PV : DomainType.HVM).isEmpty()) {
          continue;
        }
        Libxl libxl = Libxl.inMemory(d.xc().inMemoryCopy());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(new String[] {"create", "-q", cfg.toString()}, new PrintWriter(out),
            new PrintWriter(err), () -> libxl, MainTest.NO_XL_CONF);
        assertEquals(0, rc, c + "\non " + d.cpu().name() + ": " + err + "\n" + e.getValue());
        CpuPolicy p = libxl.domainPolicy(libxl.find("pasted"));
        String got = p.featureset(T).andNot(MIRRORED).withLength(T.nrWords()).format()
            + " max leaves " + Integer.toHexString(p.basicMaxLeaf()) + " "
            + p.leaf7MaxSubleaf() + " " + Integer.toHexString(p.extdMaxLeaf())
            + (e.getValue().startsWith("cpuid = [") ? " maxphysaddr " + p.maxPhysAddr() : "");
        seen.add(d.cpu().name() + ": " + got);
        checkAgainstBoot(c, e.getValue(), boot.get(e.getKey()), p);
        if (first == null) {
          first = got;
        } else {
          assertEquals(first, got, c + "\n" + e.getValue() + "\n" + String.join("\n", seen));
        }
      }
    }
    return lines;
  }
}
