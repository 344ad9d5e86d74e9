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

  // Slot layout of the flat register array: 4 ints per slot, eax ebx ecx edx.
  private static final int CACHE_SLOT = NR_BASIC;
  private static final int FEAT_SLOT = CACHE_SLOT + NR_CACHE;
  private static final int TOPO_SLOT = FEAT_SLOT + NR_FEAT;
  private static final int XSTATE_SLOT = TOPO_SLOT + NR_TOPO;
  private static final int EXTD_SLOT = XSTATE_SLOT + NR_XSTATE;
  private static final int NR_SLOTS = EXTD_SLOT + NR_EXTD;

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

  // ---------------------------------------------------------------------------------------------
  // Layout

  /**
   * Returns the slot of (leaf, subleaf), or -1 where Xen's {@code x86_cpuid_copy_from_buffer}
   * would answer ERANGE. The hypervisor leaves have no slot (they are single bytes) and answer -2.
   */
  static int slot(int leaf, int subleaf) {
    if (leaf >= 0 && leaf < NR_BASIC) {
      switch (leaf) {
        case 0x4:
          return below(subleaf, NR_CACHE) ? CACHE_SLOT + subleaf : -1;
        case 0x7:
          return below(subleaf, NR_FEAT) ? FEAT_SLOT + subleaf : -1;
        case 0xb:
          return below(subleaf, NR_TOPO) ? TOPO_SLOT + subleaf : -1;
        case 0xd:
          return below(subleaf, NR_XSTATE) ? XSTATE_SLOT + subleaf : -1;
        default:
          return subleaf == CpuidLeaf.NO_SUBLEAF ? leaf : -1;
      }
    }
    if (leaf == HV_LEAF || leaf == HV2_LEAF) {
      return subleaf == CpuidLeaf.NO_SUBLEAF ? -2 : -1;
    }
    int e = leaf - EXTD_BASE;
    if (e >= 0 && e < NR_EXTD) {
      return subleaf == CpuidLeaf.NO_SUBLEAF ? EXTD_SLOT + e : -1;
    }
    return -1;
  }

  /** Returns whether {@code v}, read as unsigned, is below {@code n}. */
  private static boolean below(int v, int n) {
    return v >= 0 && v < n;
  }

  /** Returns whether Xen's policy holds (leaf, subleaf); a leaf without subleaves takes NO_SUBLEAF. */
  public static boolean exists(int leaf, int subleaf) {
    return slot(leaf, subleaf) != -1;
  }

  /**
   * Returns why (leaf, subleaf) is not in Xen's policy, in words naming both in hex, or empty if it
   * is.
   */
  static Optional<String> whyOutOfRange(int leaf, int subleaf) {
    if (exists(leaf, subleaf)) {
      return Optional.empty();
    }
    String where = String.format(Locale.ROOT, "leaf 0x%08x subleaf 0x%08x", leaf, subleaf);
    int limit;
    switch (leaf) {
      case 0x4: limit = NR_CACHE - 1; break;
      case 0x7: limit = NR_FEAT - 1; break;
      case 0xb: limit = NR_TOPO - 1; break;
      case 0xd: limit = NR_XSTATE - 1; break;
      default: limit = -1; break;
    }
    if (limit >= 0) {
      return Optional.of(String.format(Locale.ROOT,
          "%s is out of range: Xen keeps subleaves 0x0 to 0x%x of leaf 0x%x", where, limit, leaf));
    }
    boolean known = (leaf >= 0 && leaf < NR_BASIC) || leaf == HV_LEAF || leaf == HV2_LEAF
        || (leaf - EXTD_BASE >= 0 && leaf - EXTD_BASE < NR_EXTD);
    if (known) {
      return Optional.of(where + " is out of range: leaf 0x"
          + Integer.toHexString(leaf) + " has no subleaves (subleaf must be 0xffffffff)");
    }
    return Optional.of(where + " is out of range: Xen keeps basic leaves 0x0 to 0xd, 0x40000000,"
        + " 0x40000100 and extended leaves 0x80000000 to 0x80000021");
  }

  // ---------------------------------------------------------------------------------------------
  // Raw access

  /**
   * Returns leaf (leaf, subleaf) as stored, whatever the max leaves say; empty if Xen's policy has
   * no such leaf. Leaves without subleaves take {@link CpuidLeaf#NO_SUBLEAF}. The hypervisor
   * leaves read as eax = the limit, other registers zero.
   */
  public Optional<CpuidLeaf> leaf(int leaf, int subleaf) {
    int s = slot(leaf, subleaf);
    if (s == -1) {
      return Optional.empty();
    }
    if (s == -2) {
      return Optional.of(new CpuidLeaf(leaf, subleaf, leaf == HV_LEAF ? hvLimit : hv2Limit, 0, 0, 0));
    }
    int i = s * 4;
    return Optional.of(new CpuidLeaf(leaf, subleaf, regs[i], regs[i + 1], regs[i + 2], regs[i + 3]));
  }

  /**
   * Returns register {@code r} of (leaf, subleaf) as stored; 0 if Xen's policy has no such leaf
   * (as {@code leaf(leaf, subleaf)} mapped to the register, or 0).
   */
  public int reg(int leaf, int subleaf, Register r) {
    int s = slot(leaf, subleaf);
    if (s == -1) {
      return 0;
    }
    if (s == -2) {
      return r == Register.EAX ? (leaf == HV_LEAF ? hvLimit : hv2Limit) : 0;
    }
    return regs[s * 4 + r.ordinal()];
  }

  private int basic(int leaf, Register r) {
    return regs[leaf * 4 + r.ordinal()];
  }

  private int extd(int leaf, Register r) {
    return regs[(EXTD_SLOT + (leaf - EXTD_BASE)) * 4 + r.ordinal()];
  }

  private int xstate(int subleaf, Register r) {
    return regs[(XSTATE_SLOT + subleaf) * 4 + r.ordinal()];
  }

  // ---------------------------------------------------------------------------------------------
  // Non-feature fields (XEN-FACTS section j)

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
    return family(rawFms());
  }

  /**
   * Returns the model from leaf 1 eax, as Xen's {@code x86_model}: eax[7:4], plus eax[19:16] &lt;&lt;
   * 4 when the base family (eax[11:8]) is 6 or more.
   */
  public int model() {
    return model(rawFms());
  }

  /** Returns the stepping, leaf 1 eax[3:0]. */
  public int stepping() {
    return rawFms() & 0xf;
  }

  static int family(int fms) {
    int f = (fms >>> 8) & 0xf;
    return f == 0xf ? f + ((fms >>> 20) & 0xff) : f;
  }

  static int model(int fms) {
    int m = (fms >>> 4) & 0xf;
    return ((fms >>> 8) & 0xf) >= 6 ? m + (((fms >>> 16) & 0xf) << 4) : m;
  }

  /** Returns the basic max leaf, leaf 0 eax (unsigned; compare with {@link Integer#compareUnsigned}). */
  public int basicMaxLeaf() {
    return basic(0, Register.EAX);
  }

  /** Returns leaf 7's max subleaf, 7:0 eax. */
  public int leaf7MaxSubleaf() {
    return regs[FEAT_SLOT * 4];
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
    ImmutableList<FeatureWord> words = table.words();
    int[] fs = new int[words.size()];
    for (int i = 0; i < fs.length; i++) {
      fs[i] = wordValue(words.get(i));
    }
    return Featureset.wrap(fs);
  }

  private int wordValue(FeatureWord w) {
    if (w.msr()) {
      return msrHalf(w);
    }
    return reg(w.leaf(), w.subleaf().orElse(CpuidLeaf.NO_SUBLEAF), w.register());
  }

  private int msrHalf(FeatureWord w) {
    checkArchCaps(w);
    return w.register() == Register.EAX ? (int) archCaps : (int) (archCaps >>> 32);
  }

  /** Checks that an MSR featureset word is a half of ARCH_CAPS, the only MSR words Xen has. */
  private static void checkArchCaps(FeatureWord w) {
    checkArgument(w.leaf() == MsrEntry.ARCH_CAPS, "featureset word %s names MSR 0x%s, not ARCH_CAPS",
        w.index(), Integer.toHexString(w.leaf()));
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
    Builder b = toBuilder();
    for (FeatureWord w : table.words()) {
      int v = fs.word(w.index());
      if (w.msr()) {
        checkArchCaps(w);
        long lo = w.register() == Register.EAX ? Integer.toUnsignedLong(v) : b.archCaps & 0xffffffffL;
        long hi = w.register() == Register.EAX ? b.archCaps >>> 32 : Integer.toUnsignedLong(v);
        b.archCaps = hi << 32 | lo;
      } else {
        b.reg(w.leaf(), w.subleaf().orElse(CpuidLeaf.NO_SUBLEAF), w.register(), v);
      }
    }
    return b.build();
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
    ImmutableList.Builder<CpuidLeaf> out = ImmutableList.builder();
    int maxBasic = (int) Math.min(Integer.toUnsignedLong(basicMaxLeaf()), NR_BASIC - 1);
    for (int leaf = 0; leaf <= maxBasic; leaf++) {
      switch (leaf) {
        case 0x4:
          for (int s = 0; s < NR_CACHE; s++) {
            out.add(at(leaf, s, CACHE_SLOT + s));
            if ((regs[(CACHE_SLOT + s) * 4] & 0x1f) == 0) {
              break;
            }
          }
          break;
        case 0x7:
          int maxSub = (int) Math.min(Integer.toUnsignedLong(leaf7MaxSubleaf()), NR_FEAT - 1);
          for (int s = 0; s <= maxSub; s++) {
            out.add(at(leaf, s, FEAT_SLOT + s));
          }
          break;
        case 0xb:
          for (int s = 0; s < NR_TOPO; s++) {
            out.add(at(leaf, s, TOPO_SLOT + s));
            if (((regs[(TOPO_SLOT + s) * 4 + 2] >>> 8) & 0xff) == 0) {
              break;
            }
          }
          break;
        case 0xd:
          out.add(at(leaf, 0, XSTATE_SLOT));
          out.add(at(leaf, 1, XSTATE_SLOT + 1));
          long xs = xstates() >>> 2;
          for (int s = 2; xs != 0 && s < NR_XSTATE; xs >>>= 1, s++) {
            out.add(at(leaf, s, XSTATE_SLOT + s));
          }
          break;
        default:
          out.add(at(leaf, CpuidLeaf.NO_SUBLEAF, leaf));
          break;
      }
    }
    out.add(new CpuidLeaf(HV_LEAF, CpuidLeaf.NO_SUBLEAF, hvLimit, 0, 0, 0));
    out.add(new CpuidLeaf(HV2_LEAF, CpuidLeaf.NO_SUBLEAF, hv2Limit, 0, 0, 0));
    int maxExtd = Math.min(extdMaxLeaf() & 0xffff, NR_EXTD - 1);
    for (int e = 0; e <= maxExtd; e++) {
      out.add(at(EXTD_BASE | e, CpuidLeaf.NO_SUBLEAF, EXTD_SLOT + e));
    }
    return out.build();
  }

  private CpuidLeaf at(int leaf, int subleaf, int slot) {
    int i = slot * 4;
    return new CpuidLeaf(leaf, subleaf, regs[i], regs[i + 1], regs[i + 2], regs[i + 3]);
  }

  /**
   * Returns the policy's MSRs as {@code x86_msr_copy_to_buffer} writes them: always PLATFORM_INFO
   * (0xce) then ARCH_CAPS (0x10a), flags 0.
   */
  public ImmutableList<MsrEntry> toMsrs() {
    return ImmutableList.of(
        new MsrEntry(MsrEntry.PLATFORM_INFO, 0, Integer.toUnsignedLong(platformInfo)),
        new MsrEntry(MsrEntry.ARCH_CAPS, 0, archCaps));
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
    checkNotNull(leaves, "leaves");
    checkNotNull(msrs, "msrs");
    if (leaves.size() > MAX_SERIALISED_LEAVES) {
      throw new PolicyException(Errno.E2BIG, PolicyError.UNKNOWN, String.format(Locale.ROOT,
          "%d CPUID leaves is more than Xen accepts (%d, CPUID_MAX_SERIALISED_LEAVES)",
          leaves.size(), MAX_SERIALISED_LEAVES));
    }
    Builder b = toBuilder();
    for (CpuidLeaf l : leaves) {
      checkNotNull(l, "leaf");
      Optional<String> why = whyOutOfRange(l.leaf(), l.subleaf());
      if (why.isPresent()) {
        throw new PolicyException(Errno.ERANGE, PolicyError.leaf(l.leaf(), l.subleaf()), why.get());
      }
      b.put(l);
    }
    if (msrs.size() > MAX_SERIALISED_MSRS) {
      throw new PolicyException(Errno.E2BIG, PolicyError.UNKNOWN, String.format(Locale.ROOT,
          "%d MSRs is more than Xen accepts (%d, MSR_MAX_SERIALISED_ENTRIES)",
          msrs.size(), MAX_SERIALISED_MSRS));
    }
    for (MsrEntry m : msrs) {
      checkNotNull(m, "msr");
      Optional<PolicyException> bad = msrProblem(m);
      if (bad.isPresent()) {
        throw bad.get();
      }
      b.putMsr(m);
    }
    return b.build();
  }

  /** Returns what {@code x86_msr_copy_from_buffer} would refuse about {@code m}, if anything. */
  static Optional<PolicyException> msrProblem(MsrEntry m) {
    PolicyError at = PolicyError.msr(m.index());
    if (m.flags() != 0) {
      return Optional.of(new PolicyException(Errno.EINVAL, at, String.format(Locale.ROOT,
          "MSR 0x%08x has flags 0x%08x; flags must be zero", m.index(), m.flags())));
    }
    switch (m.index()) {
      case MsrEntry.PLATFORM_INFO:
        if ((m.value() >>> 32) != 0) {
          return Optional.of(new PolicyException(Errno.EOVERFLOW, at, String.format(Locale.ROOT,
              "MSR 0x%08x (PLATFORM_INFO) value 0x%x does not fit Xen's 32 bits",
              m.index(), m.value())));
        }
        return Optional.empty();
      case MsrEntry.ARCH_CAPS:
        return Optional.empty();
      default:
        return Optional.of(new PolicyException(Errno.ERANGE, at, String.format(Locale.ROOT,
            "MSR 0x%08x is not in a CPU policy (only 0xce PLATFORM_INFO and 0x10a ARCH_CAPS)",
            m.index())));
    }
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
    Builder b = toBuilder();
    long maxLeaf = Integer.toUnsignedLong(basicMaxLeaf());
    for (int l = (int) Math.min(maxLeaf + 1, NR_BASIC); l < NR_BASIC; l++) {
      b.zero(l, l);
    }
    b.zero(CACHE_SLOT + (maxLeaf < 4 ? 0 : firstTypeZero(CACHE_SLOT, NR_CACHE, 0, 0)),
        CACHE_SLOT + NR_CACHE - 1);
    long maxSub = Integer.toUnsignedLong(leaf7MaxSubleaf());
    b.zero(FEAT_SLOT + (maxLeaf < 7 ? 0 : (int) Math.min(maxSub + 1, NR_FEAT)), FEAT_SLOT + NR_FEAT - 1);
    b.zero(TOPO_SLOT + (maxLeaf < 0xb ? 0 : firstTypeZero(TOPO_SLOT, NR_TOPO, 2, 8)),
        TOPO_SLOT + NR_TOPO - 1);
    long xs = xstates();
    int keepX = maxLeaf < 0xd || xs == 0 ? 0 : Math.max(2, 64 - Long.numberOfLeadingZeros(xs));
    b.zero(XSTATE_SLOT + Math.min(keepX, NR_XSTATE), XSTATE_SLOT + NR_XSTATE - 1);
    b.zero(EXTD_SLOT + Math.min((extdMaxLeaf() & 0xffff) + 1, NR_EXTD), EXTD_SLOT + NR_EXTD - 1);
    return b.build();
  }

  /** Returns the index of the first subleaf whose type field is zero, or {@code n}. */
  private int firstTypeZero(int slot, int n, int reg, int shift) {
    int type = reg == 0 ? 0x1f : 0xff;
    for (int i = 0; i < n; i++) {
      if (((regs[(slot + i) * 4 + reg] >>> shift) & type) == 0) {
        return i;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Object

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CpuPolicy)) {
      return false;
    }
    CpuPolicy p = (CpuPolicy) o;
    return hvLimit == p.hvLimit && hv2Limit == p.hv2Limit && platformInfo == p.platformInfo
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
      regs = new int[NR_SLOTS * 4];
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
      whyOutOfRange(l.leaf(), l.subleaf()).ifPresent(why -> {
        throw new IllegalArgumentException(why);
      });
      if (slot(l.leaf(), l.subleaf()) == -2) {
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
      int s = slot(leaf, subleaf);
      if (s == -1) {
        throw new IllegalArgumentException(whyOutOfRange(leaf, subleaf).orElseThrow());
      }
      if (s == -2) {
        checkArgument(r == Register.EAX ? (value & ~0xff) == 0 : value == 0,
            "hypervisor leaf 0x%s holds only a limit of 0 to 255 in eax, not %s = 0x%s",
            Integer.toHexString(leaf), r.lowerName(), Integer.toHexString(value));
        if (leaf == HV_LEAF) {
          hvLimit = value;
        } else {
          hv2Limit = value;
        }
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
      Optional<PolicyException> bad = msrProblem(m);
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
      regs[FEAT_SLOT * 4] = maxSubleaf;
      return this;
    }

    /** Returns this builder with the extended max leaf (0x80000000 eax) set. */
    public Builder extdMaxLeaf(int maxLeaf) {
      regs[EXTD_SLOT * 4] = maxLeaf;
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
      int s = slot(l.leaf(), l.subleaf());
      if (s == -2) {
        if (l.leaf() == HV_LEAF) {
          hvLimit = l.a() & 0xff;
        } else {
          hv2Limit = l.a() & 0xff;
        }
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

    /** Stores an MSR that {@link #msrProblem} accepted. */
    void putMsr(MsrEntry m) {
      if (m.index() == MsrEntry.PLATFORM_INFO) {
        platformInfo = (int) m.value();
      } else {
        archCaps = m.value();
      }
    }

    /** Zeroes slots {@code from} to {@code to} inclusive (nothing if from &gt; to). */
    void zero(int from, int to) {
      if (from <= to) {
        Arrays.fill(regs, from * 4, (to + 1) * 4, 0);
      }
    }
  }
}
