package dev.xenlevelling.xc.hv.state;

import static dev.xenlevelling.xc.hv.state.JsonTree.asBoolean;
import static dev.xenlevelling.xc.hv.state.JsonTree.asInt;
import static dev.xenlevelling.xc.hv.state.JsonTree.asText;
import static dev.xenlevelling.xc.hv.state.JsonTree.corrupt;
import static dev.xenlevelling.xc.hv.state.JsonTree.elements;
import static dev.xenlevelling.xc.hv.state.JsonTree.field;
import static dev.xenlevelling.xc.hv.state.JsonTree.fields;
import static dev.xenlevelling.xc.hv.state.JsonTree.parse;
import static dev.xenlevelling.xc.hv.state.JsonTree.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.Domain;
import dev.xenlevelling.xc.hv.DomainTable;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;
import dev.xenlevelling.xc.hv.cpu.LeafText;
import dev.xenlevelling.xc.hv.state.HostStateException.Reason;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.PolicyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The on-disk JSON of a host directory: {@code host.json} (what the host booted from) and
 * {@code domains.json} (its domains). Leaves are written as xen-cpuid -p prints them
 * ({@code 00000007:00000000 -> 00000002:...}), so the files are readable and diffable.
 *
 * <p>Start-up: every host command reads these files, so this class uses jackson-core's streaming
 * parser and generator only. Jackson-databind's ObjectMapper, which the first version used, cost
 * some 50 ms of each command's start (its date format, time zone and locale set-up); the bytes
 * written are the same as that version's (StateJsonFormatTest holds them to its goldens), and a
 * file is read as its {@code readTree} read it: into {@link JsonTree}, a small tree of maps, lists
 * and scalars whose accessors convert as JsonNode's {@code asText}, {@code asInt},
 * {@code asBoolean} and iteration do. This class is the schema; JsonTree the databind imitation.
 */
final class StateJson {
  static final String HOST_FORMAT = "xen-levelling-host/1";
  static final String DOMAINS_FORMAT = "xen-levelling-domains/1";

  private StateJson() {}

  /** The parsed host.json. */
  record HostFile(String bootId, BootConfig config) {}

  /** Returns {@code v} as {@code %08x} (an MSR index) formats it. */
  private static String hex8(int v) {
    char[] c = new char[8];
    LeafText.hex8(c, 0, v);
    return new String(c);
  }

  /** Returns {@code v} as {@code %016x} (an MSR value) formats it. */
  private static String hex16(long v) {
    char[] c = new char[16];
    LeafText.hex8(c, 0, (int) (v >>> 32));
    LeafText.hex8(c, 8, (int) v);
    return new String(c);
  }

