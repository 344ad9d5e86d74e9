package dev.xenlevelling.xl;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xl.cpuid.CpuidName;
import dev.xenlevelling.xl.cpuid.CpuidNameTable;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import java.util.Locale;
import java.util.Optional;

/**
 * One bit a {@code cpuid=} setting asks for: a character other than {@code x} in one of its
 * override strings, with the feature (or libxl field) it belongs to.
 *
 * @param msr whether the bit is in an MSR (then {@code leaf} is the MSR index, bit 0 to 63)
 * @param leaf the CPUID leaf, or the MSR index
 * @param subleaf the CPUID subleaf, or {@link CpuidPolicyList#NO_SUBLEAF}
 * @param register the register (EAX for an MSR)
 * @param bit the bit in the register (0 to 31) or MSR (0 to 63)
 * @param value the requested character: {@code 0}, {@code 1}, {@code k}, {@code s} or, from the
 *     unchecked xend form, anything else
 * @param feature the feature at that bit, if Xen's featureset has one
 * @param field the libxl multi-bit field name containing the bit ({@code family}), if any
 */
public record RequestedBit(
    boolean msr, int leaf, int subleaf, Register register, int bit, char value,
    Optional<Feature> feature, Optional<String> field) {

  /** Returns a name for the bit: the feature's name, else {@code field bit N}, else its place. */
  public String name() {
    if (feature.isPresent()) {
      return feature.get().name();
    }
    String place = msr
        ? String.format(Locale.ROOT, "MSR 0x%x bit %d", leaf, bit)
        : String.format(Locale.ROOT, "CPUID 0x%08x%s.%s bit %d", leaf,
            subleaf == CpuidPolicyList.NO_SUBLEAF ? "" : ":" + subleaf, register.lowerName(), bit);
    return field.map(f -> f + " (" + place + ")").orElse(place);
  }

  /** Returns every non-{@code x} bit of {@code list}, in list order, MSB first per register. */
  public static ImmutableList<RequestedBit> of(CpuidPolicyList list, FeatureTable table) {
    ImmutableList.Builder<RequestedBit> b = ImmutableList.builder();
    for (CpuidPolicyList.Entry e : list.cpuid()) {
      for (Register r : Register.values()) {
        Optional<String> s = e.register(r);
        if (s.isEmpty()) {
          continue;
        }
        String str = s.get();
        for (int i = 0; i < str.length() && i < 32; i++) {
          char c = str.charAt(i);
          if (c == 'x') {
            continue;
          }
          int bit = 31 - i;
          b.add(new RequestedBit(false, e.leaf(), e.subleaf(), r, bit, c,
              feature(table, false, e.leaf(), e.subleaf(), r, bit),
              field(e.leaf(), e.subleaf(), r, bit)));
        }
      }
    }
    for (CpuidPolicyList.MsrEntry m : list.msrs()) {
      for (int i = 0; i < 64; i++) {
        char c = m.policy().charAt(i);
        if (c == 'x') {
          continue;
        }
        int bit = 63 - i;
        Register half = bit < 32 ? Register.EAX : Register.EDX;
        b.add(new RequestedBit(true, m.index(), CpuidPolicyList.NO_SUBLEAF, Register.EAX, bit, c,
            feature(table, true, m.index(), CpuidPolicyList.NO_SUBLEAF, half, bit & 31),
            Optional.empty()));
      }
    }
    return b.build();
  }

  private static Optional<Feature> feature(FeatureTable table, boolean msr, int leaf,
      int subleaf, Register r, int bit) {
    for (FeatureWord w : table.words()) {
      int wordSubleaf = w.subleaf().isPresent() ? w.subleaf().getAsInt()
          : CpuidPolicyList.NO_SUBLEAF;
      if (w.msr() == msr && w.leaf() == leaf && wordSubleaf == subleaf && w.register() == r) {
        return table.byIndex(w.index() * 32 + bit);
      }
    }
    return Optional.empty();
  }

  /** Returns the multi-bit libxl field (family, model, ...) holding the bit, if any. */
  private static Optional<String> field(int leaf, int subleaf, Register r, int bit) {
    for (CpuidName n : CpuidNameTable.latest().names()) {
      if (n.length() == 1 || n.kind() == CpuidName.Kind.MSR || n.leaf() != leaf
          || n.subleaf() != subleaf || n.register() != r) {
        continue;
      }
      boolean inside = switch (n.kind()) {
        case FAMILY -> (bit >= 8 && bit <= 11) || (bit >= 20 && bit <= 27);
        case MODEL -> (bit >= 4 && bit <= 7) || (bit >= 16 && bit <= 19);
        default -> bit >= n.firstBit() && bit < n.firstBit() + n.length();
      };
      if (inside) {
        return Optional.of(n.name());
      }
    }
    // Not libxl names: the policy file's limits that a host-wide default may set (leaf 0 eax
    // is libxl's maxleaf, above).
    if (r == Register.EAX && leaf == 7 && subleaf == 0) {
      return Optional.of("leaf7_max_subleaf");
    }
    if (r == Register.EAX && leaf == 0x80000000 && subleaf == CpuidPolicyList.NO_SUBLEAF) {
      return Optional.of("extd_max_leaf");
    }
    if (r == Register.EAX && leaf == 0x80000008 && subleaf == CpuidPolicyList.NO_SUBLEAF
        && bit < 8) {
      return Optional.of("maxphysaddr");
    }
    return Optional.empty();
  }
}
