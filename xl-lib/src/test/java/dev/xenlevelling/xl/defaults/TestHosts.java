package dev.xenlevelling.xl.defaults;

import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.PoolLeveller;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Simulated hosts booted from the profiles of config-examples, and policies levelled from them. */
final class TestHosts {
  static final Path PROFILES = Path.of("..", "config-examples", "hosts");
  static final Instant CREATED = Instant.parse("2026-11-21T09:00:00Z");

  private TestHosts() {}

  /** Returns the libxc facade of a host booted from {@code profile} with {@code cmdline}. */
  static XcInterface boot(String profile, String cmdline, Microcode microcode) throws Exception {
    return XcInterface.bootInMemory(profile, PROFILES, cmdline, Optional.of(microcode));
  }

  /** Returns the host booted from {@code profile} as it recorded (empty command line). */
  static XcInterface boot(String profile) throws Exception {
    return XcInterface.bootInMemory(profile, PROFILES, "", Optional.empty());
  }

  /** Returns the leveller's view of the host behind {@code xc}, named {@code name}. */
  static HostCpu hostCpu(XcInterface xc, String name) throws Exception {
    return hostCpu(xc, name, HostFingerprint.of(xc));
  }

  /** Returns the leveller's view of the host behind {@code xc}, with {@code fingerprint}. */
  static HostCpu hostCpu(XcInterface xc, String name, String fingerprint) throws Exception {
    Vendor v = Vendor.ofIdString(xc.getCpuPolicy(PolicyIndex.HOST).vendor().signature())
        .orElseThrow();
    return HostCpu.builder(name, v, fingerprint)
        .guest(DomainType.PV, xc.getCpuFeatureset(FeaturesetIndex.PV),
            xc.getCpuFeatureset(FeaturesetIndex.PV_MAX), CpuLimits.UNKNOWN)
        .guest(DomainType.HVM, xc.getCpuFeatureset(FeaturesetIndex.HVM),
            xc.getCpuFeatureset(FeaturesetIndex.HVM_MAX), CpuLimits.UNKNOWN)
        .build();
  }

  /** Returns the policy file levelled from {@code hosts}, with their featuresets recorded. */
  static PolicyFile policy(List<HostCpu> hosts) throws Exception {
    return PolicyFile.fromLevelled(PoolLeveller.latest().level(hosts), hosts, CREATED,
        "xl cpu-level -o pool.yaml " + String.join(" ",
            hosts.stream().map(h -> h.name() + ".json").toList()));
  }
}
