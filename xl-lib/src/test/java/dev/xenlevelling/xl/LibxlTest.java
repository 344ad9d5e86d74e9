package dev.xenlevelling.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.domain.DomainConfig;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.domain.DomainConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LibxlTest {
  static final Path HOSTS = Path.of("..", "config-examples", "hosts");

  static Libxl libxl(String profile) throws Exception {
    return Libxl.inMemory(XcInterface.bootInMemory(profile, HOSTS, "", Optional.empty()));
  }

  static DomainConfig config(String text) throws Exception {
    return DomainConfigParser.parse(ConfigParser.parse("t.cfg", text), CpuidParser.latest());
  }

  static CreateResult create(Libxl x, String text) throws Exception {
    return x.create(DomainConfigFile.parse("t.cfg", text, ""));
  }

  static Stream<Arguments> clamps() {
    return Stream.of(
        Arguments.of("hide TSX: honoured", "haswell-tsx", "hvm", "host,hle=0,rtm=0",
            List.of()),
        Arguments.of("host lacks AVX-512", "haswell-tsx", "hvm", "host,avx512f=1",
            List.of("avx512f=1: got 0 (host lacks it)")),
        Arguments.of("vmx is not offered to PV guests", "haswell-tsx", "pv", "host,vmx=1",
            List.of("vmx=1: got 0 (not offered to PV guests)")),
        Arguments.of("avx2 needs avx", "haswell-tsx", "hvm", "host,avx=0,avx2=1",
            List.of("avx2=1: got 0 (needs avx, which is off)")),
        Arguments.of("k takes the host's value", "haswell-notsx", "hvm", "host,rtm=k,sse3=k",
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clamps")
  void create_reportsPerRequestedBitWhatXenClamped(String name, String host, String type,
      String cpuid, List<String> clamped) throws Exception {
    Libxl x = libxl(host);
    CreateResult r = create(x, "name='d'\ntype='" + type + "'\ncpuid='" + cpuid + "'\n");
    assertEquals(clamped, r.clamped().stream().map(BitOutcome::describe).toList());
    assertEquals(1, r.domid());
  }

  @Test
  void create_hideTsx_domainPolicyLacksHleAndRtm() throws Exception {
    Libxl x = libxl("haswell-tsx");
    create(x, "name='d'\ntype='hvm'\ncpuid='host,hle=0,rtm=0'\n");
    DomainListing d = x.find("d");
    List<String> names = FeatureTable.latest().names(
        x.domainPolicy(d).featureset(x.featureTable()));
    assertFalse(names.contains("hle"));
    assertFalse(names.contains("rtm"));
    assertTrue(names.contains("avx2"));
  }

  @Test
  void create_missingLeaf_failsAndLeavesNoDomain() throws Exception {
    Libxl x = libxl("haswell-tsx");
    LibxlException e = assertThrows(LibxlException.class,
        () -> create(x, "name='d'\ntype='hvm'\ncpuid='host,svm_npt=1'\n"));
    assertEquals(LibxlError.CPUID_POLICY_FAILED, e.error());
    assertEquals(1, x.list().size());
  }

  @Test
  void create_sameNameTwice_fails() throws Exception {
    Libxl x = libxl("haswell-tsx");
    create(x, "name='d'\n");
    LibxlException e = assertThrows(LibxlException.class, () -> create(x, "name='d'\n"));
    assertEquals(LibxlError.NAME_IN_USE, e.error());
  }

  @Test
  void create_noName_refusedWhenTheConfigIsRead() throws Exception {
    Libxl x = libxl("haswell-tsx");
    ConfigException e = assertThrows(ConfigException.class, () -> create(x, "memory=64\n"));
    assertEquals("Domain name must be specified.", e.getMessage());
  }

  @Test
  void listAndDestroy_byNameOrId() throws Exception {
    Libxl x = libxl("epyc-rome");
    create(x, "name='a'\ntype='hvm'\n");
    create(x, "name='b'\n");
    assertEquals(List.of("Domain-0", "a", "b"),
        x.list().stream().map(DomainListing::name).toList());
    x.destroy("a");
    x.destroy("2");
    assertEquals(List.of("Domain-0"), x.list().stream().map(DomainListing::name).toList());
    assertEquals(LibxlError.DOM0, assertThrows(LibxlException.class, () -> x.destroy("0"))
        .error());
    assertEquals(LibxlError.NO_SUCH_DOMAIN,
        assertThrows(LibxlException.class, () -> x.destroy("zz")).error());
  }

  @Test
  void config_isReparsedFromTheSavedText() throws Exception {
    Libxl x = libxl("haswell-tsx");
    String text = "name='d'\nmemory=256\ncpuid='host,hle=0'\n";
    x.create(DomainConfigFile.parse("t.cfg", text, List.of("vcpus=3")));
    DomainConfig c = x.config(x.find("d")).orElseThrow();
    assertEquals(256, c.memoryMb());
    assertEquals(3, c.vcpus());
    assertEquals(config(text).cpuid(), c.cpuid());
  }

  @Test
  void info_fullHostFeaturesetAndCapsByName() throws Exception {
    HostInfo i = libxl("haswell-tsx").info();
    assertEquals(FeatureTable.latest().nrWords(), i.hwCaps().length());
    assertEquals("GenuineIntel", i.vendor());
    assertEquals(6, i.family());
    assertEquals(0x3f, i.model());
    assertTrue(i.virtCaps().startsWith("pv hvm"), i.virtCaps());
  }

  @Test
  void registry_inDirectory_survivesAcrossInstances(@TempDir Path dir) throws Exception {
    DomainRecord r = new DomainRecord(3, "n", dev.xenlevelling.xl.domain.GuestType.PVH, 64, 2,
        "f.cfg", "name='n'\n# é\n", "memory=64\n");
    DomainRegistry.inDirectory(dir).put(r);
    assertEquals(r, DomainRegistry.inDirectory(dir).all().get(3));
    assertEquals(1, DomainRegistry.inDirectory(dir).live(java.util.Set.of(3)).size());
    assertTrue(DomainRegistry.inDirectory(dir).live(java.util.Set.of(1, 2)).isEmpty());
    assertTrue(DomainRegistry.inDirectory(dir).all().isEmpty());
    assertTrue(Files.exists(dir));
  }
}
