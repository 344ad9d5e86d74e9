package dev.xenlevelling.xencpuid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.LevellingCapNames;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code xen-cpuid --json} host dump (schema {@value #FORMAT}, documented in README.md): one
 * JSON object with everything the levelling command needs from a host. Not a Xen format: this
 * tool's own addition.
 */
final class JsonDump {
  /** The schema name and version written as {@code "format"}. */
  static final String FORMAT = "xen-levelling-host/1";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonDump() {}

  /** Returns the dump of {@code facts} (names from {@code table}), ending with a newline. */
  static String format(HostFacts facts, FeatureTable table) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("host", facts.hostName());
    root.put("xen_version", facts.xenVersion());
    root.put("boot_options", facts.bootOptions());
    ObjectNode cpu = root.putObject("cpu");
    cpu.put("vendor", facts.vendor());
    cpu.put("family", facts.family());
    cpu.put("model", facts.model());
    cpu.put("stepping", facts.stepping());
    ObjectNode leaves = root.putObject("max_leaves");
    leaves.put("basic", Integer.toUnsignedLong(facts.basicMaxLeaf()));
    leaves.put("leaf7_subleaf", Integer.toUnsignedLong(facts.leaf7MaxSubleaf()));
    leaves.put("extended", Integer.toUnsignedLong(facts.extdMaxLeaf()));
    root.put("maxphysaddr", facts.maxPhysAddr());
    ObjectNode xsave = root.putObject("xsave");
    xsave.put("xcr0", facts.xsave().xcr0());
    xsave.put("xss", facts.xsave().xss());
    xsave.put("max_size", Integer.toUnsignedLong(facts.xsave().maxSize()));
    ArrayNode caps = root.putArray("levelling_caps");
    if (facts.levellingCaps().isPresent()) {
      LevellingCapNames.names(facts.levellingCaps().getAsInt()).forEach(caps::add);
      root.put("levelling_caps_value", facts.levellingCaps().getAsInt());
    } else {
      root.putNull("levelling_caps_value");
    }
    root.put("nr_features", facts.nrFeatures());
    ObjectNode dynamic = root.putObject("featuresets");
    for (Map.Entry<String, Optional<Featureset>> e : facts.featuresets().entrySet()) {
      if (e.getValue().isPresent()) {
        featureset(dynamic.putObject(e.getKey()), e.getValue().get(), table);
      } else {
        dynamic.putNull(e.getKey());
      }
    }
    ObjectNode masks = root.putObject("static_masks");
    for (Map.Entry<StaticMask, Featureset> e : facts.staticMasks().entrySet()) {
      String key = e.getKey().name().toLowerCase(Locale.ROOT);
      featureset(masks.putObject(key.endsWith("_def") ? key + "ault" : key), e.getValue(), table);
    }
    root.put("fingerprint", fingerprint(facts));
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new AssertionError("a tree of plain values always serialises", e);
    }
  }

  /** Writes {@code fs} as its xen-cpuid words, its feature names and its unnamed set bits. */
  private static void featureset(ObjectNode node, Featureset fs, FeatureTable table) {
    node.put("words", fs.format());
    ArrayNode names = node.putArray("features");
    ArrayNode unknown = node.putArray("unknown_bits");
    fs.features().forEach(bit -> {
      Optional<String> name = table.byIndex(bit).map(f -> f.name());
      if (name.isPresent()) {
        names.add(name.get());
      } else {
        unknown.add(bit);
      }
    });
  }

  /**
   * Returns the host's fingerprint, as {@link HostFingerprint#of(java.util.List, String)} computes
   * it from the dynamic featuresets and the boot options (the host's name is not part of it).
   */
  static String fingerprint(HostFacts facts) {
    return HostFingerprint.of(ImmutableList.copyOf(facts.featuresets().values()),
        facts.bootOptions());
  }

}
