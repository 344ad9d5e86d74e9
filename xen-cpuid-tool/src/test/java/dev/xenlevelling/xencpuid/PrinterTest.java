package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formats the golden data cannot reach (it was captured without a hypervisor). */
class PrinterTest {
  private final Printer printer = new Printer(FeatureTable.latest().words(), NameTable.latest());

  @Test
  void keyLine_isXensInfoHeader() {
    StringBuilder sb = new StringBuilder();
    Printer.nrFeatures(sb, 19);
    printer.keyLine(sb);
    // tools/misc/xen-cpuid.c dump_info: 7 blanks, KEY right-aligned in 24, then "%-8s " per word.
    assertEquals("nr_features: 19\n"
        + "                            KEY 1d       1c       e1d      e1c      Da1      7b0      "
        + "7c0      e7d      e8b      7d0      7a1      e21a     7b1      7d2      7c1      7d1      "
        + "m10Al    m10Ah    e21c     \n", sb.toString());
  }

  @Test
  void decodeFeatureset_infoForm_isOneLine() {
    StringBuilder sb = new StringBuilder();
    printer.decodeFeatureset(sb, "HVM Shadow Default", Featureset.of(1, 0, 0xee500800), false);
    assertEquals("HVM Shadow Default              00000001:00000000:ee500800\n", sb.toString());
  }

  @Test
  void decodeFeatureset_latestNames_asXenFactsExample() {
    StringBuilder sb = new StringBuilder();
    printer.decodeFeatureset(sb, "Raw",
        Featureset.of(0x178bfbff, 0xf6d8320b, 0x2fd3fbff, 0x75c237ff), true);
    assertEquals("Raw                             178bfbff:f6d8320b:2fd3fbff:75c237ff\n"
        + "  [00] CPUID 0x00000001.edx     fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca"
        + " cmov pat pse36 clflush mmx fxsr sse sse2 htt\n"
        + "  [01] CPUID 0x00000001.ecx     sse3 pclmulqdq monitor ssse3 fma cx16 sse4-1 sse4-2 movbe"
        + " popcnt aesni xsave avx f16c rdrand hypervisor\n"
        + "  [02] CPUID 0x80000001.edx     fpu vme de pse tsc msr pae mce cx8 apic syscall mtrr pge"
        + " mca cmov pat pse36 nx mmxext mmx fxsr ffxsr page1gb rdtscp lm\n"
        + "  [03] CPUID 0x80000001.ecx     lahf-lm cmp-legacy svm extapic cr8-legacy abm sse4a"
        + " misalignsse 3dnowprefetch osvw ibs skinit wdt <17> topoext <23> <24> dbext <28>"
        + " monitorx addr-msk-ext\n", sb.toString());
  }

  @Test
  void policy_skipsZeroLeavesButCountsThem() {
    StringBuilder sb = new StringBuilder();
    Printer.policySizes(sb, 120, 2);
    Printer.policy(sb, "Domain 3",
        List.of(new CpuidLeaf(0, CpuidLeaf.NO_SUBLEAF, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69),
            new CpuidLeaf(2, CpuidLeaf.NO_SUBLEAF, 0, 0, 0, 0),
            new CpuidLeaf(7, 0, 2, 0xf1bf0fab, 0, 0x80000000)),
        List.of(new MsrEntry(MsrEntry.PLATFORM_INFO, 0, 0x80000000L),
            new MsrEntry(MsrEntry.ARCH_CAPS, 0, 0xfedcba9876543210L)));
    assertEquals("Xen reports there are maximum 120 leaves and 2 MSRs\n"
        + "Domain 3 policy: 3 leaves, 2 MSRs\n"
        + " CPUID:\n"
        + "  leaf     subleaf  -> eax      ebx      ecx      edx     \n"
        + "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69\n"
        + "  00000007:00000000 -> 00000002:f1bf0fab:00000000:80000000\n"
        + " MSRs:\n"
        + "  index    -> value           \n"
        + "  000000ce -> 0000000080000000\n"
        + "  0000010a -> fedcba9876543210\n", sb.toString());
  }

  @Test
  void mainRun_usesXenCpuidAsProgramName() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"-z"}, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, rc, "Xen's wart: a bad option exits 0");
    assertEquals("Bad option '?'\nUsage: xen-cpuid [ info | detail | <featureset>* ]\n",
        out.toString());
    assertEquals("xen-cpuid: invalid option -- 'z'\n", err.toString());
  }
}
