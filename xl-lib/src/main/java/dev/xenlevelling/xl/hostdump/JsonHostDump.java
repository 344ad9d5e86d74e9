package dev.xenlevelling.xl.hostdump;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.FeaturesetFormatException;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.cpuid.XenRelease;
import dev.xenlevelling.xl.hostdump.HostDumpException.Reason;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reader of this project's {@code xen-cpuid --json} (format {@code xen-levelling-host/1},
 * documented in docs/pool-levelling.md). xl-lib does not depend on xen-cpuid-tool: this reads the documented
 * format, nothing else. Only the keys levelling needs are read: {@code host}, {@code cpu.vendor},
 * {@code fingerprint}, {@code featuresets.{pv,hvm}_{default,max}.words} (null: the type is
 * compiled out), and the host limits ({@code max_leaves}, {@code maxphysaddr},
 * {@code xsave.max_size}), which stand for both guest types' limits. Other keys are ignored, so a
 * later version may add some.
 *
 * <p>JSON is read with Jackson's streaming parser into plain maps, skipping every array (the
 * {@code features} name lists are for people; the words say the same), so 10,000 dumps of 23 KiB
 * read in about a second; duplicate keys are refused.
 */
final class JsonHostDump {
  static final String FORMAT = "xen-levelling-host/1";

  private JsonHostDump() {}

  /** The file's name and where each value was (its key path: {@code featuresets.pv_max.words}). */
  private record Ctx(String name, Map<String, JsonLocation> locs) {}

