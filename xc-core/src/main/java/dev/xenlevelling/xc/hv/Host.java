package dev.xenlevelling.xc.hv;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.LevellingCaps;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.Physinfo;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.VirtCap;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * A booted simulated host: the CPU it booted from and, derived from it as Xen derives them at
 * boot ({@code cpu-policy.c}), the raw, host, PV max, PV default, HVM max and HVM default policies
 * and featuresets, the levelling caps and physinfo. Immutable once booted.
 *
 * <p>Deliberate deviations (not modelled): the simulated CPU has no VMX capability MSRs, so HVM
 * max does not clear rdtscp, invpcid, mpx or xsaves where real VT-x lacks the matching execution
 * control ({@code cpu_has_vmx_*} in calculate_hvm_max_policy), and EPT is inferred from the model;
 * the microcode revision is not simulated, so CLWB is not hidden from the host featureset on SKX
 * after the GDS microcode (intel.c), only re-added to max / hidden in the defaults as Xen does.
 */
public final class Host {
  private final BootConfig config;
  private final BootOptions options;
  private final FeatureTable table;
  private final EnumMap<PolicyIndex, CpuPolicy> policies = new EnumMap<>(PolicyIndex.class);
  private final EnumMap<PolicyIndex, Featureset> featuresets = new EnumMap<>(PolicyIndex.class);
  private final LevellingCaps caps;
  private final boolean hvmSupported;
  private final boolean hapSupported;
  private final boolean rtmDisabled;
  private final ImmutableList<String> warnings;
  private final Vendor vendor;
  private final int family;
  private final int model;

  private Host(BootConfig config, FeatureTable table) {
    this.config = config;
    this.table = table;
    this.options = BootOptions.parse(config.cmdline(), table);
    ImmutableList.Builder<String> warn = ImmutableList.<String>builder().addAll(options.warnings());

    CpuPolicy raw = rawPolicy(config);
    this.vendor = raw.vendor();
    this.family = raw.family();
    this.model = raw.model();
    Optional<Long> platformInfo = Optional.ofNullable(config.cpu().msrs().get(MsrEntry.PLATFORM_INFO));
    this.caps = LevellingProbe.derive(raw, platformInfo);
    raw = raw.toBuilder().cpuidFaulting(caps.faulting()).build();

    Featureset rawFs = raw.featureset(table);
    // tsx.c tsx_init(): only a CPU with TSX_CTRL or TSX_FORCE_ABORT (one that has TSX) can have
    // RTM disabled. opt_tsx defaults to -1 (enabled); when RTM_ALWAYS_ABORT is enumerated Xen
    // follows the microcode and picks 0 (disabled) on a TSX_CTRL part with SRBDS_CTRL (Feb 2022
    // microcode) or on a TSX_FORCE_ABORT part (June 2021 microcode; our TSX-removing microcode);
    // an explicit tsx= wins. rtm_disabled = !(opt_tsx & 1). Not modelled: MCU_OPT_CTRL's
    // RTM_ALLOW/RTM_LOCKED (SGX locking TSX off), and spec_ctrl.c's TAA heuristics.
    boolean canDisableTsx = rawFs.contains(Feat.TSX_CTRL) || rawFs.contains(Feat.TSX_FORCE_ABORT);
    boolean rtmAlwaysAbort = rawFs.contains(Feat.RTM_ALWAYS_ABORT);
    if (options.tsx().isPresent() && !canDisableTsx) {
      warn.add("TSX controls not available - Ignoring tsx= setting");
    }
    boolean ucodeDisablesTsx = rtmAlwaysAbort && (rawFs.contains(Feat.TSX_FORCE_ABORT)
        || (rawFs.contains(Feat.TSX_CTRL) && rawFs.contains(Feat.n("srbds-ctrl"))));
    boolean tsxOn = options.tsx().orElse(!ucodeDisablesTsx);
    this.rtmDisabled = canDisableTsx && !tsxOn;

    boolean lfenceSynth = Policies.isAmdLike(vendor) && family < 0x19
        && !rawFs.contains(Feat.LFENCE_DISPATCH);
    Featureset hostFs = hostFeatureset(rawFs, lfenceSynth, canDisableTsx, rtmAlwaysAbort);
    CpuPolicy host = hostPolicy(raw, hostFs, lfenceSynth);

    this.hvmSupported = options.hvm() && (Policies.isAmdLike(vendor)
        ? rawFs.contains(Feat.SVM) : rawFs.contains(Feat.VMX));
    this.hapSupported = hvmSupported && options.hap() && hardwareHap(raw);
    this.warnings = warn.build();

    put(PolicyIndex.RAW, raw);
    put(PolicyIndex.HOST, host);
    CpuPolicy pvMax = pvMax(host, hostFs, rawFs);
    put(PolicyIndex.PV_MAX, pvMax);
    put(PolicyIndex.PV_DEFAULT, pvDef(pvMax, host, hostFs));
    CpuPolicy hvmMax = hvmMax(host, hostFs, rawFs);
    put(PolicyIndex.HVM_MAX, hvmMax);
    put(PolicyIndex.HVM_DEFAULT, hvmDef(hvmMax, host, hostFs));
  }

