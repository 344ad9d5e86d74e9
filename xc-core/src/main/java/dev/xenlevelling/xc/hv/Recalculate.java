package dev.xenlevelling.xc.hv;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.ClampedFeature;
import dev.xenlevelling.xc.abi.ClampedFeature.Reason;
import dev.xenlevelling.xc.abi.ClampedField;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.StaticMask;
import java.util.Optional;

/**
 * Xen's {@code recalculate_cpuid_policy}: the silent clamp of a domain's policy to what its type
 * may have, here also recording every change so that the layers above can tell the user.
 */
final class Recalculate {
  private Recalculate() {}

  /** Returns the featureset a domain of this kind may have at most. */
  static Featureset maxFeatureset(Host host, DomainType type, boolean hap, boolean nested) {
    FeatureTable t = host.table();
    if (type == DomainType.PV) {
      return host.featureset(PolicyIndex.PV_MAX);
    }
    Featureset fs = host.featureset(PolicyIndex.HVM_MAX);
    if (!hap) {
      fs = fs.and(t.mask(StaticMask.HVM_SHADOW_MAX));
    }
    if (!nested) {
      fs = fs.without(Feat.VMX).without(Feat.SVM);
    }
    return fs;
  }

  /**
   * Returns {@code merged} (the domain's policy with the request written over it) with the leaves
   * above its max leaves zeroed (set_cpu_policy step 4) and clamped for a domain of this kind
   * (step 6), with what changed.
   */
  static ClampReport clamp(Host host, DomainType type, boolean hap, boolean nested,
      CpuPolicy merged) {
    CpuPolicy req = merged.clearOutOfRangeLeaves();
    Featureset sent = merged.featureset(host.table());
    FeatureTable t = host.table();
    CpuPolicy max = host.policy(type == DomainType.PV ? PolicyIndex.PV_MAX : PolicyIndex.HVM_MAX);
    CpuPolicy hostP = host.policy(PolicyIndex.HOST);
    Featureset hostFs = host.featureset(PolicyIndex.HOST);
    Featureset maxFs = maxFeatureset(host, type, hap, nested);
    ImmutableList.Builder<ClampedField> fields = ImmutableList.builder();
    CpuPolicy.Builder b = req.toBuilder();

    // Max leaves: basic and leaf 7 at most the max policy's; extended by vendor.
    int basic = minU(req.basicMaxLeaf(), max.basicMaxLeaf());
    field(fields, "basic max leaf", req.basicMaxLeaf(), basic, "above the max policy's");
    b.basicMaxLeaf(basic);
    int feat = minU(req.leaf7MaxSubleaf(), max.leaf7MaxSubleaf());
    field(fields, "leaf 7 max subleaf", req.leaf7MaxSubleaf(), feat, "above the max policy's");
    b.leaf7MaxSubleaf(feat);
    boolean amd = Policies.isAmdLike(req.vendor());
    int extdLimit = amd ? 0x21 : 0x08;
    int extd = 0x80000000 | Math.min(req.extdMaxLeaf() & 0xffff, extdLimit);
    field(fields, "extended max leaf", req.extdMaxLeaf(), extd,
        amd ? "AMD/Hygon limit 0x80000021" : "limit 0x80000008 for this vendor");
    b.extdMaxLeaf(extd);

    // Features.
    Featureset asked = req.featureset(t);
    Featureset fs = asked;
    ImmutableList.Builder<ClampedFeature> removed = ImmutableList.builder();
    ImmutableList.Builder<ClampedFeature> added = ImmutableList.builder();
    if (Integer.compareUnsigned(basic, 0xd) < 0 && fs.contains(Feat.XSAVE)) {
      fs = fs.without(Feat.XSAVE);
    }
    fs = fs.and(maxFs);
    for (int f : new int[] {Feat.FDP_EXCP_ONLY, Feat.NO_FPU_SEL}) {
      fs = hostFs.contains(f) ? fs.with(f) : fs.without(f);
    }
    final Featureset result = t.sanitise(fs);
    fs = result;
    String maxName = type == DomainType.PV ? "PV max"
        : hap ? "HVM max" : "HVM shadow max (hap=0)";
    sent.andNot(asked).features().forEach(f -> removed.add(new ClampedFeature(name(t, f), f,
        Reason.LEAF_OUT_OF_RANGE, "its leaf is above the policy's max leaf or subleaf")));
    Featureset lost = asked.andNot(fs);
    lost.features().forEach(f -> removed.add(whyRemoved(t, f, basic, maxFs, hostFs, result, type,
        nested, maxName)));
    result.andNot(asked).features().forEach(f -> added.add(new ClampedFeature(name(t, f), f,
        Reason.HOST_VALUE, "always the host's value")));
    CpuPolicy p = b.build().withFeatureset(fs, t);
    b = p.toBuilder();

    // Non-feature fields (struct cpu_policy, xen/include/xen/lib/x86/cpu-policy.h).
    int l1b = Policies.reg(p, 1, 0, Register.EBX);
    int hostClflush = Policies.reg(hostP, 1, 0, Register.EBX) & 0xff00;
    int newL1b = (l1b & 0x00ff00ff) | hostClflush;
    field(fields, "clflush size", (l1b >>> 8) & 0xff, (newL1b >>> 8) & 0xff, "always the host's");
    field(fields, "initial APIC id", l1b >>> 24, newL1b >>> 24, "zeroed: it is per vCPU");
    Policies.setReg(b, 1, 0, Register.EBX, newL1b);

    int e8a = Policies.reg(p, 0x80000008, 0, Register.EAX);
    int phys = e8a & 0xff;
    int newPhys = Math.min(phys, max.maxPhysAddr());
    newPhys = Math.min(newPhys, hostP.maxPhysAddr());
    int floor = fs.contains(Feat.PAE) || fs.contains(Feat.PSE36) ? 36 : 32;
    newPhys = Math.max(newPhys, floor);
    field(fields, "maxphysaddr", phys, newPhys,
        "min(asked, max policy, paging limit), at least " + floor);
    int lin = (e8a >>> 8) & 0xff;
    int newLin = fs.contains(Feat.LM) ? 48 : 32;
    field(fields, "maxlinaddr", lin, newLin, fs.contains(Feat.LM) ? "48 with lm" : "32 without lm");
    int gpa = (e8a >>> 16) & 0xff;
    field(fields, "GuestPhysAddrSize", gpa, 0, "hidden");
    if (Integer.compareUnsigned(extd, 0x80000008) >= 0) {
      Policies.setReg(b, 0x80000008, 0, Register.EAX,
          (e8a & 0xff000000) | (newLin << 8) | newPhys);
    }
    // vPMU is off: leaf 0xa is empty; the SVM leaf only with svm.
    b.leaf(0xa, CpuidLeaf.NO_SUBLEAF, 0, 0, 0, 0);
    if (!fs.contains(Feat.SVM)) {
      b.leaf(0x8000000a, CpuidLeaf.NO_SUBLEAF, 0, 0, 0, 0);
    }
    CpuPolicy out = Xstate.recalculate(b.build(), host.policy(PolicyIndex.RAW))
        .clearOutOfRangeLeaves();
    return new ClampReport(out, removed.build(), added.build(), fields.build());
  }