  static HostCpu parse(String fileName, String text, FeatureTable table)
      throws HostDumpException {
    Object root;
    Map<String, JsonLocation> locs = new HashMap<>();
    Ctx file = new Ctx(fileName, locs);
    try (JsonParser p = FACTORY.createParser(text)) {
      p.nextToken();
      locs.put("", p.currentTokenLocation());
      root = value(p, "", locs);
      if (p.nextToken() != null) {
        throw new JsonProcessingException("expected the end after the top-level value",
            p.currentTokenLocation()) {
          private static final long serialVersionUID = 1L;
        };
      }
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String at = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
      throw new HostDumpException(Reason.SYNTAX, fileName + at + ": not valid JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new HostDumpException(Reason.UNREADABLE, fileName + ": " + e.getMessage());
    }
    Map<?, ?> o = map(file, root, "the top level");
    String format = string(file, o, "format", "");
    if (!format.equals(FORMAT)) {
      throw content(file, "format: expected \"" + FORMAT + "\", found \"" + format + "\"");
    }
    String name = string(file, o, "host", "");
    String vendorId = string(file, map(file, o.get("cpu"), "cpu"), "vendor", "cpu.");
    Vendor vendor = Vendor.ofIdString(vendorId).orElseThrow(() -> content(file,
        "cpu.vendor: '" + vendorId + "' is not a vendor Xen knows"));
    String fingerprint = string(file, o, "fingerprint", "");
    if (name.isEmpty() || name.indexOf('\n') >= 0 || fingerprint.isEmpty()
        || fingerprint.indexOf('\n') >= 0) {
      throw content(file, "host and fingerprint must be non-empty, one line");
    }
    Map<?, ?> ml = map(file, o.get("max_leaves"), "max_leaves");
    Map<?, ?> xs = map(file, o.get("xsave"), "xsave");
    CpuLimits limits;
    try {
      limits = new CpuLimits(number(file, ml, "basic", "max_leaves."),
          toInt(number(file, ml, "leaf7_subleaf", "max_leaves.")),
          number(file, ml, "extended", "max_leaves."), toInt(number(file, o, "maxphysaddr", "")),
          toInt(number(file, xs, "max_size", "xsave.")));
    } catch (IllegalArgumentException e) {
      throw content(file, "a limit is out of range: " + e.getMessage());
    }
    Map<?, ?> sets = map(file, o.get("featuresets"), "featuresets");
    HostCpu.Builder b = HostCpu.builder(name, vendor, fingerprint);
    // The Xen the host runs, as xl info's xen_version; a dump without one (or with a version
    // this project cannot read) leaves it unknown, which constrains nothing.
    if (o.get("xen_version") instanceof String v) {
      XenRelease.parse(v).ifPresent(b::xen);
    }
    for (DomainType t : DomainType.values()) {
      Optional<Featureset> def = set(file, sets, t.key() + "_default");
      Optional<Featureset> max = set(file, sets, t.key() + "_max");
      if (def.isPresent() && max.isPresent() && !HostDumps.noGuests(max.get())) {
        b.guest(t, def.get(), max.get(), limits);
      }
    }
    return b.build();
  }

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** A JSON array, skipped: nothing levelling needs is in one. */
  private static final Object ARRAY = new Object();

  /**
   * Returns the value at the current token: a map, string, Long, Boolean, null or ARRAY; records
   * where each member's value starts under its key path.
   */
  private static Object value(JsonParser p, String path, Map<String, JsonLocation> locs)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new JsonProcessingException("expected a value, found the end",
          p.currentTokenLocation()) {
        private static final long serialVersionUID = 1L;
      };
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          p.nextToken();
          String child = path.isEmpty() ? k : path + "." + k;
          locs.putIfAbsent(child, p.currentTokenLocation());
          m.put(k, value(p, child, locs));
        }
        return m;
      }
      case START_ARRAY:
        p.skipChildren();
        return ARRAY;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getText()
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getText();
      case VALUE_TRUE:
      case VALUE_FALSE:
        return p.getBooleanValue();
      case VALUE_NULL:
        return null;
      default:
        throw new JsonProcessingException("unexpected " + t, p.currentTokenLocation()) {
          private static final long serialVersionUID = 1L;
        };
    }
  }

  private static Optional<Featureset> set(Ctx file, Map<?, ?> sets, String key)
      throws HostDumpException {
    if (!sets.containsKey(key)) {
      throw content(file, "featuresets." + key + ": missing (null when Xen does not support it)");
    }
    Object v = sets.get(key);
    if (v == null) {
      return Optional.empty();
    }
    String words = string(file, map(file, v, "featuresets." + key), "words",
        "featuresets." + key + ".");
    try {
      return Optional.of(Featureset.parse(words));
    } catch (FeaturesetFormatException e) {
      throw content(file, "featuresets." + key + ".words: " + e.getMessage());
    }
  }

  private static Map<?, ?> map(Ctx file, Object v, String what) throws HostDumpException {
    if (v instanceof Map<?, ?> m) {
      return m;
    }
    throw content(file, what + ": expected an object, found " + kind(v));
  }

  private static String string(Ctx file, Map<?, ?> m, String key, String prefix)
      throws HostDumpException {
    Object v = m.get(key);
    if (v instanceof String s) {
      return s;
    }
    throw content(file, prefix + key + ": expected a string, found " + kind(v));
  }

  private static OptionalLong number(Ctx file, Map<?, ?> m, String key, String prefix)
      throws HostDumpException {
    Object v = m.get(key);
    if (v == null) {
      return OptionalLong.empty();
    }
    if (v instanceof Integer || v instanceof Long) {
      return OptionalLong.of(((Number) v).longValue());
    }
    throw content(file, prefix + key + ": expected a whole number, found " + kind(v));
  }

  private static OptionalInt toInt(OptionalLong v) {
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    long x = v.getAsLong();
    return OptionalInt.of(x > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(x, -1));
  }

  private static String kind(Object v) {
    if (v == null) {
      return "null (or nothing)";
    }
    if (v == ARRAY) {
      return "an array";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof String) {
      return "a string";
    }
    return "a number";
  }

  /**
   * Returns the error {@code what}, which starts with the key path it is about; placed at that
   * value's line and column, or at its closest recorded parent's (a missing key: its object).
   */
  private static HostDumpException content(Ctx file, String what) {
    int colon = what.indexOf(": ");
    String path = colon < 0 ? "" : what.substring(0, colon);
    JsonLocation l = file.locs().get(path);
    while (l == null && !path.isEmpty()) {
      int dot = path.lastIndexOf('.');
      path = dot < 0 ? "" : path.substring(0, dot);
      l = file.locs().get(path);
    }
    String at = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
    return new HostDumpException(Reason.CONTENT, file.name() + at + ": " + what);
  }
}
