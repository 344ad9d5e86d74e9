package dev.xenlevelling.xl.level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.cpuid.XenRelease;
import dev.xenlevelling.xl.hostdump.HostDumps;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code cpuid=} setting of a levelled type, case by case (issue 15): which form, which limits
 * it cuts, what it names and what it says it cannot do. That each setting creates the same guest
 * on every member is {@code PastedCpuidLineTest}'s (xl-cli), over random pools.
 */
class CpuidLinesTest {
  static final FeatureTable T = FeatureTable.latest();
  static final PolicyText TEXT = new PolicyText(T);
  static final XenRelease LATEST = XenRelease.LATEST;

  static List<HostCpu> pool(String... names) throws Exception {
    List<HostCpu> out = new ArrayList<>();
    for (String n : names) {
      String path = "dumps/x86_64-cpuid-" + n + ".xml";
      try (InputStream in = CpuidLinesTest.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IOException("no " + path);
        }
        out.add(HostDumps.parse(path, n, in.readAllBytes()));
      }
    }
    return out;
  }

  static CpuidLine line(List<HostCpu> pool, DomainType type, XenRelease r, boolean xend)
      throws Exception {
    LevelledPolicy p = PoolLeveller.latest().level(pool);
    return TEXT.cpuidLine(p.type(type).orElseThrow(), pool, r, xend);
  }

  @Test
  void leaf71OnOneMemberOnly_xendFormCutsTheSubleaf_namesNothingInIt() throws Exception {
    CpuidLine l = line(pool("Cooperlake", "Xeon-Gold-6148"), DomainType.HVM, LATEST, false);
    assertEquals(CpuidLine.Form.XEND, l.form());
    assertTrue(l.items().get(0).startsWith("0x00000007,0:eax=" + "0".repeat(32) + ","),
        l.items().toString());
    assertTrue(l.items().stream().noneMatch(i -> i.startsWith("0x00000007,1:")), l.items()
        .toString());
    assertEquals(List.of("the xend form, because the libxl form cannot cut the leaf 7 max subleaf"
        + " to the pool's 0 (Cooperlake has 1)", "the xend form has no MSR syntax: arch-caps=0"
        + " hides MSR_ARCH_CAPS, whose bits differ across the pool (rdcl-no=0 eibrs=0 mds-no=0"
        + " if-pschange-mc-no=0 taa-no=0)"), l.notes());
  }

  @Test
  void sameLimits_libxlForm_noLimitNamed() throws Exception {
    CpuidLine l = line(pool("Xeon-Gold-6148", "Xeon-Platinum-8268"), DomainType.HVM, LATEST,
        false);
    assertEquals("cpuid = \"host,avx512-vnni=0,ibpb=0,md-clear=1,ibrsb=0,stibp=0,l1d-flush=0,"
        + "ssbd=0,rdcl-no=0,eibrs=0,mds-no=0\"", l.setting());
    assertEquals(List.of(), l.notes());
  }

  @Test
  void basicMaxLeafBelowAMember_libxlFormSaysMaxleaf() throws Exception {
    // Opteron 2350 (K10) has basic leaves to 5 only: the pool's leaf 7 goes with the cut.
    CpuidLine l = line(pool("Opteron-2350", "EPYC-7601-32-Core"), DomainType.HVM, LATEST, false);
    assertEquals(CpuidLine.Form.LIBXL, l.form(), l.notes().toString());
    assertTrue(l.setting().startsWith("cpuid = \"host,maxleaf=5,"), l.setting());
    assertFalse(l.setting().contains("avx2"), "leaf 7 is cut, not named: " + l.setting());
  }

  @Test
  void addrMskExt_named_from419_xendFormBefore() throws Exception {
    List<HostCpu> zen = pool("EPYC-7502-32-Core", "EPYC-7601-32-Core");
    CpuidLine old = line(zen, DomainType.HVM, XenRelease.of(4, 17, 7), false);
    assertEquals(CpuidLine.Form.XEND, old.form());
    assertEquals(List.of("the xend form, because the libxl form cannot name what Xen 4.17.7's"
        + " libxl has no name for (addr-msk-ext)"), old.notes());
    assertTrue(old.items().contains("0x80000001:ecx=x0" + "x".repeat(30)), old.items().toString());
    CpuidLine now = line(zen, DomainType.HVM, XenRelease.of(4, 19, 0), false);
    assertEquals(CpuidLine.Form.LIBXL, now.form());
    assertTrue(now.setting().startsWith("cpuid = \"host,addr-msk-ext=0,"), now.setting());
  }

  @Test
  void xen4170_noMsrNames_libxlFormHidesArchCaps() throws Exception {
    CpuidLine l = line(pool("Xeon-Gold-6148", "Xeon-Platinum-8268"), DomainType.HVM,
        XenRelease.of(4, 17, 0), false);
    assertEquals("cpuid = \"host,avx512-vnni=0,ibpb=0,md-clear=1,ibrsb=0,stibp=0,l1d-flush=0,"
        + "arch-caps=0,ssbd=0\"", l.setting());
    assertEquals(List.of("Xen 4.17.0's libxl has no MSR names: arch-caps=0 hides MSR_ARCH_CAPS,"
        + " whose bits differ across the pool (rdcl-no=0 eibrs=0 mds-no=0)"), l.notes());
  }

  @Test
  void xen416_namesUnknown_xendForm() throws Exception {
    CpuidLine l = line(pool("Xeon-E5-2650-v3", "Xeon-Gold-6148"), DomainType.PV,
        XenRelease.of(4, 16, 0), false);
    assertEquals(CpuidLine.Form.XEND, l.form());
    assertTrue(l.notes().get(0).contains("name features for Xen 4.16.0's libxl"), l.notes()
        .toString());
  }

  @Test
  void maxphysaddr_xendLevelsIt_libxlSaysItCannot() throws Exception {
    List<HostCpu> p = pool("Xeon-Gold-6148", "Ice-Lake-Server");
    CpuidLine libxl = line(p, DomainType.HVM, LATEST, false);
    assertEquals(List.of("the libxl form cannot level maxphysaddr to the pool's 46"
        + " (Ice-Lake-Server has 52): a guest sees its host's; --format xend levels it"),
        libxl.notes());
    CpuidLine xend = line(p, DomainType.HVM, LATEST, true);
    assertTrue(xend.items().stream().anyMatch(i -> i.startsWith(
        "0x80000008:eax=" + "x".repeat(24) + "00101110")), xend.items().toString());
    assertFalse(xend.notes().stream().anyMatch(n -> n.startsWith("the xend form, because")),
        "asked for: no reason given");
  }

  @Test
  void oneHost_nothingToLevel() throws Exception {
    assertEquals("cpuid = \"host\"",
        line(pool("Xeon-Gold-6148"), DomainType.HVM, LATEST, false).setting());
    assertEquals("cpuid = [  ]",
        line(pool("Xeon-Gold-6148"), DomainType.HVM, LATEST, true).setting());
  }

  @Test
  void cpuidConfig_bareLine_returnsTheNotesInsteadOfComments() throws Exception {
    List<HostCpu> p = pool("Cooperlake", "Xeon-Gold-6148");
    LevelledPolicy lp = PoolLeveller.latest().level(p);
    PolicyText.CpuidText bare = TEXT.cpuidConfig(List.of(lp), p, false,
        Optional.of(DomainType.HVM), XenRelease.of(4, 18, 0));
    assertEquals(1, bare.text().lines().count());
    assertEquals(2, bare.notes().size());
    PolicyText.CpuidText full = TEXT.cpuidConfig(List.of(lp), p, false, Optional.empty(),
        XenRelease.of(4, 18, 0));
    assertTrue(full.text().startsWith("# intel pv (type = \"pv\"): 2 hosts, libxl of Xen 4.18.0\n"
        + "# the xend form, because"), full.text());
    assertTrue(full.notes().isEmpty());
  }

  @Test
  void poolRelease_oldestKnown_elseLatest() throws Exception {
    List<HostCpu> p = pool("Cooperlake", "Xeon-Gold-6148");
    assertEquals(LATEST, PolicyText.poolRelease(p)); // booted: the simulated latest Xen
    HostCpu old = HostCpu.builder("old", Vendor.INTEL, "fp").xen(XenRelease.of(4, 18, 2)).build();
    HostCpu older = HostCpu.builder("older", Vendor.INTEL, "fp2").xen(XenRelease.of(4, 17, 7))
        .build();
    HostCpu unknown = HostCpu.builder("unknown", Vendor.INTEL, "fp3").build();
    assertEquals(XenRelease.of(4, 17, 7), PolicyText.poolRelease(List.of(old, unknown, older)));
    assertEquals(LATEST, PolicyText.poolRelease(List.of(unknown)));
  }
}