  static byte[] writeHost(String bootId, BootConfig c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JsonTree.FACTORY.createGenerator(out)) {
      // What ObjectMapper.writerWithDefaultPrettyPrinter() writes with.
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeStringField("format", HOST_FORMAT);
      g.writeStringField("bootId", bootId);
      g.writeStringField("cmdline", c.cmdline());
      g.writeStringField("microcode", c.microcode().optionName());
      g.writeObjectFieldStart("cpu");
      g.writeStringField("source", c.cpu().source());
      g.writeStringField("brand", c.cpu().brand());
      g.writeArrayFieldStart("leaves");
      for (CpuidLeaf l : c.cpu().leaves()) {
        g.writeString(LeafText.format(l));
      }
      g.writeEndArray();
      g.writeObjectFieldStart("msrs");
      for (Map.Entry<Integer, Long> m : c.cpu().msrs().entrySet()) {
        g.writeStringField(hex8(m.getKey()), hex16(m.getValue()));
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  static HostFile readHost(String file, byte[] bytes) throws HostStateException {
    Map<String, Object> root = parse(file, bytes);
    expectFormat(file, root, HOST_FORMAT);
    Object cpu = field(file, root, "cpu");
    List<CpuidLeaf> leaves = leaves(file, field(file, cpu, "leaves"));
    TreeMap<Integer, Long> msrs = new TreeMap<>();
    for (Map.Entry<String, Object> e : fields(field(file, cpu, "msrs"))) {
      try {
        msrs.put((int) Long.parseLong(e.getKey(), 16),
            Long.parseUnsignedLong(asText(e.getValue()), 16));
      } catch (NumberFormatException ex) {
        throw corrupt(file, "MSR " + e.getKey() + " is not hex");
      }
    }
    Microcode ucode;
    try {
      ucode = Microcode.ofName(text(file, root, "microcode"));
    } catch (IllegalArgumentException e) {
      throw corrupt(file, e.getMessage());
    }
    boolean leaf0 = false;
    for (CpuidLeaf l : leaves) {
      leaf0 |= l.leaf() == 0;
    }
    if (!leaf0) {
      throw corrupt(file, "the CPU has no leaf 0");
    }
    CpuDescription d = new CpuDescription(text(file, cpu, "source"), text(file, cpu, "brand"),
        ImmutableList.copyOf(leaves), ImmutableSortedMap.copyOf(msrs));
    return new HostFile(text(file, root, "bootId"),
        new BootConfig(d, text(file, root, "cmdline"), ucode));
  }

  static byte[] writeDomains(String bootId, DomainTable t) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JsonTree.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("format", DOMAINS_FORMAT);
      g.writeStringField("bootId", bootId);
      g.writeNumberField("nextDomid", t.nextDomid());
      g.writeArrayFieldStart("domains");
      for (Domain d : t.domains().values()) {
        g.writeStartObject();
        g.writeNumberField("domid", d.domid());
        g.writeStringField("type", d.type() == DomainType.PV ? "pv" : "hvm");
        g.writeBooleanField("hap", d.hap());
        g.writeBooleanField("nestedHvm", d.nestedHvm());
        g.writeBooleanField("paused", d.paused());
        g.writeBooleanField("hasRun", d.creationFinished());
        g.writeArrayFieldStart("leaves");
        for (CpuidLeaf l : d.policy().toLeaves()) {
          g.writeString(LeafText.format(l));
        }
        g.writeEndArray();
        if (!d.legacyCpuid().isEmpty()) {
          g.writeArrayFieldStart("setCpuid");
          for (CpuidLeaf l : d.legacyCpuid()) {
            g.writeString(LeafText.format(l));
          }
          g.writeEndArray();
        }
        g.writeObjectFieldStart("msrs");
        // A JSON object keeps one value per name, the last one (as databind's ObjectNode did).
        LinkedHashMap<String, String> msrs = new LinkedHashMap<>();
        for (MsrEntry m : d.policy().toMsrs()) {
          msrs.put(hex8(m.index()), hex16(m.value()));
        }
        for (Map.Entry<String, String> m : msrs.entrySet()) {
          g.writeStringField(m.getKey(), m.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Returns the table in {@code bytes}, or throws STALE if it belongs to another boot. */
  static DomainTable readDomains(String file, byte[] bytes, String bootId)
      throws HostStateException {
    Map<String, Object> root = parse(file, bytes);
    expectFormat(file, root, DOMAINS_FORMAT);
    if (!text(file, root, "bootId").equals(bootId)) {
      throw new HostStateException(Reason.STALE,
          file + ": the host was rebooted since this process opened it; run the command again");
    }
    DomainTable t = new DomainTable();
    t.setNextDomid(asInt(field(file, root, "nextDomid")));
    for (Object o : elements(field(file, root, "domains"))) {
      List<MsrEntry> msrs = new ArrayList<>();
      for (Map.Entry<String, Object> e : fields(field(file, o, "msrs"))) {
        try {
          msrs.add(new MsrEntry((int) Long.parseLong(e.getKey(), 16), 0,
              Long.parseUnsignedLong(asText(e.getValue()), 16)));
        } catch (NumberFormatException ex) {
          throw corrupt(file, "MSR " + e.getKey() + " is not hex");
        }
      }
      CpuPolicy p;
      try {
        p = CpuPolicy.fromLeaves(leaves(file, field(file, o, "leaves")), msrs);
      } catch (PolicyException e) {
        throw corrupt(file, e.getMessage());
      }
      int domid = asInt(field(file, o, "domid"));
      String type = text(file, o, "type");
      if (!type.equals("pv") && !type.equals("hvm")) {
        throw corrupt(file, "domain " + domid + " has type '" + type + "' (pv or hvm)");
      }
      // JsonNode.has: a name present with the value null counts (and has no elements).
      Object legacy = o instanceof Map<?, ?> m ? m.get("setCpuid") : null;
      try {
        t.put(new Domain(domid, type.equals("pv") ? DomainType.PV : DomainType.HVM,
            asBoolean(field(file, o, "hap")), asBoolean(field(file, o, "nestedHvm")),
            asBoolean(field(file, o, "paused")), asBoolean(field(file, o, "hasRun")), p,
            legacy != null ? ImmutableList.copyOf(leaves(file, legacy)) : ImmutableList.of()));
      } catch (IllegalArgumentException e) {
        throw corrupt(file, e.getMessage());
      }
    }
    return t;
  }

  private static List<CpuidLeaf> leaves(String file, Object arr) throws HostStateException {
    List<CpuidLeaf> out = new ArrayList<>();
    for (Object n : elements(arr)) {
      String s = asText(n);
      if (!isLeafText(s)) {
        throw corrupt(file, "leaf '" + s + "' is not LEAF:SUBLEAF -> EAX:EBX:ECX:EDX");
      }
      out.add(new CpuidLeaf(hex(s, 0), hex(s, 9), hex(s, 21), hex(s, 30), hex(s, 39),
          hex(s, 48)));
    }
    return out;
  }

  /**
   * Returns whether {@code s} is a leaf as {@link LeafText#format} writes it: six groups of 8
   * lower-case hex digits, {@code LLLLLLLL:SSSSSSSS -> AAAAAAAA:BBBBBBBB:CCCCCCCC:DDDDDDDD}.
   */
  private static boolean isLeafText(String s) {
    if (s.length() != LeafText.LENGTH || s.charAt(8) != ':' || !s.startsWith(" -> ", 17)
        || s.charAt(29) != ':' || s.charAt(38) != ':' || s.charAt(47) != ':') {
      return false;
    }
    for (int at : new int[] {0, 9, 21, 30, 39, 48}) {
      for (int i = at; i < at + 8; i++) {
        char ch = s.charAt(i);
        if (!(ch >= '0' && ch <= '9') && !(ch >= 'a' && ch <= 'f')) {
          return false;
        }
      }
    }
    return true;
  }

  /** Returns the 8 hex digits of {@code s} at {@code at} (checked by isLeafText) as 32 bits. */
  private static int hex(String s, int at) {
    int v = 0;
    for (int i = at; i < at + 8; i++) {
      char ch = s.charAt(i);
      v = (v << 4) | (ch <= '9' ? ch - '0' : ch - 'a' + 10);
    }
    return v;
  }

  private static void expectFormat(String file, Map<String, Object> root, String format)
      throws HostStateException {
    String f = text(file, root, "format");
    if (!f.equals(format)) {
      throw corrupt(file, "format '" + f + "', expected '" + format + "'");
    }
  }
}
