package dev.xenlevelling.xl;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.ClampedFeature;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;

/**
 * The per-bit clamp report of a new domain: every {@link RequestedBit} of its cpuid= compared
 * with the policy Xen gave it, and why any differs ({@link BitOutcome}).
 */
final class ClampCheck {
  private ClampCheck() {}

  /** Compares every requested bit with the domain's policy and says why any differs. */
  static ImmutableList<BitOutcome> outcomes(XcInterface xc, int domid, boolean hvm,
      CpuidPolicyList cpuid, ClampReport report) throws XcException {
    FeatureTable table = xc.featureTable();
    CpuPolicy dom = xc.getDomainCpuPolicy(domid);
    CpuPolicy host = xc.getCpuPolicy(PolicyIndex.HOST);
    CpuPolicy max = xc.getCpuPolicy(hvm ? PolicyIndex.HVM_MAX : PolicyIndex.PV_MAX);
    Featureset domFs = dom.featureset(table);
    Featureset hostFs = host.featureset(table);
    Featureset maxFs = max.featureset(table);
    ImmutableList.Builder<BitOutcome> b = ImmutableList.builder();
    for (RequestedBit r : RequestedBit.of(cpuid, table)) {
      boolean got;
      boolean hostHas;
      if (r.feature().isPresent()) {
        got = domFs.contains(r.feature().get().index());
        hostHas = hostFs.contains(r.feature().get().index());
      } else {
        got = bit(dom, r);
        hostHas = bit(host, r);
      }
      boolean wanted = r.value() == '1' || ((r.value() == 'k' || r.value() == 's') && hostHas);
      b.add(explain(r, wanted, got, hostHas, hvm, table, domFs, maxFs, report));
    }
    return b.build();
  }

  private static BitOutcome explain(RequestedBit r, boolean wanted, boolean got, boolean hostHas,
      boolean hvm, FeatureTable table, Featureset domFs, Featureset maxFs, ClampReport report) {
    if (wanted == got) {
      return new BitOutcome(r, wanted, got, BitOutcome.Reason.HONOURED, "as requested");
    }
    if (r.feature().isEmpty()) {
      return new BitOutcome(r, wanted, got, BitOutcome.Reason.XEN_OVERRIDES,
          "Xen sets this field itself");
    }
    Feature f = r.feature().get();
    if (wanted && !hostHas) {
      return new BitOutcome(r, true, got, BitOutcome.Reason.HOST_LACKS, "host lacks it");
    }
    if (wanted && !maxFs.contains(f.index())) {
      return new BitOutcome(r, true, got, BitOutcome.Reason.NOT_FOR_GUEST_TYPE,
          "not offered to " + (hvm ? "HVM" : "PV") + " guests");
    }
    if (wanted) {
      for (int dep : table.deepFeatures().features().toArray()) {
        if (!domFs.contains(dep) && table.deepDependents(dep).contains(f.index())) {
          String depName = table.byIndex(dep).map(Feature::name).orElse("bit " + dep);
          return new BitOutcome(r, true, got, BitOutcome.Reason.DEPENDENCY_OFF,
              "needs " + depName + ", which is off");
        }
      }
    }
    String detail = "Xen keeps its own value";
    for (ClampedFeature c : report.removed()) {
      if (c.index() == f.index()) {
        detail = c.detail();
      }
    }
    for (ClampedFeature c : report.added()) {
      if (c.index() == f.index()) {
        detail = c.detail();
      }
    }
    return new BitOutcome(r, wanted, got, BitOutcome.Reason.XEN_OVERRIDES, detail);
  }

  /** Returns bit {@code r} of policy {@code p} (a CPUID register, or MSR_ARCH_CAPS). */
  private static boolean bit(CpuPolicy p, RequestedBit r) {
    if (r.msr()) {
      long v = 0;
      for (MsrEntry m : p.toMsrs()) {
        if (m.index() == r.leaf()) {
          v = m.value();
        }
      }
      return ((v >>> r.bit()) & 1) != 0;
    }
    return ((p.reg(r.leaf(), r.subleaf(), r.register()) >>> r.bit()) & 1) != 0;
  }
}