  /**
   * Returns the host featureset ({@code boot_cpu_data.x86_capability}): the raw one less what
   * Xen clears on AMD ({@code amd.c}), with LFENCE_DISPATCH synthesised before Zen3
   * ({@code lfenceSynth}), cut to the known features, plus what tsx_init() and
   * {@code cpuid=rdrand} force, less {@code cpuid=no-...} and its deep dependents.
   */
  private Featureset hostFeatureset(Featureset rawFs, boolean lfenceSynth, boolean canDisableTsx,
      boolean rtmAlwaysAbort) {
    Featureset hostFs = rawFs;
    if (Policies.isAmdLike(vendor)) {
      // amd.c: SYSENTER is not usable in long mode, so Xen (always 64-bit) clears SEP.
      hostFs = hostFs.without(Feat.SEP);
      if ((family == 0x15 || family == 0x16) && !options.forceRdrand()) {
        hostFs = hostFs.without(Feat.RDRAND);
      }
      // amd_init_lfence(): before Zen3 Xen makes LFENCE dispatch-serialising and says so.
      if (lfenceSynth) {
        hostFs = hostFs.with(Feat.LFENCE_DISPATCH);
      }
    }
    hostFs = hostFs.and(table.mask(StaticMask.KNOWN)).withLength(table.nrWords());
    // tsx_init(): setup_force_cpu_cap(RTM_ALWAYS_ABORT) when enumerated, and HLE and RTM forced
    // into Xen's view wherever TSX_CTRL or TSX_FORCE_ABORT exist (even with CPUID_CLEAR hiding
    // them from CPUID), meaning "TSX infrastructure available". Forced caps are OR-ed in before
    // the cleared ones are removed, so cpuid=no-rtm / no-hle still wins (Xen commit 1f27fc448bc6:
    // "clear takes precedence"). Through the host featureset they reach the max policies, which
    // is how VMs that saw TSX can still migrate in; the default policies drop RTM (below).
    if (rtmAlwaysAbort) {
      hostFs = hostFs.with(Feat.RTM_ALWAYS_ABORT);
    }
    if (canDisableTsx) {
      hostFs = hostFs.with(Feat.HLE).with(Feat.RTM);
    }
    if (options.forceRdrand() && rawFs.contains(Feat.RDRAND)) {
      hostFs = hostFs.with(Feat.RDRAND);
    }
    for (String name : options.cleared()) {
      int f = Feat.n(name);
      hostFs = hostFs.without(f).andNot(table.deepDependents(f));
    }
    return hostFs;
  }

  /** Returns the host policy: the raw one clamped to Xen's limits, over {@code hostFs}. */
  private CpuPolicy hostPolicy(CpuPolicy raw, Featureset hostFs, boolean lfenceSynth) {
    CpuPolicy.Builder hb = raw.toBuilder();
    clampMax(hb, raw, Policies.BASIC_LIMIT, Policies.FEAT_SUBLEAF_LIMIT, Policies.EXTD_LIMIT);
    if (lfenceSynth && Integer.compareUnsigned(raw.extdMaxLeaf(), Policies.EXTD_LIMIT) < 0) {
      hb.extdMaxLeaf(Policies.EXTD_LIMIT);
    }
    hb.leaf(0xa, CpuidLeaf.NO_SUBLEAF, 0, 0, 0, 0); // vPMU is off by default: leaf 0xa emptied.
    return Xstate.recalculate(hb.build().withFeatureset(hostFs, table)
        .clearOutOfRangeLeaves(), raw);
  }

  /** Returns the host booted from {@code config}, with the latest Xen's feature table. */
  public static Host boot(BootConfig config) {
    return new Host(config, FeatureTable.latest());
  }

