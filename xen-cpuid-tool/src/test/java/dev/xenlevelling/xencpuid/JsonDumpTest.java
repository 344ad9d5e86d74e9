package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class JsonDumpTest {
  private static final FeatureTable TABLE = FeatureTable.latest();

  static HostFacts facts(Featureset host, String boot, OptionalInt caps) {
    ImmutableMap.Builder<String, Optional<Featureset>> dyn = ImmutableMap.builder();
    dyn.put("raw", Optional.of(host.with(0 * 32 + 10)))   // a bit no feature has: <10>
        .put("host", Optional.of(host))
        .put("pv_default", Optional.empty())
        .put("hvm_default", Optional.of(host))
        .put("pv_max", Optional.empty())
        .put("hvm_max", Optional.of(host));
    ImmutableMap.Builder<StaticMask, Featureset> masks = ImmutableMap.builder();
    for (StaticMask m : StaticMask.values()) {
      masks.put(m, TABLE.mask(m));
    }
    return new HostFacts("node1", "4.17.7", boot, "GenuineIntel", 6, 0x55, 4, 0xd, 2,
        0x80000008, 46, new HostFacts.Xsave(0x2e7L, 0x100L, 0xa88), 19, dyn.build(),
        masks.build(), caps);
  }

  /** Returns the golden's text: written by the first (Jackson-databind) JsonDump. */
  private static String golden(String name) throws java.io.IOException {
    try (java.io.InputStream in = JsonDumpTest.class.getResourceAsStream(
        "/golden/jsondump/" + name)) {
      if (in == null) {
        throw new java.io.IOException("no golden " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The streaming writer's bytes are the databind writer's, with and without levelling caps. */
  @Test
  void format_sameTextAsTheDatabindWriter() throws Exception {
    Featureset host = TABLE.featuresetOf(List.of("fpu", "sse4-1", "avx2"));
    assertEquals(golden("with-caps.json"),
        JsonDump.format(facts(host, "cpuid=no-avx512f \"q\"\t\u00e9", OptionalInt.of(0x1e)),
            TABLE));
    assertEquals(golden("no-caps.json"),
        JsonDump.format(facts(Featureset.of(1), "", OptionalInt.empty()), TABLE));
  }

  @Test
  void format_writesEverySectionReadably() throws Exception {
    Featureset host = TABLE.featuresetOf(List.of("fpu", "sse4-1", "avx2"));
    JsonNode j = new ObjectMapper().readTree(
        JsonDump.format(facts(host, "cpuid=no-avx512f", OptionalInt.of(0x1e)), TABLE));
    assertEquals(JsonDump.FORMAT, j.get("format").asText());
    assertEquals("node1", j.get("host").asText());
    assertEquals("4.17.7", j.get("xen_version").asText());
    assertEquals("cpuid=no-avx512f", j.get("boot_options").asText());
    assertEquals(0x55, j.get("cpu").get("model").asInt());
    assertEquals(0x80000008L, j.get("max_leaves").get("extended").asLong());
    assertEquals(46, j.get("maxphysaddr").asInt());
    assertEquals(0xa88, j.get("xsave").get("max_size").asInt());
    assertEquals("[\"1cd\",\"e1cd\"]", j.get("levelling_caps").toString());
    assertEquals(0x1e, j.get("levelling_caps_value").asInt());
    JsonNode fs = j.get("featuresets");
    assertEquals(List.of("raw", "host", "pv_default", "hvm_default", "pv_max", "hvm_max"),
        names(fs));
    assertEquals("[\"fpu\",\"sse4-1\",\"avx2\"]", fs.get("host").get("features").toString());
    assertEquals(host.format(), fs.get("host").get("words").asText());
    assertEquals("[10]", fs.get("raw").get("unknown_bits").toString());
    assertTrue(fs.get("pv_default").isNull());
    assertEquals(TABLE.mask(StaticMask.HVM_HAP_DEF).format(),
        j.get("static_masks").get("hvm_hap_default").get("words").asText());
    assertTrue(j.get("fingerprint").asText().matches("sha256:[0-9a-f]{64}"));
  }

  @Test
  void format_noLevellingCaps_isNullValueAndEmptyList() throws Exception {
    JsonNode j = new ObjectMapper().readTree(JsonDump.format(
        facts(Featureset.of(1), "", OptionalInt.empty()), TABLE));
    assertEquals("[]", j.get("levelling_caps").toString());
    assertTrue(j.get("levelling_caps_value").isNull());
  }

  @Test
  void fingerprint_followsFeaturesetsAndBootOptionsOnly() {
    Featureset a = TABLE.featuresetOf(List.of("fpu", "avx2"));
    String fp = JsonDump.fingerprint(facts(a, "x", OptionalInt.of(1)));
    assertEquals(fp, JsonDump.fingerprint(facts(a, "x", OptionalInt.of(0x1e))));
    assertNotEquals(fp, JsonDump.fingerprint(facts(a, "y", OptionalInt.of(1))));
    assertNotEquals(fp, JsonDump.fingerprint(facts(a.without(0), "x", OptionalInt.of(1))));
  }

  private static List<String> names(JsonNode object) {
    List<String> n = new ArrayList<>();
    object.fieldNames().forEachRemaining(n::add);
    return n;
  }
}
