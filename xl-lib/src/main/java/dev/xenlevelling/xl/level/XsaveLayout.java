package dev.xenlevelling.xl.level;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.OptionalInt;

/**
 * The standard (non-compacted) XSAVE layout of the user xstate components a featureset enables,
 * as Xen's {@code recalculate_xstate} picks them (x87 and SSE always; YMM with avx; BNDREGS and
 * BNDCSR with mpx; OPMASK, ZMM_Hi256 and Hi16_ZMM with avx512f; PKRU with pku; LWP with lwp;
 * XTILECFG and XTILEDATA with amx-tile) and {@code xstate_uncompressed_size} sizes them: the
 * largest offset + size over the enabled components, at least the 576-byte legacy area and
 * header.
 *
 * <p>Deviation, deliberate: the offsets and sizes are the architectural ones of the standard
 * format (Intel SDM vol. 1 table 13-1 for components 2 to 9 and 17/18; AMD APM for LWP at
 * 0x340), not each host's leaf 0xd subleaves: the leveller's inputs carry only each host's
 * largest size ({@code xen-cpuid --json}'s {@code xsave_max_size}; the libvirt, {@code xen-cpuid}
 * text and {@code -p} readers do not keep the per-component subleaves). The standard-format
 * offsets of these components are fixed on every CPU that has them.
 */
final class XsaveLayout {
  /** The legacy region (512) and the XSAVE header (64). */
  static final int BASE = 576;

  /** Feature name, offset, size: each enabled component's extent. */
  private static final Object[][] COMPONENTS = {
      {"avx", 576, 256},        // 2 YMM_Hi128
      {"mpx", 960, 64},         // 3 BNDREGS
      {"mpx", 1024, 64},        // 4 BNDCSR
      {"avx512f", 1088, 64},    // 5 opmask
      {"avx512f", 1152, 512},   // 6 ZMM_Hi256
      {"avx512f", 1664, 1024},  // 7 Hi16_ZMM
      {"pku", 2688, 8},         // 9 PKRU
      {"lwp", 832, 128},        // 62 LWP (AMD)
      {"amx-tile", 2752, 64},   // 17 XTILECFG
      {"amx-tile", 2816, 8192}, // 18 XTILEDATA
  };

  private XsaveLayout() {}

  /**
   * Returns the standard-format XSAVE size for the components {@code fs} enables, or empty when
   * it has no xsave (Xen then empties leaf 0xd).
   */
  static OptionalInt size(FeatureTable table, Featureset fs) {
    if (!has(table, fs, "xsave")) {
      return OptionalInt.empty();
    }
    int size = BASE;
    for (Object[] c : COMPONENTS) {
      if (has(table, fs, (String) c[0])) {
        size = Math.max(size, (Integer) c[1] + (Integer) c[2]);
      }
    }
    return OptionalInt.of(size);
  }

  private static boolean has(FeatureTable table, Featureset fs, String name) {
    return table.byName(name).map(f -> fs.contains(f.index())).orElse(false);
  }
}
