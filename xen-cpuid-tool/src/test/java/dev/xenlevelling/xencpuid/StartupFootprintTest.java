package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interpret mode ({@code xen-cpuid FEATURESET}) stays light: in a fresh JVM it loads no JSON or
 * YAML library and nothing of the hypervisor, only the feature table.
 */
class StartupFootprintTest {
  @Test
  void interpretMode_loadsNoJacksonYamlOrHypervisor() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xshare:auto", "-Xlog:class+load=info:stdout",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "178bfbff:f6d8320b")
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), log);
    assertTrue(log.contains("Raw                             178bfbff:f6d8320b"), log);
    List<String> heavy = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.contains(" com.fasterxml.") || line.contains(" org.yaml.")
          || line.contains(" dev.xenlevelling.xc.hv.") || line.contains(" dev.xenlevelling.xc.Xc")
          || line.contains(" dev.xenlevelling.xencpuid.HostModes")
          || line.contains(" dev.xenlevelling.xencpuid.JsonDump")) {
        heavy.add(line);
      }
    }
    assertEquals(List.of(), heavy);
    assertTrue(log.contains(" dev.xenlevelling.xc.policy.FeatureTable "), "the check can fail");
  }
}
