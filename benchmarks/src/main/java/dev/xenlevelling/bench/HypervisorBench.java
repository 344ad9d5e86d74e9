package dev.xenlevelling.bench;

import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.Host;
import dev.xenlevelling.xc.hv.Hypervisor;
import dev.xenlevelling.xc.hv.cpu.CpuSources;
import dev.xenlevelling.xc.hv.state.HostDirectory;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.MsrEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Domain churn through the libxc facade, in process: createdomain (HVM, HAP), set_cpu_policy of
 * a whole policy (the default with avx512f cleared, so the clamp has dependents to drop), then
 * destroydomain. {@code store=memory} keeps domains in memory; {@code store=dir} in a temporary
 * host directory (file lock, JSON, fsync and rename on every change). Score: operations (whole
 * create+set+destroy cycles) per second. The host is booted from the profile {@code profile} in
 * {@code -Dbench.profiles} (default config-examples/hosts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HypervisorBench {
  @Param({"skylake-sp"})
  String profile;

  @Param({"memory", "dir"})
  String store;

  private XcInterface xc;
  private List<CpuidLeaf> leaves;
  private List<MsrEntry> msrs;

  /** Boots the host and prepares the request. */
  @Setup
  public void setup() throws Exception {
    Path profiles = Path.of(System.getProperty("bench.profiles", "config-examples/hosts"));
    CpuSources.Loaded cpu = CpuSources.load(profile, profiles);
    BootConfig config = new BootConfig(cpu.cpu(), "", cpu.microcode());
    if (store.equals("memory")) {
      xc = XcInterface.of(Hypervisor.inMemory(Host.boot(config)));
    } else {
      Path dir = tempDir();
      HostDirectory.boot(dir, config);
      xc = XcInterface.open(dir);
    }
    FeatureTable t = xc.featureTable();
    CpuPolicy def = xc.getCpuPolicy(PolicyIndex.HVM_DEFAULT);
    CpuPolicy req = def.withFeatureset(
        def.featureset(t).without(t.byName("avx512f").orElseThrow().index()), t);
    leaves = req.toLeaves();
    msrs = req.toMsrs();
  }

  private static Path tempDir() throws IOException {
    Path dir = Files.createTempDirectory("xensim-bench");
    dir.toFile().deleteOnExit();
    return dir;
  }

  /** One create + set_cpu_policy + destroy cycle; returns the clamp report's size. */
  @Benchmark
  public int createSetDestroy() throws XcException {
    int d = xc.createDomain(DomainType.HVM, true, false);
    int removed = xc.setCpuPolicy(d, leaves, msrs).removed().size();
    xc.destroyDomain(d);
    return removed;
  }
}
