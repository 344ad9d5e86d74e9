package dev.xenlevelling.xl.hostdump;

import com.google.common.hash.Hashing;
import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.cpuid.XenRelease;
import dev.xenlevelling.xl.hostdump.HostDumpException.Reason;
import dev.xenlevelling.xl.level.HostCpu;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A raw CPU description (libvirt CPUID dump, or the raw leaves of {@code xen-cpuid -p}) booted in
 * the simulated hypervisor, in memory, through the libxc facade only: booted by
 * {@link XcInterface#bootInMemory(String, java.io.InputStream, String)} with an empty Xen command
 * line and the microcode as dumped, and the featuresets and policies are asked of the facade, as {@code xen-cpuid --json} asks
 * them. So the host is what {@code xen-cpuid --json} would report on a host booted from that CPU,
 * fingerprint included.
 *
 * <p>Boots are cached by the SHA-256 of the dump's bytes: a pool of 10,000 hosts made of a few
 * dozen distinct CPUs boots each once.
 */
final class BootedDump {
  private static final Map<String, Booted> CACHE = new ConcurrentHashMap<>();

  /** What a boot gives, without the host's name. */
  private record Booted(Vendor vendor, String fingerprint, Map<DomainType, GuestSets> guests,
      Optional<XenRelease> xen) {}

  private record GuestSets(Featureset def, Featureset max,
      dev.xenlevelling.xl.level.CpuLimits limits) {}

  private BootedDump() {}

  static HostCpu boot(String file, String name, byte[] bytes) throws HostDumpException {
    String key = Hashing.sha256().hashBytes(bytes).toString();
    Booted b = CACHE.get(key);
    if (b == null) {
      b = bootUncached(file, bytes);
      CACHE.putIfAbsent(key, b);
    }
    HostCpu.Builder hb = HostCpu.builder(name, b.vendor(), b.fingerprint());
    b.guests().forEach((t, g) -> hb.guest(t, g.def(), g.max(), g.limits()));
    b.xen().ifPresent(hb::xen);
    return hb.build();
  }

  private static Booted bootUncached(String file, byte[] bytes) throws HostDumpException {
    XcInterface xc;
    try {
      xc = XcInterface.bootInMemory(file, new ByteArrayInputStream(bytes), "");
    } catch (XcException e) {
      throw new HostDumpException(Reason.SYNTAX, e.getMessage());
    }
    String vendorString = xc.cpuVendorString();
    Optional<Vendor> vendor = Vendor.ofIdString(vendorString);
    if (vendor.isEmpty()) {
      throw new HostDumpException(Reason.CONTENT,
          file + ": CPU vendor '" + vendorString + "' is not one Xen knows");
    }
    Map<FeaturesetIndex, Optional<Featureset>> sets = new EnumMap<>(FeaturesetIndex.class);
    for (FeaturesetIndex i : FeaturesetIndex.values()) {
      try {
        sets.put(i, Optional.of(xc.getCpuFeatureset(i)));
      } catch (XcException e) {
        sets.put(i, Optional.empty()); // EOPNOTSUPP: that guest type is not supported
      }
    }
    Map<DomainType, GuestSets> guests = new EnumMap<>(DomainType.class);
    try {
      addType(xc, guests, DomainType.PV, sets.get(FeaturesetIndex.PV),
          sets.get(FeaturesetIndex.PV_MAX), PolicyIndex.PV_DEFAULT);
      addType(xc, guests, DomainType.HVM, sets.get(FeaturesetIndex.HVM),
          sets.get(FeaturesetIndex.HVM_MAX), PolicyIndex.HVM_DEFAULT);
    } catch (XcException e) {
      throw new HostDumpException(Reason.CONTENT, file + ": " + e.getMessage());
    }
    return new Booted(vendor.get(), fingerprint(sets, xc.xenCommandline()), guests,
        XenRelease.parse(xc.xenVersion()));
  }

  private static void addType(XcInterface xc, Map<DomainType, GuestSets> guests, DomainType type,
      Optional<Featureset> def, Optional<Featureset> max, PolicyIndex defPolicy)
      throws XcException {
    if (def.isEmpty() || max.isEmpty() || HostDumps.noGuests(max.get())) {
      return;
    }
    guests.put(type, new GuestSets(def.get(), max.get(),
        XenCpuidPolicyDump.limits(xc.getCpuPolicy(defPolicy))));
  }

  /** Returns the fingerprint {@code xen-cpuid --json} prints (docs/pool-levelling.md). */
  static String fingerprint(Map<FeaturesetIndex, Optional<Featureset>> sets, String cmdline) {
    String[] keys = {"raw", "host", "pv_default", "hvm_default", "pv_max", "hvm_max"};
    StringBuilder sb = new StringBuilder();
    for (FeaturesetIndex i : FeaturesetIndex.values()) {
      sb.append(keys[i.value()]).append('=')
          .append(sets.get(i).map(Featureset::format).orElse("-")).append('\n');
    }
    sb.append("boot_options=").append(cmdline).append('\n');
    return "sha256:" + Hashing.sha256().hashString(sb, StandardCharsets.UTF_8);
  }
}
