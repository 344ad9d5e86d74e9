package dev.xenlevelling.xc.hv.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.DomainTable;
import dev.xenlevelling.xc.hv.Dumps;
import dev.xenlevelling.xc.hv.Hypervisor;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes of host.json and domains.json: the goldens were written by the first
 * (Jackson-databind) implementation of {@link StateJson}, so these tests hold the streaming
 * one to that format byte for byte, and check it reads files written in it.
 */
class StateJsonFormatTest {
  /** What the goldens carry as the boot id. */
  private static final String BOOT_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  /** A command line that needs JSON escapes (quote, backslash, tab) and a non-ASCII letter. */
  private static final String CMDLINE = "cpuid=no-avx512f dom0_mem=\"1G\" \\x\té";

  @TempDir
  Path tmp;

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = StateJsonFormatTest.class.getResourceAsStream(
        "/golden/statejson/" + name)) {
      if (in == null) {
        throw new IOException("no golden " + name);
      }
      return in.readAllBytes();
    }
  }

  /**
   * Returns the sample boot: a Xeon dump with two MSRs added (one with the top bit set, written
   * as unsigned hex).
   */
  private static BootConfig sampleConfig() {
    CpuDescription d = Dumps.load("Xeon-Gold-6148");
    return new BootConfig(new CpuDescription(d.source(), d.brand(), d.leaves(),
        ImmutableSortedMap.of(0xce, 0x80000000L, 0x10a, 0xe000000000000029L)), CMDLINE,
        Microcode.TSX_OFF);
  }

  /** Returns the sample host directory's domains: dom0 plus an HVM, a PV and a legacy one. */
  private DomainTable sampleDomains() throws Exception {
    HostDirectory.boot(tmp, sampleConfig());
    Hypervisor hv = HostDirectory.open(tmp);
    int hvm = hv.createDomain(DomainType.HVM, true, true);
    hv.unpauseDomain(hvm);
    hv.createDomain(DomainType.PV, false, false);
    int legacy = hv.createDomain(DomainType.HVM, false, false);
    hv.setCpuid(legacy, new CpuidLeaf(0x80000001, -1, 0, 0, -1, -1));
    hv.setCpuid(legacy, new CpuidLeaf(7, 0, 0, 0xfffeffff, -1, -1));
    hv.destroyDomain(hv.createDomain(DomainType.PV, false, false));
    String bootId = StateJson.readHost("host.json",
        Files.readAllBytes(tmp.resolve("host.json"))).bootId();
    return StateJson.readDomains("domains.json",
        Files.readAllBytes(tmp.resolve("domains.json")), bootId);
  }

  @Test
  void writeHost_sample_bytesAsTheDatabindWriter() throws Exception {
    byte[] written = StateJson.writeHost(BOOT_ID, sampleConfig());
    assertEquals(new String(golden("host.json"), StandardCharsets.UTF_8),
        new String(written, StandardCharsets.UTF_8));
    assertArrayEquals(golden("host.json"), written);
  }

  @Test
  void writeDomains_sample_bytesAsTheDatabindWriter() throws Exception {
    byte[] written = StateJson.writeDomains(BOOT_ID, sampleDomains());
    assertEquals(new String(golden("domains.json"), StandardCharsets.UTF_8),
        new String(written, StandardCharsets.UTF_8));
    assertArrayEquals(golden("domains.json"), written);
  }

  @Test
  void readThenWrite_goldens_sameBytes() throws Exception {
    StateJson.HostFile h = StateJson.readHost("host.json", golden("host.json"));
    assertEquals(BOOT_ID, h.bootId());
    assertEquals(CMDLINE, h.config().cmdline());
    assertEquals(Microcode.TSX_OFF, h.config().microcode());
    assertArrayEquals(golden("host.json"), StateJson.writeHost(h.bootId(), h.config()));
    DomainTable t = StateJson.readDomains("domains.json", golden("domains.json"), BOOT_ID);
    assertEquals(3, t.domains().size(), "HVM, PV and legacy HVM (dom0 is not stored)");
    assertArrayEquals(golden("domains.json"), StateJson.writeDomains(BOOT_ID, t));
  }

  /**
   * Corrupt or odd host.json files, edited from the golden, and what the databind reader said of
   * each (the expected texts are that reader's output, recorded before it was replaced).
   */
  static Stream<Arguments> oddHostFiles() {
    return Stream.of(
        Arguments.of("empty", "", "", "CORRUPT F: expected a JSON object"),
        Arguments.of("an array", "", "[1,2]", "CORRUPT F: expected a JSON object"),
        Arguments.of("bad escape", "", "{\"a\":\"\\q\"}",
            "CORRUPT F:1:8: not JSON: Unrecognized character escape 'q' (code 113)"),
        Arguments.of("leading zero", "", "{\"a\":01}",
            "CORRUPT F:1:7: not JSON: Invalid numeric value: Leading zeroes not allowed"),
        Arguments.of("format null is missing", "", "{\"format\":null}",
            "CORRUPT F: missing field 'format'"),
        Arguments.of("trailing garbage ignored", "\n}", "\n} trailing garbage {", "OK"),
        Arguments.of("microcode a number", "\"microcode\" : \"tsx-off\"",
            "\"microcode\" : 12", "CORRUPT F: unknown microcode '12' (as-dumped, tsx-off,"
            + " tsx-hidden)"),
        Arguments.of("MSR value a number, read as its text", "\"e000000000000029\"", "5", "OK"),
        Arguments.of("leaf a number", "\"leaves\" : [ \"00000000",
            "\"leaves\" : [ 7, \"00000000",
            "CORRUPT F: leaf '7' is not LEAF:SUBLEAF -> EAX:EBX:ECX:EDX"),
        Arguments.of("duplicate name: the last wins", "\"bootId\" : \"",
            "\"bootId\" : \"a\", \"bootId\" : \"", "OK"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oddHostFiles")
  void readHost_oddFiles_asTheDatabindReader(String name, String from, String to,
      String expected) throws Exception {
    String text = from.isEmpty() ? to
        : new String(golden("host.json"), StandardCharsets.UTF_8).replace(from, to);
    String got;
    try {
      StateJson.readHost("F", text.getBytes(StandardCharsets.UTF_8));
      got = "OK";
    } catch (HostStateException e) {
      got = e.reason() + " " + e.getMessage();
    }
    assertEquals(expected, got);
  }

  /** Lenient conversions of domains.json values, as JsonNode's asInt and asBoolean made them. */
  static Stream<Arguments> oddDomainValues() {
    return Stream.of(
        Arguments.of("nextDomid a string", "\"nextDomid\":5", "\"nextDomid\":\" +7 \"", "7 true"),
        Arguments.of("nextDomid in exponent form", "\"nextDomid\":5", "\"nextDomid\":\"1e1\"",
            "10 true"),
        Arguments.of("nextDomid too big as text", "\"nextDomid\":5",
            "\"nextDomid\":\"99999999999\"", "0 true"),
        Arguments.of("nextDomid too big as number", "\"nextDomid\":5",
            "\"nextDomid\":99999999999", "1215752191 true"),
        Arguments.of("nextDomid a fraction", "\"nextDomid\":5", "\"nextDomid\":2.9", "2 true"),
        Arguments.of("nextDomid true", "\"nextDomid\":5", "\"nextDomid\":true", "1 true"),
        Arguments.of("hap a padded string", "\"hap\":true", "\"hap\":\" true \"", "5 true"),
        Arguments.of("hap 1", "\"hap\":true", "\"hap\":1", "5 true"),
        Arguments.of("hap 2.0", "\"hap\":true", "\"hap\":2.0", "5 false"),
        Arguments.of("hap a big integer", "\"hap\":true", "\"hap\":99999999999999999999999",
            "5 true"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oddDomainValues")
  void readDomains_oddValues_asTheDatabindReader(String name, String from, String to,
      String expected) throws Exception {
    String text = new String(golden("domains.json"), StandardCharsets.UTF_8).replace(from, to);
    DomainTable t = StateJson.readDomains("D", text.getBytes(StandardCharsets.UTF_8), BOOT_ID);
    assertEquals(expected, t.nextDomid() + " " + t.domains().get(1).hap());
  }
}
