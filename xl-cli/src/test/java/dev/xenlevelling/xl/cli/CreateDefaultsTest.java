package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.PoolLeveller;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code xl create} with host-wide defaults: xl.conf and a policy in {@code target/} (a fixed
 * relative directory, so outputs are byte-exact golden files), over in-memory hosts.
 */
class CreateDefaultsTest {
  static final Path CONF = Path.of("target", "xl-defaults-test");
  static final Path PROFILES = Path.of("..", "config-examples", "hosts");
  static final String CFG = "../config-examples/domains/hvm-hide-tsx.cfg";

  static XcInterface boot(String profile, String cmdline, Microcode mc) throws Exception {
    return XcInterface.bootInMemory(profile, PROFILES, cmdline, Optional.ofNullable(mc));
  }

  static HostCpu hostCpu(XcInterface xc, String name) throws Exception {
    return HostCpu.builder(name, Vendor.INTEL, HostFingerprint.of(xc))
        .guest(DomainType.PV, xc.getCpuFeatureset(FeaturesetIndex.PV),
            xc.getCpuFeatureset(FeaturesetIndex.PV_MAX), CpuLimits.UNKNOWN)
        .guest(DomainType.HVM, xc.getCpuFeatureset(FeaturesetIndex.HVM),
            xc.getCpuFeatureset(FeaturesetIndex.HVM_MAX), CpuLimits.UNKNOWN)
        .build();
  }

  XcInterface a;

  @BeforeEach
  void pool() throws Exception {
    if (Files.exists(CONF)) {
      try (Stream<Path> s = Files.walk(CONF)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(CONF);
    a = boot("skylake-sp", "", null);
    List<HostCpu> hosts = List.of(hostCpu(a, "a"), hostCpu(boot("haswell-tsx", "", null), "b"));
    PolicyFile.fromLevelled(PoolLeveller.latest().level(hosts), hosts,
        Instant.parse("2026-11-21T09:00:00Z"), "xl cpu-level -o pool.yaml a.json b.json")
        .write(CONF.resolve("pool.yaml"));
    Files.writeString(CONF.resolve("xl.conf"),
        "vm.cpuid_policy = \"pool.yaml\"\nvm.hvm.cpuid = \"host,itsc=1\"\n");
  }

  static MainTest.Result xl(Libxl libxl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      rc = Main.run(args, o, e, () -> libxl, CONF);
    }
    return new MainTest.Result(rc, out.toString(), err.toString());
  }

  @Test
  void create_explain_golden() throws IOException {
    MainTest.Result r = xl(Libxl.inMemory(a, "a"), "create", "--explain", CFG,
        "cpuid=\"host,hle=0,rtm=0,avx512f=1\"");
    assertEquals(new MainTest.Result(0, MainTest.golden("defaults/create-explain.txt"),
        MainTest.golden("defaults/create-explain.err")), r);
  }

  @Test
  void dryRun_printsTheMergedCpuidAndThePredictedExplanation_golden() throws IOException {
    Libxl x = Libxl.inMemory(a, "a");
    MainTest.Result r = xl(x, "-N", "create", "--explain", CFG);
    assertEquals(new MainTest.Result(0, MainTest.golden("defaults/create-N.json"),
        MainTest.golden("defaults/create-N.err")), r);
    assertEquals(1, xl(x, "list").out().split("\n").length - 1, "-N created nothing");
  }

  /**
   * Under a policy of a 10,000-host pool (5,000 hosts of each of the two CPUs, generated here),
   * {@code xl -N create} gives what it gives under the two-host policy of the same CPUs; the file
   * stays small (each CPU's featuresets once), and a warning names 8 hosts and how many more.
   */
  @Test
  void dryRun_underATenThousandHostPolicy_sameAsTwoHosts() throws Exception {
    Libxl x = Libxl.inMemory(a, "h00000");
    MainTest.Result two = xl(x, "-N", "create", CFG, "cpuid=\"host,avx512f=1\"");
    XcInterface b = boot("haswell-tsx", "", null);
    List<HostCpu> hosts = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      hosts.add(hostCpu(i % 2 == 0 ? a : b, String.format("h%05d", i)));
    }
    Path pool = CONF.resolve("pool.yaml");
    PolicyFile.fromLevelled(PoolLeveller.latest().level(hosts), hosts,
        Instant.parse("2026-11-21T09:00:00Z"), "xl cpu-level -o pool.yaml dumps/").write(pool);
    long size = Files.size(pool);
    // Per host: name (21 bytes), fingerprint (93) and featuresets id (23) lines.
    assertTrue(size < 10_000 * 140 + 20_000, "size " + size);
    MainTest.Result big = xl(x, "-N", "create", CFG, "cpuid=\"host,avx512f=1\"");
    assertEquals(0, big.rc(), big.err());
    assertEquals(two.out(), big.out());
    assertEquals(two.err().replace("host b", "hosts h00001, h00003, h00005, h00007, h00009,"
        + " h00011, h00013, h00015 and 4992 more"), big.err());
  }

  @Test
  void create_staleAfterReboot_warns_strictRefuses() throws Exception {
    XcInterface rebooted = boot("skylake-sp", "cpuid=no-avx2", Microcode.AS_DUMPED);
    String fp = HostFingerprint.of(rebooted).substring(0, "sha256:".length() + 12);
    Libxl x = Libxl.inMemory(rebooted, "a");
    MainTest.Result r = xl(x, "create", "-q", CFG);
    assertEquals(new MainTest.Result(0, "",
        MainTest.golden("defaults/create-stale.err").replace("<fp>", fp)), r);
    r = xl(x, "create", "-q", "--strict", CFG, "name=\"other\"");
    assertEquals(new MainTest.Result(1, "",
        MainTest.golden("defaults/create-stale-strict.err").replace("<fp>", fp)), r);
    assertEquals(2, xl(x, "list").out().split("\n").length - 1, "dom0 and the first only");
  }

  @Test
  void create_missingPolicy_oneLineAndNothingCreated() throws IOException {
    Files.delete(CONF.resolve("pool.yaml"));
    Libxl x = Libxl.inMemory(a, "a");
    assertEquals(new MainTest.Result(1, "", "target/xl-defaults-test/xl.conf:1:19:"
        + " vm.cpuid_policy: cannot read the policy file target/xl-defaults-test/pool.yaml: no such"
        + " file or directory\n"), xl(x, "create", "-q", CFG));
    assertEquals(1, xl(x, "list").out().split("\n").length - 1);
  }

  @Test
  void create_badXlConf_failsBeforeTouchingTheHost() throws IOException {
    Files.writeString(CONF.resolve("xl.conf"), "vm.cpuid = \"host,avx513=1\"\n");
    assertEquals(new MainTest.Result(1, "", "target/xl-defaults-test/xl.conf:1:18: vm.cpuid:"
        + " while parsing CPUID flag: \"avx513=1\": error #2: unknown CPUID flag name\n"),
        xl(null, "-N", "create", "-q", CFG));
  }
}