  private static ClampedFeature whyRemoved(FeatureTable t, int f, int basic, Featureset maxFs,
      Featureset hostFs, Featureset result, DomainType type, boolean nested, String maxName) {
    String name = name(t, f);
    if (f == Feat.XSAVE && Integer.compareUnsigned(basic, 0xd) < 0) {
      return new ClampedFeature(name, f, Reason.NO_XSAVE_LEAF,
          "basic max leaf below 0xd has no xsave leaf");
    }
    if (f == Feat.FDP_EXCP_ONLY || f == Feat.NO_FPU_SEL) {
      return new ClampedFeature(name, f, Reason.HOST_VALUE, "always the host's value");
    }
    if (!maxFs.contains(f)) {
      if (!hostFs.contains(f)) {
        return new ClampedFeature(name, f, Reason.NOT_IN_HOST, "not in host");
      }
      if (type == DomainType.HVM && !nested && (f == Feat.VMX || f == Feat.SVM)) {
        return new ClampedFeature(name, f, Reason.NOT_FOR_GUEST_TYPE,
            "needs nested virtualisation");
      }
      return new ClampedFeature(name, f, Reason.NOT_FOR_GUEST_TYPE, "not in " + maxName);
    }
    // In the max: a prerequisite is off.
    for (int k : t.deepFeatures().features().toArray()) {
      if (!result.contains(k) && t.deepDependents(k).contains(f)) {
        return new ClampedFeature(name, f, Reason.DEPENDENCY, "needs " + name(t, k));
      }
    }
    return new ClampedFeature(name, f, Reason.DEPENDENCY, "a prerequisite is off");
  }

  private static String name(FeatureTable t, int f) {
    Optional<Feature> ft = t.byIndex(f);
    return ft.map(Feature::name).orElse("bit " + f);
  }

  private static int minU(int a, int b) {
    return Integer.compareUnsigned(a, b) <= 0 ? a : b;
  }

  private static void field(ImmutableList.Builder<ClampedField> out, String name, int asked,
      int result, String why) {
    if (asked != result) {
      out.add(new ClampedField(name, Integer.toUnsignedLong(asked), Integer.toUnsignedLong(result),
          why));
    }
  }
}