  private void put(PolicyIndex i, CpuPolicy p) {
    policies.put(i, p);
    featuresets.put(i, p.featureset(table));
  }

  /**
   * The raw policy: the CPU's leaves in Xen's arrays, with the microcode change applied, OSXSAVE
   * and OSPKE cleared and the xstate ebx fields zeroed (as latest Xen). The hypervisor leaves of a
   * source read inside a VM are not the CPU's and are dropped.
   */
  private CpuPolicy rawPolicy(BootConfig config) {
    CpuPolicy.Builder b = CpuPolicy.builder();
    for (CpuidLeaf l : config.cpu().leaves()) {
      int leaf = l.leaf();
      boolean sub = Policies.hasSubleaves(leaf);
      if (!sub && l.subleaf() != 0 && l.subleaf() != CpuidLeaf.NO_SUBLEAF) {
        continue; // a subleaf of a leaf Xen stores only once (0x8000001d:1 ...)
      }
      int subleaf = Policies.sub(leaf, l.subleaf());
      if (leaf != CpuPolicy.HV_LEAF && leaf != CpuPolicy.HV2_LEAF
          && CpuPolicy.exists(leaf, subleaf)) {
        b.leaf(leaf, subleaf, l.a(), l.b(), l.c(), l.d());
      }
    }
    CpuPolicy raw = b.build();
    Long archCaps = config.cpu().msrs().get(MsrEntry.ARCH_CAPS);
    b.archCaps(archCaps != null && raw.featureset(table).contains(Feat.ARCH_CAPS) ? archCaps : 0);
    Policies.setReg(b, 1, 0, Register.ECX,
        Policies.reg(raw, 1, 0, Register.ECX) & ~(1 << (Feat.OSXSAVE & 31)));
    Policies.setReg(b, 7, 0, Register.ECX,
        Policies.reg(raw, 7, 0, Register.ECX) & ~(1 << (Feat.OSPKE & 31)));
    b.reg(0xd, 0, Register.EBX, 0);
    b.reg(0xd, 1, Register.EBX, 0);
    raw = b.build();
    if (config.microcode() == Microcode.TSX_OFF && raw.vendor() == Vendor.INTEL) {
      Featureset fs = raw.featureset(table);
      if (fs.contains(Feat.HLE) || fs.contains(Feat.RTM)) {
        raw = raw.withFeatureset(fs.without(Feat.HLE).without(Feat.RTM)
            .with(Feat.RTM_ALWAYS_ABORT).with(Feat.TSX_FORCE_ABORT), table);
      }
    }
    if (config.microcode() == Microcode.TSX_HIDDEN && raw.vendor() == Vendor.INTEL) {
      Featureset fs = raw.featureset(table);
      raw = raw.withFeatureset(fs.without(Feat.HLE).without(Feat.RTM), table);
    }
    return raw.clearOutOfRangeLeaves();
  }

  /** Returns whether the CPU has EPT (Intel, inferred from the model) or NPT (AMD, 0x8000000a). */
  private boolean hardwareHap(CpuPolicy raw) {
    if (Policies.isAmdLike(vendor)) {
      return Integer.compareUnsigned(raw.extdMaxLeaf(), 0x8000000a) >= 0
          && Policies.bit(raw, 0x8000000a, 0, Register.EDX, 0);
    }
    // Deviation: EPT is a VMX capability MSR, not CPUID; we infer it: Nehalem (family 6 model
    // 0x1a) and later have it, except the in-order Atoms (Bonnell/Saltwell).
    if (family != 6) {
      return false;
    }
    switch (model) {
      case 0x1c: case 0x26: case 0x27: case 0x35: case 0x36:
        return false;
      default:
        return model >= 0x1a;
    }
  }

  private static void clampMax(CpuPolicy.Builder b, CpuPolicy p, int basic, int feat, int extd) {
    if (Integer.compareUnsigned(p.basicMaxLeaf(), basic) > 0) {
      b.basicMaxLeaf(basic);
    }
    if (Integer.compareUnsigned(p.leaf7MaxSubleaf(), feat) > 0) {
      b.leaf7MaxSubleaf(feat);
    }
    if (Integer.compareUnsigned(p.extdMaxLeaf(), extd) > 0) {
      b.extdMaxLeaf(extd);
    }
  }

