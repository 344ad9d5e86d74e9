package dev.xenlevelling.xc.policy;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.Locale;
import java.util.Optional;

/**
 * The compatibility check of a guest CPU policy against a host policy: Xen's
 * {@code x86_cpu_policies_are_compatible} (latest, 4.22+, with its vendor check), reporting every
 * failure rather than the first, and beyond Xen, every guest feature the host lacks.
 */
public final class Compatibility {
  private Compatibility() {}

  /**
   * Returns whether {@code guest} can run on {@code host}, with every reason if not.
   *
   * <p>Mirrors {@code x86_cpu_policies_are_compatible}, checking in its order: the leaf 0 vendor
   * registers must be equal (all three, compared raw, so two different unknown vendors differ);
   * the guest's basic max leaf, leaf 7 max subleaf and extended max leaf must not be above the
   * host's (compared as unsigned 32-bit numbers, as Xen's {@code uint32_t}); no MSR_PLATFORM_INFO
   * bit may be set in the guest and clear in the host. Deliberately beyond Xen, which does not
   * audit features: every bit of the guest's featureset (the words of {@code table}) that is
   * clear in the host's is a reason too, named from {@code table}.
   */
  public static CompatibilityReport check(CpuPolicy host, CpuPolicy guest, FeatureTable table) {
    checkNotNull(host, "host");
    checkNotNull(guest, "guest");
    checkNotNull(table, "table");
    ImmutableList.Builder<Incompatibility> reasons = ImmutableList.builder();
    Optional<PolicyError> xen = Optional.empty();

    if (!sameVendorRegisters(host, guest)) {
      Incompatibility i = new Incompatibility(Incompatibility.Kind.VENDOR,
          "guest vendor " + vendorText(guest) + " differs from the host's " + vendorText(host),
          PolicyError.leaf(0, CpuidLeaf.NO_SUBLEAF));
      reasons.add(i);
      xen = first(xen, i);
    }
    if (Integer.compareUnsigned(guest.basicMaxLeaf(), host.basicMaxLeaf()) > 0) {
      Incompatibility i = new Incompatibility(Incompatibility.Kind.BASIC_MAX_LEAF,
          String.format(Locale.ROOT, "guest basic max leaf 0x%x is above the host's 0x%x",
              guest.basicMaxLeaf(), host.basicMaxLeaf()),
          PolicyError.leaf(0, CpuidLeaf.NO_SUBLEAF));
      reasons.add(i);
      xen = first(xen, i);
    }
    if (Integer.compareUnsigned(guest.leaf7MaxSubleaf(), host.leaf7MaxSubleaf()) > 0) {
      Incompatibility i = new Incompatibility(Incompatibility.Kind.LEAF7_MAX_SUBLEAF,
          String.format(Locale.ROOT, "guest leaf 7 max subleaf 0x%x is above the host's 0x%x",
              guest.leaf7MaxSubleaf(), host.leaf7MaxSubleaf()),
          PolicyError.leaf(7, 0));
      reasons.add(i);
      xen = first(xen, i);
    }
    if (Integer.compareUnsigned(guest.extdMaxLeaf(), host.extdMaxLeaf()) > 0) {
      Incompatibility i = new Incompatibility(Incompatibility.Kind.EXTD_MAX_LEAF,
          String.format(Locale.ROOT, "guest extended max leaf 0x%x is above the host's 0x%x",
              guest.extdMaxLeaf(), host.extdMaxLeaf()),
          PolicyError.leaf(CpuPolicy.EXTD_BASE, CpuidLeaf.NO_SUBLEAF));
      reasons.add(i);
      xen = first(xen, i);
    }
    int extraInfo = guest.platformInfo() & ~host.platformInfo();
    if (extraInfo != 0) {
      Incompatibility i = new Incompatibility(Incompatibility.Kind.PLATFORM_INFO,
          String.format(Locale.ROOT,
              "guest MSR_PLATFORM_INFO bits 0x%08x%s are not set in the host's (0x%08x)",
              extraInfo,
              (extraInfo & CpuPolicy.PLATFORM_INFO_CPUID_FAULTING) != 0 ? " (cpuid_faulting)" : "",
              host.platformInfo()),
          PolicyError.msr(MsrEntry.PLATFORM_INFO));
      reasons.add(i);
      xen = first(xen, i);
    }

    ImmutableList.Builder<String> missing = ImmutableList.builder();
    Featureset extra = guest.featureset(table).andNot(host.featureset(table));
    extra.features().forEach(f -> {
      FeatureWord w = table.word(f / Featureset.BITS_PER_WORD);
      int bit = f % Featureset.BITS_PER_WORD;
      Optional<Feature> named = table.byIndex(f);
      String name = named.map(Feature::name).orElse("[" + f + "]");
      missing.add(name);
      reasons.add(new Incompatibility(Incompatibility.Kind.FEATURE,
          String.format(Locale.ROOT, "guest feature %s (%s bit %d) is not in the host's featureset",
              named.isPresent() ? name : "bit " + name, w.label(), bit),
          wordPosition(w)));
    });
    return new CompatibilityReport(reasons.build(), xen, missing.build());
  }

  private static Optional<PolicyError> first(Optional<PolicyError> sofar, Incompatibility i) {
    return sofar.isPresent() ? sofar : Optional.of(i.position());
  }

  private static boolean sameVendorRegisters(CpuPolicy a, CpuPolicy b) {
    for (Register r : new Register[] {Register.EBX, Register.ECX, Register.EDX}) {
      if (a.reg(0, CpuidLeaf.NO_SUBLEAF, r) != b.reg(0, CpuidLeaf.NO_SUBLEAF, r)) {
        return false;
      }
    }
    return true;
  }

  /** Returns "Intel (GenuineIntel)", or for an unknown vendor its three registers in hex. */
  static String vendorText(CpuPolicy p) {
    Vendor v = p.vendor();
    if (v != Vendor.UNKNOWN) {
      return v.displayName() + " (" + v.signature() + ")";
    }
    return String.format(Locale.ROOT, "Unknown (ebx 0x%08x ecx 0x%08x edx 0x%08x)",
        p.reg(0, CpuidLeaf.NO_SUBLEAF, Register.EBX), p.reg(0, CpuidLeaf.NO_SUBLEAF, Register.ECX),
        p.reg(0, CpuidLeaf.NO_SUBLEAF, Register.EDX));
  }

  private static PolicyError wordPosition(FeatureWord w) {
    if (w.msr()) {
      return PolicyError.msr(w.leaf());
    }
    return PolicyError.leaf(w.leaf(), w.subleaf().orElse(CpuidLeaf.NO_SUBLEAF));
  }
}
