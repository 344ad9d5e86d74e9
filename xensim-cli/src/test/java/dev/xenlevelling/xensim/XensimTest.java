package dev.xenlevelling.xensim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XensimTest {
  @TempDir
  Path tmp;
  Path dump;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void copyDump() throws IOException {
    dump = tmp.resolve("skx.xml");
    try (InputStream in = getClass().getResourceAsStream("dumps/x86_64-cpuid-Xeon-Gold-6148.xml")) {
      Files.copy(in, dump);
    }
  }

  int run(String... args) {
    return Xensim.run(args, new PrintWriter(out, true), new PrintWriter(err, true),
        Map.of("XENSIM_PROFILES", tmp.resolve("profiles").toString()));
  }

  @Test
  void bootThenShow() {
    Path h = tmp.resolve("host");
    assertEquals(0, run("boot", h.toString(), "--cpu", dump.toString(), "--cmdline",
        "cpuid=no-avx512f hap=0"), err.toString());
    assertTrue(out.toString().contains("GenuineIntel family 6 model 0x55 stepping 4, levelling caps 0x1"),
        out.toString());
    assertEquals("", err.toString());
    assertEquals(0, run("show", h.toString()));
    String s = out.toString();
    assertTrue(s.contains("xen_commandline: cpuid=no-avx512f hap=0\n"), s);
    assertTrue(s.contains("virt_caps:       pv hvm shadow gnttab-v1 gnttab-v2\n"), s);
    assertTrue(s.contains("levelling_caps:  0x1 (faulting)\n"), s);
    assertTrue(s.contains("\nHVM Max                         1fcbfbff:"), s);
  }

  @Test
  void boot_pv0_showsNotSupported() {
    Path h = tmp.resolve("host");
    assertEquals(0, run("boot", h.toString(), "--cpu", dump.toString(), "--cmdline", "pv=0"));
    assertEquals(0, run("show", h.toString()));
    assertTrue(out.toString().contains("PV Default featureset not supported by Xen\n"));
  }

  @Test
  void boot_warningsToStderr() {
    assertEquals(0, run("boot", tmp.resolve("h").toString(), "--cpu", dump.toString(),
        "--cmdline", "cpuid=no-nosuch"));
    assertEquals("(XEN) parameter 'cpuid=no-nosuch' unknown or invalid; ignored\n",
        err.toString());
  }

  /** Anything that escapes a command (here from the environment) is one line and exit 1. */
  @Test
  void unexpectedFailure_oneLineExit1_noStackTrace() {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    Map<String, String> broken = new java.util.HashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getOrDefault(Object key, String dflt) {
        throw new IllegalStateException("boom");
      }
    };
    int rc = Xensim.run(new String[] {"profiles"}, new PrintWriter(o, true),
        new PrintWriter(e, true), broken);
    assertEquals(1, rc);
    assertEquals("xensim: profiles: internal error: java.lang.IllegalStateException: boom\n",
        e.toString());
    assertEquals("", o.toString());
  }

  @Test
  void usageErrors_exit2() {
    assertEquals(2, run());
    assertEquals(2, run("boot", tmp.toString()));
    assertEquals(2, run("boot", tmp.toString(), "--cpu"));
    assertEquals(2, run("boot", tmp.toString(), "--cpu", "x", "--bogus"));
    assertEquals(2, run("boot", tmp.toString(), "--cpu", "x", "--microcode", "new"));
    assertEquals(2, run("show"));
    assertEquals(1, run("frobnicate"));
    assertEquals(0, run("help"));
  }

  /** Failed before the fix: nine lines of the host went to stdout before the error. */
  @Test
  void show_corruptDomains_printsOnlyTheError() throws IOException {
    Path h = tmp.resolve("host");
    assertEquals(0, run("boot", h.toString(), "--cpu", dump.toString()), err.toString());
    Files.writeString(h.resolve("domains.json"), "{\"format\": \"xen-levelling-dom");
    out.getBuffer().setLength(0);
    assertEquals(1, run("show", h.toString()));
    assertEquals("", out.toString());
    assertEquals("xensim show: " + h.resolve("domains.json") + ":1:30: not JSON: Unexpected"
        + " end-of-input in VALUE_STRING\n", err.toString());
  }

  @Test
  void failures_exit1_oneLine() throws IOException {
    assertEquals(1, run("show", tmp.resolve("never").toString()));
    assertTrue(err.toString().startsWith("xensim show: " + tmp.resolve("never")
        + ": no simulated host here"), err.toString());
    err.getBuffer().setLength(0);
    Path bad = tmp.resolve("bad.xml");
    Files.writeString(bad, "<cpudata arch='x86'>\n  <cpuid eax_in='0x0' ecx_in='0x0' eax='zz'"
        + " ebx='0' ecx='0' edx='0'/>\n</cpudata>\n");
    assertEquals(1, run("boot", tmp.resolve("h").toString(), "--cpu", bad.toString()));
    assertEquals("xensim boot: " + bad + ":2:70: expected a 32-bit hex number for eax, found 'zz'\n",
        err.toString());
    err.getBuffer().setLength(0);
    assertEquals(1, run("boot", tmp.resolve("h").toString(), "--cpu", "nosuchprofile"));
    assertTrue(err.toString().startsWith("xensim boot: nosuchprofile: no such file"), err.toString());
  }

  @Test
  void bootFromProfileName() throws IOException {
    Files.createDirectories(tmp.resolve("profiles"));
    Files.writeString(tmp.resolve("profiles/skx.yaml"),
        "name: skx\ndescription: test\nmicrocode: tsx-off\ndump: ../skx.xml\n");
    assertEquals(0, run("boot", tmp.resolve("h").toString(), "--cpu", "skx"), err.toString());
    assertEquals(0, run("show", tmp.resolve("h").toString()));
    assertTrue(out.toString().contains("microcode:       tsx-off\n"), out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, run("profiles"));
    assertEquals("skx\n", out.toString());
  }

  @Test
  void show_goldenOutput() throws IOException {
    Path h = tmp.resolve("host");
    assertEquals(0, run("boot", h.toString(), "--cpu", dump.toString(), "--cmdline",
        "cpuid=no-avx512f hap=0 loglvl=all"));
    out.getBuffer().setLength(0);
    assertEquals(0, run("show", h.toString()));
    String actual = out.toString().replace(h.toString(), "DIR").replace(dump.toString(), "DUMP");
    String golden;
    try (InputStream in = getClass().getResourceAsStream("/golden/xensim/show-skx.txt")) {
      golden = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertEquals(golden, actual);
  }
}