  /** Latest Xen (4.20+): the max policies use the array limits as their max leaves. */
  private static CpuPolicy raiseMaxLeaves(CpuPolicy p) {
    return p.toBuilder().basicMaxLeaf(Policies.BASIC_LIMIT)
        .leaf7MaxSubleaf(Policies.FEAT_SUBLEAF_LIMIT).extdMaxLeaf(Policies.EXTD_LIMIT).build();
  }

  private static CpuPolicy resetMaxLeaves(CpuPolicy p, CpuPolicy host) {
    return p.toBuilder().basicMaxLeaf(host.basicMaxLeaf())
        .leaf7MaxSubleaf(host.leaf7MaxSubleaf()).extdMaxLeaf(host.extdMaxLeaf()).build()
        .clearOutOfRangeLeaves();
  }

  private Featureset maxAdjustments(Featureset fs, Featureset rawFs) {
    if (vendor == Vendor.INTEL) {
      fs = fs.with(Feat.ARCH_CAPS).with(Feat.RSBA).with(Feat.RRSBA).with(Feat.MD_CLEAR)
          .with(Feat.FB_CLEAR).with(Feat.RFDS_CLEAR);
      if (family == 6 && model == 0x55 && rawFs.contains(Feat.CLWB)) {
        fs = fs.with(Feat.CLWB);
      }
    } else if (Policies.isAmdLike(vendor)) {
      fs = fs.with(Feat.VERW_CLEAR);
    }
    // guest_common_max_feature_adjustments(): no HLE/RTM of its own (they come from the host
    // featureset, see tsx_init above); "if RTM-capable, we can run a VM which has seen
    // RTM_ALWAYS_ABORT", for every vendor.
    if (fs.contains(Feat.RTM)) {
      fs = fs.with(Feat.RTM_ALWAYS_ABORT);
    }
    return fs.with(Feat.HTT).with(Feat.CMP_LEGACY).with(Feat.ERMS);
  }

  private static Featureset commonAdjustments(Featureset fs, Featureset hostFs) {
    fs = fs.with(Feat.HYPERVISOR);
    if (fs.contains(Feat.IBRSB)) {
      fs = fs.with(Feat.STIBP);
    }
    if (fs.contains(Feat.IBRS)) {
      fs = fs.with(Feat.AMD_STIBP);
    }
    if (hostFs.contains(Feat.IBRSB)) {
      fs = fs.with(Feat.IBPB);
    }
    return fs;
  }

  private Featureset defaultAdjustments(Featureset fs, Featureset hostFs) {
    if (vendor == Vendor.INTEL) {
      if (family == 6 && model == 0x3a && hostFs.contains(Feat.RDRAND) && !options.forceRdrand()) {
        fs = fs.without(Feat.RDRAND); // SRBDS on IvyBridge client
      }
      for (int f : new int[] {Feat.MD_CLEAR, Feat.FB_CLEAR, Feat.RFDS_CLEAR}) {
        if (!hostFs.contains(f)) {
          fs = fs.without(f);
        }
      }
      if (family == 6 && model == 0x55) {
        fs = fs.without(Feat.CLWB);
      }
    } else if (Policies.isAmdLike(vendor) && !hostFs.contains(Feat.VERW_CLEAR)) {
      fs = fs.without(Feat.VERW_CLEAR);
    }
    for (int f : new int[] {Feat.HTT, Feat.CMP_LEGACY, Feat.ERMS}) {
      fs = hostFs.contains(f) ? fs.with(f) : fs.without(f);
    }
    // guest_common_default_feature_adjustments(): RTM that won't work is not advertised by
    // default; RTM_ALWAYS_ABORT says XBEGIN is safe. (HLE is 'a': never in a default mask.)
    if (rtmDisabled) {
      fs = fs.without(Feat.RTM).with(Feat.RTM_ALWAYS_ABORT);
    }
    return fs;
  }

  private static Featureset rsbaRule(Featureset fs, Featureset hostFs) {
    if (fs.contains(Feat.ARCH_CAPS)
        && (hostFs.contains(Feat.RSBA) || hostFs.contains(Feat.RRSBA))) {
      fs = fs.with(fs.contains(Feat.EIBRS) ? Feat.RRSBA : Feat.RSBA);
    }
    return fs;
  }

