package dev.xenlevelling.xencpuid;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.LevellingCapNames;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code xen-cpuid --json} host dump (schema {@value #FORMAT}, documented in docs/pool-levelling.md): one
 * JSON object with everything the levelling command needs from a host. Not a Xen format: this
 * tool's own addition.
 */
final class JsonDump {
  /** The schema name and version written as {@code "format"}. */
  static final String FORMAT = "xen-levelling-host/1";

  /**
   * Plain jackson-core: a streaming generator, not databind's ObjectMapper (start-up rule 5,
   * docs/performance.md). The text is
   * what the ObjectMapper with INDENT_OUTPUT wrote (JsonDumpTest holds it to those goldens).
   */
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonDump() {}

  /** Returns the dump of {@code facts} (names from {@code table}), ending with a newline. */
  static String format(HostFacts facts, FeatureTable table) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter()); // SerializationFeature.INDENT_OUTPUT's
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeStringField("host", facts.hostName());
      g.writeStringField("xen_version", facts.xenVersion());
      g.writeStringField("boot_options", facts.bootOptions());
      g.writeObjectFieldStart("cpu");
      g.writeStringField("vendor", facts.vendor());
      g.writeNumberField("family", facts.family());
      g.writeNumberField("model", facts.model());
      g.writeNumberField("stepping", facts.stepping());
      g.writeEndObject();
      g.writeObjectFieldStart("max_leaves");
      g.writeNumberField("basic", Integer.toUnsignedLong(facts.basicMaxLeaf()));
      g.writeNumberField("leaf7_subleaf", Integer.toUnsignedLong(facts.leaf7MaxSubleaf()));
      g.writeNumberField("extended", Integer.toUnsignedLong(facts.extdMaxLeaf()));
      g.writeEndObject();
      g.writeNumberField("maxphysaddr", facts.maxPhysAddr());
      g.writeObjectFieldStart("xsave");
      g.writeNumberField("xcr0", facts.xsave().xcr0());
      g.writeNumberField("xss", facts.xsave().xss());
      g.writeNumberField("max_size", Integer.toUnsignedLong(facts.xsave().maxSize()));
      g.writeEndObject();
      g.writeArrayFieldStart("levelling_caps");
      if (facts.levellingCaps().isPresent()) {
        for (String name : LevellingCapNames.names(facts.levellingCaps().getAsInt())) {
          g.writeString(name);
        }
        g.writeEndArray();
        g.writeNumberField("levelling_caps_value", facts.levellingCaps().getAsInt());
      } else {
        g.writeEndArray();
        g.writeNullField("levelling_caps_value");
      }
      g.writeNumberField("nr_features", facts.nrFeatures());
      g.writeObjectFieldStart("featuresets");
      for (Map.Entry<String, Optional<Featureset>> e : facts.featuresets().entrySet()) {
        if (e.getValue().isPresent()) {
          g.writeObjectFieldStart(e.getKey());
          featureset(g, e.getValue().get(), table);
          g.writeEndObject();
        } else {
          g.writeNullField(e.getKey());
        }
      }
      g.writeEndObject();
      g.writeObjectFieldStart("static_masks");
      for (Map.Entry<StaticMask, Featureset> e : facts.staticMasks().entrySet()) {
        String key = e.getKey().name().toLowerCase(Locale.ROOT);
        g.writeObjectFieldStart(key.endsWith("_def") ? key + "ault" : key);
        featureset(g, e.getValue(), table);
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeStringField("fingerprint", fingerprint(facts));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return out + "\n";
  }

  /** Writes {@code fs} as its xen-cpuid words, its feature names and its unnamed set bits. */
  private static void featureset(JsonGenerator g, Featureset fs, FeatureTable table)
      throws IOException {
    g.writeStringField("words", fs.format());
    List<String> names = new ArrayList<>();
    List<Integer> unknown = new ArrayList<>();
    for (int bit : fs.features().toArray()) {
      Optional<Feature> f = table.byIndex(bit);
      if (f.isPresent()) {
        names.add(f.get().name());
      } else {
        unknown.add(bit);
      }
    }
    g.writeArrayFieldStart("features");
    for (String n : names) {
      g.writeString(n);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("unknown_bits");
    for (int bit : unknown) {
      g.writeNumber(bit);
    }
    g.writeEndArray();
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
