package dev.xenlevelling.xc.hv.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.Dumps;
import dev.xenlevelling.xc.hv.Hypervisor;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.PolicyException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDirectoryTest {
  @TempDir
  Path tmp;

  private BootConfig config(String dump, String cmdline) {
    return new BootConfig(Dumps.load(dump), cmdline, Microcode.AS_DUMPED);
  }

  @Test
  void defaultPath_envOrder() {
    assertEquals(Path.of("/x"), HostDirectory.defaultPath(Map.of("XENSIM_HOST", "/x",
        "XDG_STATE_HOME", "/s", "HOME", "/h")));
    assertEquals(Path.of("/s/xen-levelling/host"),
        HostDirectory.defaultPath(Map.of("XDG_STATE_HOME", "/s", "HOME", "/h")));
    assertEquals(Path.of("/h/.local/state/xen-levelling/host"),
        HostDirectory.defaultPath(Map.of("HOME", "/h")));
  }

  @Test
  void open_unbooted_notBooted() {
    HostStateException e = assertThrows(HostStateException.class,
        () -> HostDirectory.open(tmp.resolve("none")));
    assertEquals(HostStateException.Reason.NOT_BOOTED, e.reason());
  }

  @Test
  void domains_persistAcrossOpens_withPolicyIntact() throws Exception {
    HostDirectory.boot(tmp, config("Xeon-Gold-6148", "cpuid=no-avx512f"));
    Hypervisor a = HostDirectory.open(tmp);
    int d = a.createDomain(DomainType.HVM, true, false);
    CpuPolicy p = a.getDomainCpuPolicy(d);
    Hypervisor b = HostDirectory.open(tmp);
    assertEquals(p, b.getDomainCpuPolicy(d));
    assertEquals(2, b.listDomains().size());
    b.setCpuid(d, new dev.xenlevelling.xc.policy.CpuidLeaf(0x80000001, -1, 0, 0, -1, -1));
    assertEquals(b.guestCpuid(d, 0x80000001, 0), a.guestCpuid(d, 0x80000001, 0));
    assertEquals(HostDirectory.open(tmp).guestCpuid(d, 0x80000001, 0).c(),
        b.host().featureset(PolicyIndex.HVM_MAX).word(3) & ~(1 << 2),
        "e1c clamped to HVM max without svm (nested off)");
    b.unpauseDomain(d);
    assertTrue(a.getDomainInfo(d).hasRun());
    assertEquals("cpuid=no-avx512f", HostDirectory.readConfig(tmp).cmdline());
  }

  @Test
  void reboot_dropsDomains_andStaleProcessIsRefused() throws Exception {
    HostDirectory.boot(tmp, config("Core-i5-6600", ""));
    Hypervisor old = HostDirectory.open(tmp);
    old.createDomain(DomainType.PV, false, false);
    HostDirectory.boot(tmp, config("EPYC-7713-64-Core", ""));
    Hypervisor fresh = HostDirectory.open(tmp);
    assertEquals(1, fresh.listDomains().size(), "only dom0 after a reboot");
    assertEquals(1, fresh.createDomain(DomainType.PV, false, false));
    PolicyException e = assertThrows(PolicyException.class,
        () -> old.createDomain(DomainType.PV, false, false));
    assertEquals(Errno.EIO, e.errno());
    assertTrue(e.getMessage().contains("rebooted"), e.getMessage());
  }

  @Test
  void corruptDomainsFile_eioWithOneLine() throws Exception {
    HostDirectory.boot(tmp, config("Core-i5-6600", ""));
    Hypervisor hv = HostDirectory.open(tmp);
    Files.writeString(tmp.resolve("domains.json"), "{not json");
    PolicyException e = assertThrows(PolicyException.class, hv::listDomains);
    assertEquals(Errno.EIO, e.errno());
    assertTrue(e.getMessage().startsWith(tmp.resolve("domains.json") + ":1:2: not JSON: "),
        e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }

  /** Failed before the fix: the message had no line:column (Jackson's JsonLocation). */
  @Test
  void truncatedDomainsFile_reportsLineAndColumn() throws Exception {
    HostDirectory.boot(tmp, config("Core-i5-6600", ""));
    Hypervisor hv = HostDirectory.open(tmp);
    Files.writeString(tmp.resolve("domains.json"), "{\n  \"format\": \"xen-levelling-dom");
    PolicyException e = assertThrows(PolicyException.class, hv::listDomains);
    assertEquals(tmp.resolve("domains.json") + ":2:31: not JSON: Unexpected end-of-input in"
        + " VALUE_STRING", e.getMessage());
  }

  /**
   * A boot killed between its two renames (domains.json of the new boot, host.json of the old):
   * failed before the fix, when every command asked forever to "run the command again".
   */
  @Test
  void interruptedBoot_reportedAsSuch_andBootAgainRepairs() throws Exception {
    HostDirectory.boot(tmp, config("Core-i5-6600", ""));
    byte[] oldHost = Files.readAllBytes(tmp.resolve("host.json"));
    HostDirectory.boot(tmp, config("EPYC-7713-64-Core", ""));
    Files.write(tmp.resolve("host.json"), oldHost); // as if killed before host.json's rename
    PolicyException e = assertThrows(PolicyException.class,
        () -> HostDirectory.open(tmp).listDomains());
    assertEquals(Errno.EIO, e.errno());
    assertEquals(tmp + ": a boot of this host was interrupted (domains.json and host.json are"
        + " from different boots); boot it again with: xensim boot " + tmp + " --cpu SOURCE",
        e.getMessage());
    HostDirectory.boot(tmp, config("EPYC-7713-64-Core", ""));
    assertEquals(1, HostDirectory.open(tmp).listDomains().size());
  }

  @Test
  void corruptHostFile_corrupt() throws Exception {
    HostDirectory.boot(tmp, config("Core-i5-6600", ""));
    Files.writeString(tmp.resolve("host.json"), "{\"format\":\"other\"}");
    HostStateException e = assertThrows(HostStateException.class, () -> HostDirectory.open(tmp));
    assertEquals(HostStateException.Reason.CORRUPT, e.reason());
  }

  @Test
  void failedCall_leavesStateUntouched() throws Exception {
    HostDirectory.boot(tmp, config("Core-i5-6600", ""));
    Hypervisor hv = HostDirectory.open(tmp);
    hv.createDomain(DomainType.PV, false, false);
    byte[] before = Files.readAllBytes(tmp.resolve("domains.json"));
    assertThrows(PolicyException.class, () -> hv.destroyDomain(42));
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(tmp.resolve("domains.json"))));
  }

  @Test
  void threads_concurrentCreates_noneLost() throws Exception {
    HostDirectory.boot(tmp, config("Core-i5-6600", ""));
    Set<Integer> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try {
          Hypervisor hv = HostDirectory.open(tmp);
          for (int j = 0; j < 10; j++) {
            ids.add(hv.createDomain(DomainType.PV, false, false));
          }
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(40, ids.size());
    assertEquals(41, HostDirectory.open(tmp).listDomains().size());
  }

  @Test
  void processes_concurrentCreates_noneLostNoneDuplicated() throws Exception {
    HostDirectory.boot(tmp, config("Xeon-E5-2650-v4", ""));
    int procs = 5;
    int each = 8;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < procs; i++) {
      ps.add(new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), ConcurrentCreator.class.getName(),
          tmp.toString(), Integer.toString(each))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    List<Integer> all = new ArrayList<>();
    for (Process p : ps) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          all.add(Integer.parseInt(line.trim()));
        }
      }
    }
    assertEquals(procs * each, all.size());
    assertEquals(procs * each, new HashSet<>(all).size(), "no id handed out twice");
    Hypervisor hv = HostDirectory.open(tmp);
    Set<Integer> listed = new HashSet<>();
    hv.listDomains().forEach(d -> listed.add(d.domid()));
    assertTrue(listed.containsAll(all), "every created domain is on the host");
    assertEquals(procs * each + 1, listed.size());
    assertTrue(new File(tmp.toFile(), "domains.json").length() > 0);
    try (var s = Files.list(tmp)) {
      assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(),
          "no temporary file left behind");
    }
  }
}