  private CpuPolicy pvMax(CpuPolicy host, Featureset hostFs, Featureset rawFs) {
    Featureset fs = hostFs.and(table.mask(StaticMask.PV_MAX));
    fs = fs.with(Feat.X2APIC);
    fs = fs.without(Feat.SRSO_US_NO);
    fs = commonAdjustments(maxAdjustments(fs, rawFs), hostFs);
    fs = table.sanitise(fs);
    return Xstate.recalculate(raiseMaxLeaves(host).toBuilder()
        .leaf(0x8000000a, CpuidLeaf.NO_SUBLEAF, 0, 0, 0, 0).build()
        .withFeatureset(fs, table), policies.get(PolicyIndex.RAW));
  }

  private CpuPolicy pvDef(CpuPolicy pvMax, CpuPolicy host, Featureset hostFs) {
    CpuPolicy p = resetMaxLeaves(pvMax, host);
    Featureset fs = p.featureset(table).and(table.mask(StaticMask.PV_DEF));
    fs = defaultAdjustments(commonAdjustments(fs, hostFs), hostFs);
    fs = rsbaRule(table.sanitise(fs), hostFs);
    return Xstate.recalculate(p.withFeatureset(fs, table), policies.get(PolicyIndex.RAW));
  }

  /** SVM leaf 0x8000000a edx: NPT (0), LBRV (1), NRIPS (3), DECODEASSISTS (7), PAUSEFILTER (10). */
  static final int SVM_MAX_HW_FEATURES = (1 << 0) | (1 << 1) | (1 << 3) | (1 << 7) | (1 << 10);
  /** SVM leaf 0x8000000a edx: VMCBCLEAN (5), always emulated for nested guests. */
  static final int SVM_FEATURE_VMCBCLEAN = 1 << 5;

  /**
   * Returns Xen's {@code amd_virt_spec_ctrl} (spec_ctrl.c): on AMD/Hygon without SPEC_CTRL.SSBD,
   * Xen offers VIRT_SPEC_CTRL.SSBD to HVM guests when the hardware has VIRT_SSBD or when the
   * legacy LS_CFG mechanism works (amd.c: families 0x15 to 0x18, where
   * {@code amd_setup_legacy_ssbd()} succeeds).
   */
  private boolean amdVirtSpecCtrl(Featureset hostFs) {
    boolean legacySsbd = family >= 0x15 && family <= 0x18;
    return Policies.isAmdLike(vendor) && !hostFs.contains(Feat.AMD_SSBD)
        && (hostFs.contains(Feat.VIRT_SSBD) || legacySsbd);
  }

  private CpuPolicy hvmMax(CpuPolicy host, Featureset hostFs, Featureset rawFs) {
    if (!hvmSupported) {
      return CpuPolicy.empty();
    }
    Featureset fs = hostFs.and(table.mask(hapSupported ? StaticMask.HVM_HAP_MAX
        : StaticMask.HVM_SHADOW_MAX));
    fs = fs.with(Feat.APIC).with(Feat.X2APIC).with(Feat.NO_LMSL);
    if (Policies.isAmdLike(vendor)) {
      if (rawFs.contains(Feat.SEP)) {
        fs = fs.with(Feat.SEP);
      }
      // amd_virt_spec_ctrl, else (SC_MSR_HVM assumed) SPEC_CTRL.SSBD implements VIRT_SSBD.
      if (amdVirtSpecCtrl(hostFs) || hostFs.contains(Feat.AMD_SSBD)) {
        fs = fs.with(Feat.VIRT_SSBD);
      }
      fs = fs.without(Feat.PKS);
    }
    CpuPolicy.Builder b = raiseMaxLeaves(host).toBuilder().cpuidFaulting(true);
    if (host.featureset(table).contains(Feat.SVM)) {
      // Clamp the SVM leaf to what Xen implements with hardware support (NPT, LBRV, NRIPS,
      // DECODEASSISTS, PAUSEFILTER) and add what it always emulates (VMCBCLEAN).
      int edx = Policies.reg(host, 0x8000000a, CpuidLeaf.NO_SUBLEAF, Register.EDX);
      Policies.setReg(b, 0x8000000a, CpuidLeaf.NO_SUBLEAF, Register.EDX,
          (edx & SVM_MAX_HW_FEATURES) | SVM_FEATURE_VMCBCLEAN);
    }
    fs = commonAdjustments(maxAdjustments(fs, rawFs), hostFs);
    fs = table.sanitise(fs);
    return Xstate.recalculate(b.build().withFeatureset(fs, table), policies.get(PolicyIndex.RAW));
  }

