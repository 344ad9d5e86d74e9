package dev.xenlevelling.xc.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole x86 CPU policy, as Xen's {@code struct cpu_policy}: the CPUID leaves Xen keeps, the
 * hypervisor leaf limits and the two MSRs.
 *
 * <p>What is stored, exactly as Xen's arrays (a leaf outside them does not exist here):
 *
 * <ul>
 *   <li>basic leaves 0 to 0xd without subleaf ({@code CPUID_GUEST_NR_BASIC} = 14), except 4, 7,
 *       0xb and 0xd, which have subleaves;
 *   <li>leaf 4 subleaves 0 to 5 ({@code CPUID_GUEST_NR_CACHE} = 5 + 1);
 *   <li>leaf 7 subleaves 0 to 2 ({@code CPUID_GUEST_NR_FEAT} = 2 + 1);
 *   <li>leaf 0xb subleaves 0 and 1 ({@code CPUID_GUEST_NR_TOPO} = 1 + 1);
 *   <li>leaf 0xd subleaves 0 to 62 ({@code CPUID_GUEST_NR_XSTATE} = 62 + 1);
 *   <li>extended leaves 0x80000000 to 0x80000021 ({@code CPUID_GUEST_NR_EXTD} = 0x21 + 1);
 *   <li>{@code hv_limit} and {@code hv2_limit}, the eax of 0x40000000 and 0x40000100, each a
 *       {@code uint8_t} in Xen, so 0 to 255;
 *   <li>MSR 0xce PLATFORM_INFO (32 bits in Xen; bit 31 is cpuid_faulting) and MSR 0x10a
 *       ARCH_CAPS (64 bits).
 * </ul>
 *
 * <p>Like Xen's struct, a policy may hold data above its own max leaves; serialisation
 * ({@link #toLeaves()}) omits it and {@link #clearOutOfRangeLeaves()} zeroes it. The vendor is
 * derived from the leaf 0 registers whenever asked (Xen's {@code x86_cpu_policy_recalc_synth}).
 * Instances are immutable; change them through {@link #toBuilder()}.
 *
 * <p>This class holds the values and their accessors; the work is done beside it, one Xen file's
 * job each: {@link PolicyLayout} (the arrays and their limits), {@link PolicySerialiser} (the leaf
 * and MSR lists) and {@link FeaturesetConversion} (featureset words).
 */
public final class CpuPolicy {
  /** Basic leaves stored: 0 to 0xd ({@code CPUID_GUEST_NR_BASIC}). */
  public static final int NR_BASIC = 0xd + 1;
  /** Leaf 4 subleaves stored: 0 to 5 ({@code CPUID_GUEST_NR_CACHE}). */
  public static final int NR_CACHE = 5 + 1;
  /** Leaf 7 subleaves stored: 0 to 2 ({@code CPUID_GUEST_NR_FEAT}). */
  public static final int NR_FEAT = 2 + 1;
  /** Leaf 0xb subleaves stored: 0 and 1 ({@code CPUID_GUEST_NR_TOPO}). */
  public static final int NR_TOPO = 1 + 1;
  /** Leaf 0xd subleaves stored: 0 to 62 ({@code CPUID_GUEST_NR_XSTATE}). */
  public static final int NR_XSTATE = 62 + 1;
  /** Extended leaves stored: 0x80000000 to 0x80000021 ({@code CPUID_GUEST_NR_EXTD}). */
  public static final int NR_EXTD = 0x21 + 1;
  /** The first extended leaf. */
  public static final int EXTD_BASE = 0x80000000;
  /** The Xen hypervisor leaf whose eax is {@code hv_limit}. */
  public static final int HV_LEAF = 0x40000000;
  /** The Viridian hypervisor leaf whose eax is {@code hv2_limit}. */
  public static final int HV2_LEAF = 0x40000100;

  /**
   * The most leaves a policy serialises to and Xen accepts ({@code CPUID_MAX_SERIALISED_LEAVES}):
   * 14 basic + (6 - 1) leaf 4 + (3 - 1) leaf 7 + (2 - 1) leaf 0xb + (63 - 1) leaf 0xd + 34
   * extended + 2 hypervisor limits = 120 (each "- 1" is the basic slot a subleaf array hangs off).
   */
  public static final int MAX_SERIALISED_LEAVES =
      NR_BASIC + (NR_FEAT - 1) + (NR_CACHE - 1) + (NR_TOPO - 1) + (NR_XSTATE - 1) + NR_EXTD + 2;
  /** The most MSRs a policy serialises to and Xen accepts ({@code MSR_MAX_SERIALISED_ENTRIES}). */
  public static final int MAX_SERIALISED_MSRS = 2;

  /** Bit 31 of MSR_PLATFORM_INFO: CPUID faulting is available. */
  public static final int PLATFORM_INFO_CPUID_FAULTING = 1 << 31;

  private static final CpuPolicy EMPTY = new Builder().build();

  private final int[] regs;
  private final int hvLimit;
  private final int hv2Limit;
  private final int platformInfo;
  private final long archCaps;

  private CpuPolicy(Builder b) {
    this.regs = b.regs.clone();
    this.hvLimit = b.hvLimit;
    this.hv2Limit = b.hv2Limit;
    this.platformInfo = b.platformInfo;
    this.archCaps = b.archCaps;
  }

  /** Returns a builder of an all-zero policy. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the all-zero policy (vendor unknown, every max leaf 0). */
  public static CpuPolicy empty() {
    return EMPTY;
  }

  /** Returns a builder holding this policy's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns whether Xen's policy holds (leaf, subleaf); a leaf without subleaves takes NO_SUBLEAF. */
  public static boolean exists(int leaf, int subleaf) {
    return PolicyLayout.slot(leaf, subleaf) != PolicyLayout.NO_SLOT;
  }

  // ---------------------------------------------------------------------------------------------
  // Raw access

  /**
   * Returns leaf (leaf, subleaf) as stored, whatever the max leaves say; empty if Xen's policy has
   * no such leaf. Leaves without subleaves take {@link CpuidLeaf#NO_SUBLEAF}. The hypervisor
   * leaves read as eax = the limit, other registers zero.
   */
  public Optional<CpuidLeaf> leaf(int leaf, int subleaf) {
    int s = PolicyLayout.slot(leaf, subleaf);
    if (s == PolicyLayout.NO_SLOT) {
      return Optional.empty();
    }
    if (s == PolicyLayout.HV_SLOT) {
      return Optional.of(new CpuidLeaf(leaf, subleaf, hvLimitOf(leaf), 0, 0, 0));
    }
    return Optional.of(at(leaf, subleaf, s));
  }

  /**
   * Returns register {@code r} of (leaf, subleaf) as stored; 0 if Xen's policy has no such leaf
   * (as {@code leaf(leaf, subleaf)} mapped to the register, or 0).
   */
  public int reg(int leaf, int subleaf, Register r) {
    int s = PolicyLayout.slot(leaf, subleaf);
    if (s == PolicyLayout.NO_SLOT) {
      return 0;
    }
    if (s == PolicyLayout.HV_SLOT) {
      return r == Register.EAX ? hvLimitOf(leaf) : 0;
    }
    return regs[s * 4 + r.ordinal()];
  }

  /** Returns the limit a hypervisor leaf ({@link #HV_LEAF} or {@link #HV2_LEAF}) stores. */
  private int hvLimitOf(int leaf) {
    return leaf == HV_LEAF ? hvLimit : hv2Limit;
  }

  private int basic(int leaf, Register r) {
    return regs[leaf * 4 + r.ordinal()];
  }

  private int extd(int leaf, Register r) {
    return regs[(PolicyLayout.EXTD_SLOT + (leaf - EXTD_BASE)) * 4 + r.ordinal()];
  }

  private int xstate(int subleaf, Register r) {
    return regs[(PolicyLayout.XSTATE_SLOT + subleaf) * 4 + r.ordinal()];
  }

  // ---------------------------------------------------------------------------------------------
  // Non-feature fields (the named fields of struct cpu_policy's unions,
  // xen/include/xen/lib/x86/cpu-policy.h)

  /** Returns the vendor derived from leaf 0 ebx/ecx/edx ({@code x86_cpuid_lookup_vendor}). */
  public Vendor vendor() {
    return Vendor.lookup(basic(0, Register.EBX), basic(0, Register.ECX), basic(0, Register.EDX));
  }

  /** Returns leaf 1 eax as stored ({@code raw_fms}, type bits included). */
  public int rawFms() {
    return basic(1, Register.EAX);
  }

  /**
   * Returns the family from leaf 1 eax, as Xen's {@code x86_family}: eax[11:8], plus eax[27:20]
   * when that is 0xf.
   */
  public int family() {
    int f = (rawFms() >>> 8) & 0xf;
    return f == 0xf ? f + ((rawFms() >>> 20) & 0xff) : f;
  }

  /**
   * Returns the model from leaf 1 eax, as Xen's {@code x86_model}: eax[7:4], plus eax[19:16] &lt;&lt;
   * 4 when the base family (eax[11:8]) is 6 or more.
   */
  public int model() {
    int m = (rawFms() >>> 4) & 0xf;
    return ((rawFms() >>> 8) & 0xf) >= 6 ? m + (((rawFms() >>> 16) & 0xf) << 4) : m;
  }

  /** Returns the stepping, leaf 1 eax[3:0]. */
  public int stepping() {
    return rawFms() & 0xf;
  }

  /** Returns the basic max leaf, leaf 0 eax (unsigned; compare with {@link Integer#compareUnsigned}). */
  public int basicMaxLeaf() {
    return basic(0, Register.EAX);
  }

  /** Returns leaf 7's max subleaf, 7:0 eax. */
  public int leaf7MaxSubleaf() {
    return regs[PolicyLayout.FEAT_SLOT * 4];
  }

  /** Returns the extended max leaf, 0x80000000 eax. */
  public int extdMaxLeaf() {
    return extd(EXTD_BASE, Register.EAX);
  }

  /** Returns the hypervisor leaf limit {@code hv_limit} (0x40000000 eax), 0 to 255. */
  public int hvLimit() {
    return hvLimit;
  }

  /** Returns the Viridian leaf limit {@code hv2_limit} (0x40000100 eax), 0 to 255. */
  public int hv2Limit() {
    return hv2Limit;
  }

  /** Returns maxphysaddr, 0x80000008 eax[7:0]. */
  public int maxPhysAddr() {
    return extd(0x80000008, Register.EAX) & 0xff;
  }

  /** Returns maxlinaddr, 0x80000008 eax[15:8]. */
  public int maxLinAddr() {
    return (extd(0x80000008, Register.EAX) >>> 8) & 0xff;
  }

  /**
   * Returns the XSAVE area size for every XCR0 component the policy offers, 0xd:0 ecx (Xen's
   * {@code xstate.max_size}).
   */
  public int xstateSize() {
    return xstate(0, Register.ECX);
  }

  /** Returns the XSAVE area size for the XCR0 value currently enabled, 0xd:0 ebx. */
  public int xstateSizeEnabled() {
    return xstate(0, Register.EBX);
  }

  /** Returns the XSAVES area size for the XCR0 | XSS value currently enabled, 0xd:1 ebx. */
  public int xstateSizeCompacted() {
    return xstate(1, Register.EBX);
  }

  /** Returns the XCR0 components offered, 0xd:0 edx:eax ({@code cpu_policy_xcr0_max}). */
  public long xcr0Mask() {
    return (long) xstate(0, Register.EDX) << 32 | Integer.toUnsignedLong(xstate(0, Register.EAX));
  }

  /** Returns the XSS components offered, 0xd:1 edx:ecx. */
  public long xssMask() {
    return (long) xstate(1, Register.EDX) << 32 | Integer.toUnsignedLong(xstate(1, Register.ECX));
  }

  /** Returns every xstate component, XCR0 | XSS ({@code cpu_policy_xstates}). */
  public long xstates() {
    return xcr0Mask() | xssMask();
  }

  /** Returns MSR_PLATFORM_INFO's 32 bits. */
  public int platformInfo() {
    return platformInfo;
  }

  /** Returns whether MSR_PLATFORM_INFO offers CPUID faulting (bit 31). */
  public boolean cpuidFaulting() {
    return (platformInfo & PLATFORM_INFO_CPUID_FAULTING) != 0;
  }

  /** Returns MSR_ARCH_CAPS's 64 bits (featureset words 16 = low half, 17 = high half). */
  public long archCaps() {
    return archCaps;
  }

  // ---------------------------------------------------------------------------------------------
  // Featureset conversion

  /**
   * Returns the featureset words of the latest feature table read out of this policy, as Xen's
   * {@code x86_cpu_policy_to_featureset}.
   */
  public Featureset featureset() {
    return featureset(FeatureTable.latest());
  }

  /**
   * Returns the featureset of {@code table.nrWords()} words read out of this policy, each word from
   * the register (or MSR half) its {@link FeatureWord} names, as {@code x86_cpu_policy_to_featureset}.
   */
  public Featureset featureset(FeatureTable table) {
    return FeaturesetConversion.toFeatureset(this, table);
  }

  /**
   * Returns this policy with the latest table's featureset words replaced by {@code fs}'s, as Xen's
   * {@code x86_cpu_featureset_to_policy}; see {@link #withFeatureset(Featureset, FeatureTable)}.
   */
  public CpuPolicy withFeatureset(Featureset fs) {
    return withFeatureset(fs, FeatureTable.latest());
  }

  /**
   * Returns this policy with every featureset word of {@code table} written from {@code fs}, as
   * Xen's {@code x86_cpu_featureset_to_policy}: all of each word's register is replaced (a word
   * {@code fs} lacks is written as zero, as Xen reads FEATURESET_NR_ENTRIES words whatever the
   * caller had), words of {@code fs} past the table are ignored, and everything else is kept.
   */
  public CpuPolicy withFeatureset(Featureset fs, FeatureTable table) {
    return FeaturesetConversion.withFeatureset(this, fs, table);
  }

  // ---------------------------------------------------------------------------------------------
  // Serialisation

  /**
   * Returns the policy's CPUID leaves in the order and number {@code x86_cpuid_copy_to_buffer}
   * writes them (at most {@link #MAX_SERIALISED_LEAVES}):
   *
   * <ol>
   *   <li>basic leaves 0 to min(max leaf, 0xd), where
   *   <li>leaf 4 gives subleaves up to and including the first of cache type (eax[4:0]) 0,
   *   <li>leaf 7 subleaves 0 to min(max subleaf, 2),
   *   <li>leaf 0xb subleaves up to and including the first of level type (ecx[15:8]) 0,
   *   <li>leaf 0xd subleaves 0, 1, then 2 and up while {@link #xstates()} has a bit that high;
   *   <li>0x40000000 and 0x40000100 (eax = the limits);
   *   <li>extended leaves 0x80000000 to 0x80000000 + min(max leaf &amp; 0xffff, 0x21).
   * </ol>
   */
  public ImmutableList<CpuidLeaf> toLeaves() {
    return PolicySerialiser.toLeaves(this);
  }

  /** Returns the leaf at {@code slot} of the register array, named (leaf, subleaf). */
  CpuidLeaf at(int leaf, int subleaf, int slot) {
    int i = slot * 4;
    return new CpuidLeaf(leaf, subleaf, regs[i], regs[i + 1], regs[i + 2], regs[i + 3]);
  }

  /** Returns register {@code reg} (0 = eax .. 3 = edx) of slot {@code slot} of the register array. */
  int slotReg(int slot, int reg) {
    return regs[slot * 4 + reg];
  }

  /**
   * Returns the policy's MSRs as {@code x86_msr_copy_to_buffer} writes them: always PLATFORM_INFO
   * (0xce) then ARCH_CAPS (0x10a), flags 0.
   */
  public ImmutableList<MsrEntry> toMsrs() {
    return PolicySerialiser.toMsrs(this);
  }

  /**
   * Returns the policy made from serialised leaves and MSRs over an all-zero policy, as libxc's
   * deserialisation; see {@link #mergeLeaves} for the rules and errors.
   */
  public static CpuPolicy fromLeaves(List<CpuidLeaf> leaves, List<MsrEntry> msrs)
      throws PolicyException {
    return EMPTY.mergeLeaves(leaves, msrs);
  }

  /**
   * Returns this policy with serialised leaves and MSRs written over it, as Xen's
   * {@code x86_cpuid_copy_from_buffer} then {@code x86_msr_copy_from_buffer}: leaves not supplied
   * keep their values; a later duplicate overwrites an earlier one; no content is validated.
   * As Xen, a hypervisor leaf keeps only the low 8 bits of its eax and drops ebx..edx.
   *
   * @throws PolicyException E2BIG (no position) for more than {@link #MAX_SERIALISED_LEAVES}
   *     leaves, checked before any leaf, or more than {@link #MAX_SERIALISED_MSRS} MSRs, checked
   *     after every leaf; ERANGE naming the first leaf and subleaf Xen's policy has no room for;
   *     EINVAL naming the first MSR whose flags are not zero; ERANGE naming the first MSR other
   *     than 0xce and 0x10a; EOVERFLOW naming a PLATFORM_INFO value wider than its 32 bits
   */
  public CpuPolicy mergeLeaves(List<CpuidLeaf> leaves, List<MsrEntry> msrs)
      throws PolicyException {
    return PolicySerialiser.mergeLeaves(this, leaves, msrs);
  }

  /**
   * Returns this policy with every leaf above its max leaves zeroed, as Xen's
   * {@code x86_cpu_policy_clear_out_of_range_leaves}: basic leaves above the max leaf; leaf 4 and
   * 0xb subleaves from the first of type 0 on (all of them if the max leaf is below the leaf);
   * leaf 7 subleaves above max_subleaf; leaf 0xd subleaves above the highest xstate bit (all of
   * leaf 0xd when the max leaf is below 0xd or no xstate bit is set); extended leaves above
   * max &amp; 0xffff. The hypervisor limits and MSRs are kept.
   */
  public CpuPolicy clearOutOfRangeLeaves() {
    return PolicyLayout.clearOutOfRangeLeaves(this);
  }

  // ---------------------------------------------------------------------------------------------
  // Object

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuPolicy p && hvLimit == p.hvLimit && hv2Limit == p.hv2Limit && platformInfo == p.platformInfo
        && archCaps == p.archCaps && Arrays.equals(regs, p.regs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(regs), hvLimit, hv2Limit, platformInfo, archCaps);
  }

  /**
   * Returns a short description: vendor, family/model/stepping and the max leaves, as
   * {@code CpuPolicy{Intel 6/0x55/4, max leaf 0xd, leaf 7 max subleaf 0, extd max leaf 0x80000008}}.
   */
  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "CpuPolicy{%s %d/0x%x/%d, max leaf 0x%x, leaf 7 max subleaf %d, extd max leaf 0x%x}",
        vendor().displayName(), family(), model(), stepping(), basicMaxLeaf(),
        Integer.toUnsignedLong(leaf7MaxSubleaf()), extdMaxLeaf());
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A mutable builder of {@link CpuPolicy}. Setters refuse positions Xen's policy has no room for
   * with IllegalArgumentException (a caller bug; untrusted input goes through
   * {@link CpuPolicy#fromLeaves} or {@link CpuPolicy#mergeLeaves}, which answer as Xen does).
   */
  public static final class Builder {
    private final int[] regs;
    private int hvLimit;
    private int hv2Limit;
    private int platformInfo;
    private long archCaps;

    private Builder() {
      regs = new int[PolicyLayout.NR_SLOTS * 4];
    }

    private Builder(CpuPolicy p) {
      regs = p.regs.clone();
      hvLimit = p.hvLimit;
      hv2Limit = p.hv2Limit;
      platformInfo = p.platformInfo;
      archCaps = p.archCaps;
    }

    /**
     * Returns this builder with leaf {@code l} stored (a hypervisor leaf stores its eax, which
     * must be 0 to 255, and its other registers must be zero).
     *
     * @throws IllegalArgumentException if Xen's policy has no such leaf or subleaf
     */
    public Builder leaf(CpuidLeaf l) {
      checkNotNull(l, "leaf");
      if (PolicyLayout.checkedSlot(l.leaf(), l.subleaf()) == PolicyLayout.HV_SLOT) {
        checkArgument((l.a() & ~0xff) == 0 && l.b() == 0 && l.c() == 0 && l.d() == 0,
            "hypervisor leaf 0x%s holds only a limit of 0 to 255 in eax: %s",
            Integer.toHexString(l.leaf()), l);
      }
      put(l);
      return this;
    }

    /** Returns this builder with (leaf, subleaf) set to these four registers; see {@link #leaf(CpuidLeaf)}. */
    public Builder leaf(int leaf, int subleaf, int eax, int ebx, int ecx, int edx) {
      return leaf(new CpuidLeaf(leaf, subleaf, eax, ebx, ecx, edx));
    }

    /**
     * Returns this builder with register {@code r} of (leaf, subleaf) set to {@code value}.
     *
     * @throws IllegalArgumentException if Xen's policy has no such leaf, or for a hypervisor leaf,
     *     if the register is not eax or the value is not 0 to 255
     */
    public Builder reg(int leaf, int subleaf, Register r, int value) {
      int s = PolicyLayout.checkedSlot(leaf, subleaf);
      if (s == PolicyLayout.HV_SLOT) {
        checkArgument(r == Register.EAX ? (value & ~0xff) == 0 : value == 0,
            "hypervisor leaf 0x%s holds only a limit of 0 to 255 in eax, not %s = 0x%s",
            Integer.toHexString(leaf), r.lowerName(), Integer.toHexString(value));
        setHvLimit(leaf, value);
        return this;
      }
      regs[s * 4 + r.ordinal()] = value;
      return this;
    }

    /**
     * Returns this builder with MSR {@code m} stored.
     *
     * @throws IllegalArgumentException if Xen would refuse the entry (flags, index or width)
     */
    public Builder msr(MsrEntry m) {
      checkNotNull(m, "msr");
      Optional<PolicyException> bad = PolicySerialiser.msrProblem(m);
      if (bad.isPresent()) {
        throw new IllegalArgumentException(bad.get().getMessage());
      }
      putMsr(m);
      return this;
    }

    /** Returns this builder with leaf 0 ebx/ecx/edx set to {@code v}'s signature (zero for UNKNOWN). */
    public Builder vendor(Vendor v) {
      checkNotNull(v, "vendor");
      regs[1] = v.ebx();
      regs[2] = v.ecx();
      regs[3] = v.edx();
      return this;
    }

    /** Returns this builder with the basic max leaf (leaf 0 eax) set. */
    public Builder basicMaxLeaf(int maxLeaf) {
      regs[0] = maxLeaf;
      return this;
    }

    /** Returns this builder with leaf 7's max subleaf (7:0 eax) set. */
    public Builder leaf7MaxSubleaf(int maxSubleaf) {
      regs[PolicyLayout.FEAT_SLOT * 4] = maxSubleaf;
      return this;
    }

    /** Returns this builder with the extended max leaf (0x80000000 eax) set. */
    public Builder extdMaxLeaf(int maxLeaf) {
      regs[PolicyLayout.EXTD_SLOT * 4] = maxLeaf;
      return this;
    }

    /** Returns this builder with {@code hv_limit} (0x40000000 eax) set, 0 to 255. */
    public Builder hvLimit(int limit) {
      checkArgument(limit >= 0 && limit <= 0xff, "hv_limit (%s) must be 0 to 255", limit);
      hvLimit = limit;
      return this;
    }

    /** Returns this builder with {@code hv2_limit} (0x40000100 eax) set, 0 to 255. */
    public Builder hv2Limit(int limit) {
      checkArgument(limit >= 0 && limit <= 0xff, "hv2_limit (%s) must be 0 to 255", limit);
      hv2Limit = limit;
      return this;
    }

    /** Returns this builder with MSR_PLATFORM_INFO's 32 bits set. */
    public Builder platformInfo(int value) {
      platformInfo = value;
      return this;
    }

    /** Returns this builder with MSR_PLATFORM_INFO bit 31 (cpuid_faulting) set or cleared. */
    public Builder cpuidFaulting(boolean on) {
      platformInfo = on
          ? platformInfo | PLATFORM_INFO_CPUID_FAULTING
          : platformInfo & ~PLATFORM_INFO_CPUID_FAULTING;
      return this;
    }

    /** Returns this builder with MSR_ARCH_CAPS's 64 bits set. */
    public Builder archCaps(long value) {
      archCaps = value;
      return this;
    }

    /** Returns the policy. */
    public CpuPolicy build() {
      return new CpuPolicy(this);
    }

    /** Stores an in-range leaf as copy_from_buffer does (hypervisor leaves: uint8_t eax only). */
    void put(CpuidLeaf l) {
      int s = PolicyLayout.slot(l.leaf(), l.subleaf());
      if (s == PolicyLayout.HV_SLOT) {
        setHvLimit(l.leaf(), l.a() & 0xff);
        return;
      }
      if (s < 0) {
        throw new AssertionError(l);
      }
      int i = s * 4;
      regs[i] = l.a();
      regs[i + 1] = l.b();
      regs[i + 2] = l.c();
      regs[i + 3] = l.d();
    }

    private void setHvLimit(int leaf, int limit) {
      if (leaf == HV_LEAF) {
        hvLimit = limit;
      } else {
        hv2Limit = limit;
      }
    }

    /** Stores an MSR that {@link PolicySerialiser#msrProblem} accepted. */
    void putMsr(MsrEntry m) {
      if (m.index() == MsrEntry.PLATFORM_INFO) {
        platformInfo = (int) m.value();
      } else {
        archCaps = m.value();
      }
    }

    /** Sets the low ({@code high} false) or high half of MSR_ARCH_CAPS to {@code v}. */
    void archCapsHalf(boolean high, int v) {
      archCaps = high
          ? Integer.toUnsignedLong(v) << 32 | archCaps & 0xffffffffL
          : (archCaps >>> 32) << 32 | Integer.toUnsignedLong(v);
    }

    /** Zeroes slots {@code from} to {@code to} inclusive (nothing if from &gt; to). */
    void zero(int from, int to) {
      if (from <= to) {
        Arrays.fill(regs, from * 4, (to + 1) * 4, 0);
      }
    }
  }
}
