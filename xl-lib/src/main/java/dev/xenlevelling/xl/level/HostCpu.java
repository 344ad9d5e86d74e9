package dev.xenlevelling.xl.level;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.cpuid.XenRelease;
import java.util.Objects;
import java.util.Optional;

/**
 * One pool member as the leveller sees it: its name, vendor, fingerprint, and for each guest type
 * its hypervisor compiled in, the default and max featuresets and the non-flag limits.
 *
 * <p>Decoupled from the hypervisor: an adapter builds it from a {@code xen-cpuid --json} dump,
 * real xen-cpuid text or a libvirt CPUID dump booted through the simulated hypervisor. The
 * fingerprint is opaque here (whatever identifies the host's boot: CPU, microcode, Xen version and
 * command line); the policy file records it so a stale policy can be noticed.
 */
public final class HostCpu {
  private final String name;
  private final Vendor vendor;
  private final String fingerprint;
  private final ImmutableSortedMap<DomainType, GuestCpu> guests;
  private final Optional<XenRelease> xen;

  private HostCpu(Builder b) {
    this.name = b.name;
    this.vendor = b.vendor;
    this.fingerprint = b.fingerprint;
    this.guests = ImmutableSortedMap.copyOf(b.guests);
    this.xen = b.xen;
  }

  /** Returns a builder for host {@code name} of {@code vendor} with {@code fingerprint}. */
  public static Builder builder(String name, Vendor vendor, String fingerprint) {
    return new Builder(name, vendor, fingerprint);
  }

  /** Returns the host's name, unique within a pool. */
  public String name() {
    return name;
  }

  /** Returns the host's CPU vendor. */
  public Vendor vendor() {
    return vendor;
  }

  /** Returns the host's fingerprint (opaque, non-empty, one line). */
  public String fingerprint() {
    return fingerprint;
  }

  /** Returns the guest types this host's Xen supports, with their featuresets. */
  public ImmutableSortedMap<DomainType, GuestCpu> guests() {
    return guests;
  }

  /** Returns what the host offers guests of {@code type}; empty when the type is compiled out. */
  public Optional<GuestCpu> guest(DomainType type) {
    return Optional.ofNullable(guests.get(type));
  }

  /**
   * Returns the Xen release the host runs, where its dump says it (the oldest release its dump is
   * consistent with, for real xen-cpuid text); empty when unknown.
   */
  public Optional<XenRelease> xen() {
    return xen;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostCpu h && h.name.equals(name) && h.vendor == vendor
        && h.fingerprint.equals(fingerprint) && h.guests.equals(guests) && h.xen.equals(xen);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, vendor, fingerprint, guests, xen);
  }

  /** Returns the name, vendor and fingerprint, for messages. */
  @Override
  public String toString() {
    return name + " (" + vendor.key() + ", " + fingerprint + ")";
  }

  /** A builder of {@link HostCpu}. */
  public static final class Builder {
    private final String name;
    private final Vendor vendor;
    private final String fingerprint;
    private final java.util.EnumMap<DomainType, GuestCpu> guests =
        new java.util.EnumMap<>(DomainType.class);
    private Optional<XenRelease> xen = Optional.empty();

    private Builder(String name, Vendor vendor, String fingerprint) {
      checkArgument(!name.isEmpty() && name.indexOf('\n') < 0,
          "host name (%s) must be non-empty and one line", name);
      checkArgument(!fingerprint.isEmpty() && fingerprint.indexOf('\n') < 0,
          "fingerprint (%s) must be non-empty and one line", fingerprint);
      this.name = name;
      this.vendor = checkNotNull(vendor);
      checkArgument(vendor != Vendor.UNKNOWN, "vendor (%s) must be one Xen knows", vendor);
      this.fingerprint = fingerprint;
    }

    /** Returns this builder with guest type {@code type}'s default and max featuresets and limits. */
    public Builder guest(DomainType type, Featureset def, Featureset max, CpuLimits limits) {
      guests.put(type, new GuestCpu(checkNotNull(def), checkNotNull(max), checkNotNull(limits)));
      return this;
    }

    /** Returns this builder with the Xen release the host runs. */
    public Builder xen(XenRelease release) {
      this.xen = Optional.of(release);
      return this;
    }

    /** Returns the host. */
    public HostCpu build() {
      return new HostCpu(this);
    }
  }
}