  private CpuPolicy hvmDef(CpuPolicy hvmMax, CpuPolicy host, Featureset hostFs) {
    if (!hvmSupported) {
      return CpuPolicy.empty();
    }
    CpuPolicy p = resetMaxLeaves(hvmMax, host);
    Featureset fs = p.featureset(table).and(table.mask(hapSupported ? StaticMask.HVM_HAP_DEF
        : StaticMask.HVM_SHADOW_DEF));
    fs = defaultAdjustments(commonAdjustments(fs, hostFs), hostFs);
    if (amdVirtSpecCtrl(hostFs)) {
      fs = fs.with(Feat.VIRT_SSBD);
    }
    fs = rsbaRule(table.sanitise(fs), hostFs);
    return Xstate.recalculate(p.withFeatureset(fs, table), policies.get(PolicyIndex.RAW));
  }

  /** Returns what the host booted from. */
  public BootConfig config() {
    return config;
  }

  /** Returns the parsed Xen command line. */
  public BootOptions options() {
    return options;
  }

  /** Returns what Xen would have logged about the boot options, one line each. */
  public ImmutableList<String> warnings() {
    return warnings;
  }

  /** Returns the feature table the host was booted with. */
  public FeatureTable table() {
    return table;
  }

  /** Returns the featureset of system policy {@code index} (whether compiled out or not). */
  public Featureset featureset(PolicyIndex index) {
    return featuresets.get(index);
  }

  /** Returns system policy {@code index} (whether compiled out or not). */
  public CpuPolicy policy(PolicyIndex index) {
    return policies.get(index);
  }

  /** Returns the levelling caps. */
  public LevellingCaps levellingCaps() {
    return caps;
  }

  /** Returns whether HVM guests can run (built in, and the CPU has VT-x or SVM). */
  public boolean hvmSupported() {
    return hvmSupported;
  }

  /** Returns whether HAP is in use (hardware EPT/NPT and not {@code hap=0}). */
  public boolean hapSupported() {
    return hapSupported;
  }

  /** Returns whether Xen runs with RTM disabled (TSX-removing microcode or {@code tsx=0}). */
  public boolean rtmDisabled() {
    return rtmDisabled;
  }

  /** Returns the vendor name as leaf 0 spells it ({@code GenuineIntel}). */
  public String vendorString() {
    CpuPolicy raw = policies.get(PolicyIndex.RAW);
    StringBuilder sb = new StringBuilder();
    for (int r : new int[] {Policies.reg(raw, 0, 0, Register.EBX),
        Policies.reg(raw, 0, 0, Register.EDX), Policies.reg(raw, 0, 0, Register.ECX)}) {
      for (int i = 0; i < 4; i++) {
        sb.append((char) ((r >>> (8 * i)) & 0xff));
      }
    }
    return sb.toString();
  }

  /** Returns the CPU family (with the extended family). */
  public int family() {
    return family;
  }

  /** Returns the CPU model (with the extended model). */
  public int model() {
    return model;
  }

  /** Returns the CPU stepping. */
  public int stepping() {
    return policies.get(PolicyIndex.RAW).stepping();
  }

  /** Returns the CPU vendor. */
  public Vendor vendor() {
    return vendor;
  }

  /** Returns physinfo's levelling-related fields. */
  public Physinfo physinfo() {
    EnumSet<VirtCap> vc = EnumSet.noneOf(VirtCap.class);
    if (options.pv()) {
      vc.add(VirtCap.PV);
    }
    if (hvmSupported) {
      vc.add(VirtCap.HVM);
    }
    if (hapSupported) {
      vc.add(VirtCap.HAP);
    }
    vc.add(VirtCap.SHADOW);
    vc.add(VirtCap.GNTTAB_V1);
    vc.add(VirtCap.GNTTAB_V2);
    return new Physinfo(featuresets.get(PolicyIndex.HOST).withLength(8), ImmutableSet.copyOf(vc),
        policies.get(PolicyIndex.HOST).maxPhysAddr());
  }

  /** Returns every system featureset, by featureset index (for show and tests). */
  public Map<FeaturesetIndex, Featureset> featuresets() {
    EnumMap<FeaturesetIndex, Featureset> m = new EnumMap<>(FeaturesetIndex.class);
    for (FeaturesetIndex i : FeaturesetIndex.values()) {
      m.put(i, featuresets.get(i.policy()));
    }
    return m;
  }
}
