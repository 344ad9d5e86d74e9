package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xl.Libxl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The commands that need the hypervisor, over an in-memory host booted from the
 * {@code haswell-tsx} profile; outputs users and scripts read are pinned by golden files.
 */
class HypervisorCommandsTest {
  static final Path DOMAINS = Path.of("..", "config-examples", "domains");
  private Libxl libxl;

  @BeforeEach
  void boot() throws Exception {
    libxl = Libxl.inMemory(XcInterface.bootInMemory("haswell-tsx",
        Path.of("..", "config-examples", "hosts"), "", Optional.empty()));
  }

  MainTest.Result xl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      rc = Main.run(args, o, e, () -> libxl, MainTest.NO_XL_CONF);
    }
    return new MainTest.Result(rc, out.toString(), err.toString());
  }

  String example(String name) {
    return DOMAINS.resolve(name).toString();
  }

  @Test
  void createListCpuidShowDestroy_goldenOutputs() throws IOException {
    assertEquals(new MainTest.Result(0,
        "Domain hvm-no-tsx created with id 1.\ncpuid: 3 of 3 requested bits applied as asked.\n",
        "Parsing config from " + example("hvm-hide-tsx.cfg") + "\n"),
        xl("create", example("hvm-hide-tsx.cfg")));
    assertEquals(0, xl("create", "-q", example("pv-xend-list.cfg")).rc());
    assertEquals(new MainTest.Result(0, MainTest.golden("list.txt"), ""), xl("list"));
    assertEquals(new MainTest.Result(0, MainTest.golden("cpuid-show-hvm-no-tsx.txt"), ""),
        xl("cpuid-show", "hvm-no-tsx"));
    assertEquals(new MainTest.Result(0, "", ""), xl("destroy", "1"));
    assertEquals(new MainTest.Result(1, "", "xl destroy: invalid domain identifier: hvm-no-tsx\n"),
        xl("destroy", "hvm-no-tsx"));
    assertEquals(new MainTest.Result(0, MainTest.golden("list-after-destroy.txt"), ""),
        xl("list"));
  }

  @Test
  void create_clampedBits_saysWhyPerBit() throws IOException {
    MainTest.Result r = xl("create", "-q", example("hvm-arch-caps.cfg"));
    assertEquals(0, r.rc());
    assertEquals("", r.out());
    r = xl("create", example("hvm-arch-caps.cfg"), "name=\"b\"",
        "cpuid=\"host,avx512f=1,avx=0,avx2=1,rdcl-no=1,family=0x17\"");
    assertEquals(new MainTest.Result(0, MainTest.golden("create-clamped.txt"),
        "Parsing config from " + example("hvm-arch-caps.cfg") + "\n"), r);
  }

  @Test
  void create_missingLeaf_failsAndCreatesNothing() {
    MainTest.Result r = xl("create", "-q", example("hvm-hide-tsx.cfg"),
        "cpuid=\"host,svm_npt=1\"");
    assertEquals(new MainTest.Result(1, "", "xl create: Failed to apply CPUID policy: Missing leaf"
        + " 0x8000000a, subleaf 0xffffffff\n"), r);
    assertEquals(2, xl("list").out().split("\n").length);
  }

  @Test
  void createPaused_leavesTheDomainPaused() {
    assertEquals(0, xl("create", "-q", "-p", example("hvm-hide-tsx.cfg")).rc());
    assertEquals(0, xl("create", "-q", example("pv-xend-list.cfg")).rc());
    String[] lines = xl("list").out().split("\n");
    assertEquals("hvm-no-tsx                                   1  2048     2     --p---       0.0",
        lines[2]);
    assertEquals("pv-levelled                                  2   512     2     r-----       0.0",
        lines[3]);
  }

  @Test
  void list_twoDomains_helpAndExit1AsXl() throws IOException {
    assertEquals(new MainTest.Result(1, CommandTable.help(CommandTable.lookup("list").spec()
        .orElseThrow()), ""), xl("list", "0", "1"));
  }

  /** As xl's main_destroy (4.17 and later): only the first argument is looked at. */
  @Test
  void destroy_extraArguments_ignoredAsXl() throws IOException {
    xl("create", "-q", example("hvm-hide-tsx.cfg"));
    xl("create", "-q", example("pv-xend-list.cfg"));
    assertEquals(new MainTest.Result(0, "", ""), xl("destroy", "1", "2"));
    assertEquals(new MainTest.Result(0, MainTest.golden("list-after-destroy.txt"), ""),
        xl("list"));
  }

  @Test
  void create_sameNameTwice_fails() {
    xl("create", "-q", example("hvm-hide-tsx.cfg"));
    assertEquals(new MainTest.Result(1, "",
        "xl create: Domain name already in use: \"hvm-no-tsx\" is domain 1\n"),
        xl("create", "-q", example("hvm-hide-tsx.cfg")));
  }

  @Test
  void info_goldenOutput() throws IOException {
    assertEquals(new MainTest.Result(0, MainTest.golden("info-haswell-tsx.txt"), ""),
        xl("info"));
  }

  static Stream<Arguments> levellingHosts() {
    return Stream.of(
        Arguments.of("haswell-tsx", "faulting"),
        Arguments.of("nehalem", "1cd e1cd"),
        Arguments.of("opteron-bulldozer", "1cd e1cd 6c 7ab0"));
  }

  /** xl info names the caps as xen-cpuid --levelling does: Xen's LCAP_* groups. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("levellingHosts")
  void info_levellingCaps_namedByXensLcapGroups(String host, String caps) throws Exception {
    libxl = Libxl.inMemory(XcInterface.bootInMemory(host,
        Path.of("..", "config-examples", "hosts"), "", Optional.empty()));
    assertTrue(xl("info").out().contains("\nlevelling_caps         : " + caps + "\n"),
        xl("info").out());
  }

  @Test
  void listLong_printsEachDomainsConfig() throws IOException {
    xl("create", "-q", example("pvh-no-lahf.cfg"));
    assertEquals(new MainTest.Result(0, MainTest.golden("list-l.json"), ""), xl("list", "-l"));
  }

  @Test
  void dryRun_isRefusedByCommandsThatCannot() {
    assertEquals(new MainTest.Result(1, "", "command does not implement -N (dryrun) option\n"),
        xl("-N", "list"));
  }
}
