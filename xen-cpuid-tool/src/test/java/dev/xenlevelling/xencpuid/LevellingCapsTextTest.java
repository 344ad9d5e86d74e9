package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LevellingCapsTextTest {
  @Test
  void describe_faulting_saysPvGuestsAreFullyLevelled() {
    StringBuilder sb = new StringBuilder();
    LevellingCapsText.describe(sb, 0x1, false, true);
    assertTrue(sb.toString().startsWith("Levelling caps: 0x1 (faulting)\n"
        + "  faulting CPUID faulting: every CPUID a PV guest executes traps to Xen\n"
        + "PV guests on this host:\n"), sb.toString());
  }

  @Test
  void describe_amdMasking_listsOverridesAndWhatIsNotCovered() {
    StringBuilder sb = new StringBuilder();
    LevellingCapsText.describe(sb, 0x19e, true, true);
    String s = sb.toString();
    assertTrue(s.startsWith("Levelling caps: 0x19e (1cd e1cd 7ab0)\n"
        + "  1cd      override MSR: CPUID 0x00000001.ecx and .edx\n"
        + "  e1cd     override MSR: CPUID 0x80000001.ecx and .edx\n"
        + "  7ab0     override MSR: CPUID 0x00000007:0.eax and .ebx\n"), s);
    assertTrue(s.contains("  Not levelled for PV here: Da1 6c\n"), s);
    assertTrue(s.contains("can also advertise features"), s);
  }

  @Test
  void describe_none_saysPvCannotBeLevelled() {
    StringBuilder sb = new StringBuilder();
    LevellingCapsText.describe(sb, 0, false, true);
    assertTrue(sb.toString().startsWith("Levelling caps: 0x0\n"), sb.toString());
    assertTrue(sb.toString().contains("PV guests\n  cannot be levelled here"), sb.toString());
  }
}
