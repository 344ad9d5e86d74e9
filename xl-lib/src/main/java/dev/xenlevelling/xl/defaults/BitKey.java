package dev.xenlevelling.xl.defaults;

import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;

/**
 * One overridable bit: a bit of a CPUID register (leaf, subleaf, register, 0 to 31), or of an MSR
 * ({@code msr}, {@code leaf} the MSR index, register EAX, bit 0 to 63), as cpuid= addresses it.
 *
 * @param msr whether the bit is an MSR's
 * @param leaf the leaf, or the MSR index
 * @param subleaf the subleaf, or {@link CpuidPolicyList#NO_SUBLEAF}
 * @param register the register (EAX for an MSR)
 * @param bit the bit
 */
public record BitKey(boolean msr, int leaf, int subleaf, Register register, int bit) {

  /** Returns the bit where feature {@code f} lives. */
  public static BitKey of(Feature f, FeatureTable table) {
    FeatureWord w = table.word(f.word());
    if (w.msr()) {
      return new BitKey(true, w.leaf(), CpuidPolicyList.NO_SUBLEAF, Register.EAX,
          (w.register() == Register.EDX ? 32 : 0) + f.bit());
    }
    return new BitKey(false, w.leaf(),
        w.subleaf().isPresent() ? w.subleaf().getAsInt() : CpuidPolicyList.NO_SUBLEAF,
        w.register(), f.bit());
  }
}
