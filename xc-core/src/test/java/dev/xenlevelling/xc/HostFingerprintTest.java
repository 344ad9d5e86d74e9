package dev.xenlevelling.xc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.Host;
import dev.xenlevelling.xc.hv.Hypervisor;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;
import dev.xenlevelling.xc.hv.cpu.CpuSources;
import dev.xenlevelling.xc.policy.Featureset;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostFingerprintTest {
  static XcInterface boot(String cmdline) throws Exception {
    String res = "/dev/xenlevelling/xc/hv/dumps/x86_64-cpuid-Xeon-Gold-6148.xml";
    CpuDescription cpu;
    try (InputStream in = HostFingerprintTest.class.getResourceAsStream(res)) {
      cpu = CpuSources.fromStream(res, in);
    }
    return XcInterface.of(Hypervisor.inMemory(
        Host.boot(new BootConfig(cpu, cmdline, Microcode.AS_DUMPED))));
  }

  @Test
  void of_isTheHashOfTheSixSetsAndTheCommandLine() throws Exception {
    XcInterface xc = boot("");
    String fp = HostFingerprint.of(xc);
    assertTrue(fp.matches("sha256:[0-9a-f]{64}"), fp);
    assertEquals(fp, HostFingerprint.of(HostFingerprint.dynamicSets(xc), ""));
    assertEquals(fp, HostFingerprint.of(boot("")), "the same boot, the same fingerprint");
    assertNotEquals(fp, HostFingerprint.of(boot("cpuid=no-avx2")));
  }

  @Test
  void of_knownValue() {
    // printf 'raw=00000001\nhost=-\npv_default=-\nhvm_default=-\npv_max=-\nhvm_max=-\n'
    //        'boot_options=x\n' | sha256sum
    Optional<Featureset> one = Optional.of(Featureset.of(1));
    String fp = HostFingerprint.of(java.util.List.of(one, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty()), "x");
    assertEquals(EXPECTED, fp);
  }

  /** From {@code sha256sum} over the text of the comment above. */
  private static final String EXPECTED =
      "sha256:ea356259a1cb63b05e9a78837c38cd9d2688b3f57898981719e8a3ac1661e297";

  @Test
  void hostName_isTheLastElementOfXensimHost() {
    assertEquals("node1", HostFingerprint.hostName(Map.of("XENSIM_HOST", "/tmp/pool/node1")));
    assertEquals("node1", HostFingerprint.hostName(Map.of("XENSIM_HOST", "/tmp/pool/node1/")));
  }
}
