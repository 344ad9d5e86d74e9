package dev.xenlevelling.xc.hv;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.hv.HostStateException.Reason;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.PolicyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The on-disk JSON of a host directory: {@code host.json} (what the host booted from) and
 * {@code domains.json} (its domains). Leaves are written as xen-cpuid -p prints them
 * ({@code 00000007:00000000 -> 00000002:...}), so the files are readable and diffable.
 */
final class StateJson {
  static final String HOST_FORMAT = "xen-levelling-host/1";
  static final String DOMAINS_FORMAT = "xen-levelling-domains/1";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern LEAF = Pattern.compile(
      "([0-9a-f]{8}):([0-9a-f]{8}) -> ([0-9a-f]{8}):([0-9a-f]{8}):([0-9a-f]{8}):([0-9a-f]{8})");

  private StateJson() {}

  /** The parsed host.json. */
  record HostFile(String bootId, BootConfig config) {}

  static String leafText(CpuidLeaf l) {
    return String.format(Locale.ROOT, "%08x:%08x -> %08x:%08x:%08x:%08x",
        l.leaf(), l.subleaf(), l.a(), l.b(), l.c(), l.d());
  }

  static byte[] writeHost(String bootId, BootConfig c) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", HOST_FORMAT);
    root.put("bootId", bootId);
    root.put("cmdline", c.cmdline());
    root.put("microcode", c.microcode().optionName());
    ObjectNode cpu = root.putObject("cpu");
    cpu.put("source", c.cpu().source());
    cpu.put("brand", c.cpu().brand());
    ArrayNode leaves = cpu.putArray("leaves");
    c.cpu().leaves().forEach(l -> leaves.add(leafText(l)));
    ObjectNode msrs = cpu.putObject("msrs");
    c.cpu().msrs().forEach((k, v) -> msrs.put(String.format(Locale.ROOT, "%08x", k),
        String.format(Locale.ROOT, "%016x", v)));
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }

  static HostFile readHost(String file, byte[] bytes) throws HostStateException {
    JsonNode root = parse(file, bytes);
    expectFormat(file, root, HOST_FORMAT);
    JsonNode cpu = field(file, root, "cpu");
    List<CpuidLeaf> leaves = leaves(file, field(file, cpu, "leaves"));
    TreeMap<Integer, Long> msrs = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = field(file, cpu, "msrs").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        msrs.put((int) Long.parseLong(e.getKey(), 16), Long.parseUnsignedLong(e.getValue().asText(), 16));
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
    if (leaves.stream().noneMatch(l -> l.leaf() == 0)) {
      throw corrupt(file, "the CPU has no leaf 0");
    }
    CpuDescription d = new CpuDescription(text(file, cpu, "source"), text(file, cpu, "brand"),
        ImmutableList.copyOf(leaves), ImmutableSortedMap.copyOf(msrs));
    return new HostFile(text(file, root, "bootId"),
        new BootConfig(d, text(file, root, "cmdline"), ucode));
  }

  static byte[] writeDomains(String bootId, DomainTable t) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", DOMAINS_FORMAT);
    root.put("bootId", bootId);
    root.put("nextDomid", t.nextDomid);
    ArrayNode ds = root.putArray("domains");
    for (Domain d : t.domains.values()) {
      ObjectNode o = ds.addObject();
      o.put("domid", d.domid());
      o.put("type", d.type() == DomainType.PV ? "pv" : "hvm");
      o.put("hap", d.hap());
      o.put("nestedHvm", d.nestedHvm());
      o.put("paused", d.paused());
      o.put("hasRun", d.creationFinished());
      ArrayNode leaves = o.putArray("leaves");
      d.policy().toLeaves().forEach(l -> leaves.add(leafText(l)));
      if (!d.legacyCpuid().isEmpty()) {
        ArrayNode legacy = o.putArray("setCpuid");
        d.legacyCpuid().forEach(l -> legacy.add(leafText(l)));
      }
      ObjectNode msrs = o.putObject("msrs");
      d.policy().toMsrs().forEach(m -> msrs.put(String.format(Locale.ROOT, "%08x", m.index()),
          String.format(Locale.ROOT, "%016x", m.value())));
    }
    return MAPPER.writeValueAsBytes(root);
  }

  /** Returns the table in {@code bytes}, or throws STALE if it belongs to another boot. */
  static DomainTable readDomains(String file, byte[] bytes, String bootId)
      throws HostStateException {
    JsonNode root = parse(file, bytes);
    expectFormat(file, root, DOMAINS_FORMAT);
    if (!text(file, root, "bootId").equals(bootId)) {
      throw new HostStateException(Reason.STALE,
          file + ": the host was rebooted since this process opened it; run the command again");
    }
    DomainTable t = new DomainTable();
    t.nextDomid = field(file, root, "nextDomid").asInt();
    for (JsonNode o : field(file, root, "domains")) {
      List<MsrEntry> msrs = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = field(file, o, "msrs").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        try {
          msrs.add(new MsrEntry((int) Long.parseLong(e.getKey(), 16), 0,
              Long.parseUnsignedLong(e.getValue().asText(), 16)));
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
      int domid = field(file, o, "domid").asInt();
      String type = text(file, o, "type");
      if (!type.equals("pv") && !type.equals("hvm")) {
        throw corrupt(file, "domain " + domid + " has type '" + type + "' (pv or hvm)");
      }
      try {
        t.domains.put(domid, new Domain(domid, type.equals("pv") ? DomainType.PV : DomainType.HVM,
            field(file, o, "hap").asBoolean(), field(file, o, "nestedHvm").asBoolean(),
            field(file, o, "paused").asBoolean(), field(file, o, "hasRun").asBoolean(), p,
            o.has("setCpuid") ? ImmutableList.copyOf(leaves(file, o.get("setCpuid")))
                : ImmutableList.of()));
      } catch (IllegalArgumentException e) {
        throw corrupt(file, e.getMessage());
      }
    }
    return t;
  }

  private static List<CpuidLeaf> leaves(String file, JsonNode arr) throws HostStateException {
    List<CpuidLeaf> out = new ArrayList<>();
    for (JsonNode n : arr) {
      Matcher m = LEAF.matcher(n.asText());
      if (!m.matches()) {
        throw corrupt(file, "leaf '" + n.asText() + "' is not LEAF:SUBLEAF -> EAX:EBX:ECX:EDX");
      }
      out.add(new CpuidLeaf(hex(m.group(1)), hex(m.group(2)), hex(m.group(3)), hex(m.group(4)),
          hex(m.group(5)), hex(m.group(6))));
    }
    return out;
  }

  private static int hex(String s) {
    return (int) Long.parseLong(s, 16);
  }

  private static JsonNode parse(String file, byte[] bytes) throws HostStateException {
    try {
      JsonNode n = MAPPER.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw corrupt(file, "expected a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? file : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new HostStateException(Reason.CORRUPT,
          where + ": not JSON: " + e.getOriginalMessage().split("\n")[0]);
    } catch (IOException e) {
      throw corrupt(file, "not JSON: " + e.getMessage().split("\n")[0]);
    }
  }

  private static void expectFormat(String file, JsonNode root, String format)
      throws HostStateException {
    String f = text(file, root, "format");
    if (!f.equals(format)) {
      throw corrupt(file, "format '" + f + "', expected '" + format + "'");
    }
  }

  private static JsonNode field(String file, JsonNode n, String name) throws HostStateException {
    JsonNode f = n.get(name);
    if (f == null || f.isNull()) {
      throw corrupt(file, "missing field '" + name + "'");
    }
    return f;
  }

  private static String text(String file, JsonNode n, String name) throws HostStateException {
    return field(file, n, name).asText();
  }

  private static HostStateException corrupt(String file, String msg) {
    return new HostStateException(Reason.CORRUPT, file + ": " + msg);
  }
}
