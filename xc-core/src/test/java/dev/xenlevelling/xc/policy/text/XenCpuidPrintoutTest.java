package dev.xenlevelling.xc.policy.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintout.Block;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintout.Dialect;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintoutException.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class XenCpuidPrintoutTest {
  /** As tools/misc/xen-cpuid.c prints it, two blocks. */
  private static final String TEXT = "Xen reports there are maximum 120 leaves and 2 MSRs\n"
      + "Raw policy: 2 leaves, 1 MSRs\n"
      + " CPUID:\n"
      + "  leaf     subleaf  -> eax      ebx      ecx      edx     \n"
      + "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69\n"
      + "  00000007:00000000 -> 00000000:00000001:00000000:00000000\n"
      + " MSRs:\n"
      + "  index    -> value           \n"
      + "  000000ce -> 0000000080000000\n"
      + "\n"
      + "Host policy: 1 leaves, 0 MSRs\n"
      + " CPUID:\n"
      + "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69\n";

  @Test
  void bothDialects_readXenCpuidsOwnOutputAlike() throws Exception {
    CpuidLeaf leaf0 = new CpuidLeaf(0, CpuidLeaf.NO_SUBLEAF, 0xd, 0x756e6547, 0x6c65746e,
        0x49656e69);
    ImmutableList<Block> expected = ImmutableList.of(
        new Block("Raw", 2, true,
            ImmutableList.of(leaf0, new CpuidLeaf(7, 0, 0, 1, 0, 0)),
            ImmutableList.of(new MsrEntry(0xce, 0, 0x80000000L))),
        new Block("Host", 11, true, ImmutableList.of(leaf0), ImmutableList.of()));
    for (Dialect d : Dialect.values()) {
      assertEquals(expected, XenCpuidPrintout.parse(d, "t", TEXT), d.name());
      assertEquals(Optional.of("PV Default"),
          XenCpuidPrintout.header(d, "PV Default policy: 3 leaves, 0 MSRs"), d.name());
      assertFalse(XenCpuidPrintout.header(d, " Raw policy: 3 leaves, 0 MSRs").isPresent());
    }
  }

  @Test
  void notSupportedLine_anUnsupportedBlockForThePoolOnly() throws Exception {
    String text = "Raw policy: 1 leaves, 0 MSRs\n"
        + "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69\n"
        + "PV Max policy not supported by Xen\n";
    assertEquals(ImmutableList.of("Raw"), names(Dialect.HYPERVISOR, text));
    ImmutableList<Block> pool = XenCpuidPrintout.parse(Dialect.POOL_MEMBER, "t", text);
    assertEquals(new Block("PV Max", 3, false, ImmutableList.of(), ImmutableList.of()),
        pool.get(1));
  }

  @Test
  void strangeLine_positionedInEachCallersWords() {
    String text = "Raw policy: 1 leaves, 0 MSRs\n CPUID:\n  nonsense\n";
    assertEquals("t:3:1: expected a line of xen-cpuid -p output (policy header,"
        + " 'LEAF:SUBLEAF -> EAX:EBX:ECX:EDX' or 'INDEX -> VALUE'), found '  nonsense'",
        error(Dialect.HYPERVISOR, text, Kind.SYNTAX));
    assertEquals("t:3:1: expected a line of xen-cpuid -p output (a policy header,"
        + " 'LEAF:SUBLEAF -> EAX:EBX:ECX:EDX' or 'INDEX -> VALUE'), found '  nonsense'",
        error(Dialect.POOL_MEMBER, text, Kind.SYNTAX));
  }

  @Test
  void leafBeforeAnyBlock_sameErrorForBoth() {
    String text = "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69\n";
    for (Dialect d : Dialect.values()) {
      assertEquals("t:1:1: expected a '<Name> policy: N leaves, M MSRs' line before the first"
          + " leaf", error(d, text, Kind.SYNTAX));
    }
  }

  @Test
  void leafXenDoesNotHold_rejectedAtItsLineByTheHypervisorOnly() throws Exception {
    String text = "Raw policy: 1 leaves, 0 MSRs\n"
        + "  00000014:ffffffff -> 00000000:00000001:00000000:00000000\n";
    assertEquals("t:2:3: leaf 00000014:ffffffff is not one a Xen policy holds (basic 0-d with"
        + " subleaves 4:0-5, 7:0-2, b:0-1, d:0-3e, else ffffffff; 40000000, 40000100;"
        + " 80000000-80000021)", error(Dialect.HYPERVISOR, text, Kind.CONTENT));
    // The pool member's reader leaves that to CpuPolicy.fromLeaves, per block.
    assertEquals(1, XenCpuidPrintout.parse(Dialect.POOL_MEMBER, "t", text).get(0).leaves().size());
  }

  @Test
  void badHexDigit_columnForThePool() {
    String text = "Raw policy: 1 leaves, 0 MSRs\n"
        + "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e6x\n";
    assertEquals("t:2:51: expected 8 hex digits, found '49656e6x'",
        error(Dialect.POOL_MEMBER, text, Kind.SYNTAX));
  }

  private static ImmutableList<String> names(Dialect d, String text) throws Exception {
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (Block b : XenCpuidPrintout.parse(d, "t", text)) {
      out.add(b.name());
    }
    return out.build();
  }

  private static String error(Dialect d, String text, Kind kind) {
    XenCpuidPrintoutException e = assertThrows(XenCpuidPrintoutException.class,
        () -> XenCpuidPrintout.parse(d, "t", text));
    assertEquals(kind, e.kind(), e.getMessage());
    return e.getMessage();
  }
}
