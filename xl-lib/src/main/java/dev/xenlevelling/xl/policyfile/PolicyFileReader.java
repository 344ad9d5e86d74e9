package dev.xenlevelling.xl.policyfile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.FeaturesetFormatException;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.cpuid.CpuidParseException;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.level.HostRef;
import dev.xenlevelling.xl.policyfile.PolicyFileException.Reason;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The reader of policy files: the file loaded within its limits into YAML nodes
 * ({@link PolicyYaml}), then the node tree walked against the schema with the position and key
 * path of every value ({@link PolicyNodes}).
 */
final class PolicyFileReader {
  private static final Set<String> ROOT_KEYS = Set.of("version", "vendor", "pv", "hvm", "provenance");
  private static final Set<String> TYPE_KEYS = Set.of("featureset", "features", "cpuid", "limits");
  private static final Set<String> LIMIT_KEYS =
      Set.of("max_leaf", "leaf7_max_subleaf", "extd_max_leaf", "maxphysaddr");
  private static final Set<String> PROVENANCE_KEYS =
      Set.of("created", "command", "host_featuresets", "hosts");
  private static final Set<String> HOST_KEYS = Set.of("name", "fingerprint", "featuresets",
      "pv_default", "pv_max", "hvm_default", "hvm_max");
  private static final Set<String> FEATURESETS_KEYS =
      Set.of("pv_default", "pv_max", "hvm_default", "hvm_max");

  private final String file;
  private final FeatureTable table;
  private final Optional<Vendor> expectedVendor;
  private final PolicyNodes nodes;
  private final PolicyYaml yaml;

  PolicyFileReader(String file, FeatureTable table) {
    this(file, table, Optional.empty());
  }

  /** Returns a reader that also refuses a policy for another vendor than {@code expected}. */
  PolicyFileReader(String file, FeatureTable table, Optional<Vendor> expectedVendor) {
    this.file = file;
    this.table = table;
    this.expectedVendor = expectedVendor;
    this.nodes = new PolicyNodes(file);
    this.yaml = new PolicyYaml(file, nodes);
  }

  PolicyFile read(Path path) throws PolicyFileException {
    return policyFile(yaml.load(path));
  }

  PolicyFile parse(String text) throws PolicyFileException {
    return policyFile(yaml.load(text));
  }

  // ---- the schema ----

  private PolicyFile policyFile(Node root) throws PolicyFileException {
    Map<String, NodeTuple> m = nodes.mapping(root, "", ROOT_KEYS, "the policy file");
    Node version = nodes.require(m, root, "", "version", "the schema version, 1");
    long v = nodes.integer(version, "version", 0, Long.MAX_VALUE);
    if (v != PolicyFile.VERSION) {
      throw nodes.at(Reason.UNSUPPORTED_VERSION, version, "version",
          "unsupported schema version " + v + " (this xl reads version " + PolicyFile.VERSION + ")");
    }
    Node vendorNode = nodes.require(m, root, "", "vendor", "the CPU vendor");
    String vendorText = nodes.text(vendorNode, "vendor");
    Vendor vendor = Vendor.ofKey(vendorText).orElseThrow(() -> nodes.at(Reason.BAD_VALUE, vendorNode,
        "vendor", "expected one of intel, amd, hygon, centaur, shanghai, found " + PolicyNodes.quote(vendorText)));
    if (expectedVendor.isPresent() && expectedVendor.get() != vendor) {
      Vendor here = expectedVendor.get();
      throw nodes.at(Reason.WRONG_VENDOR, vendorNode, "vendor", "the policy is for " + vendor.key()
          + " hosts, but this host is " + here.key() + " (" + here.signature().trim()
          + "); a guest cannot be levelled across vendors");
    }
    ImmutableSortedMap.Builder<DomainType, TypePolicy> types = ImmutableSortedMap.naturalOrder();
    for (DomainType t : DomainType.values()) {
      NodeTuple tuple = m.get(t.key());
      if (tuple != null) {
        types.put(t, typePolicy(tuple.getValueNode(), t.key(), vendor));
      }
    }
    ImmutableSortedMap<DomainType, TypePolicy> built = types.buildOrThrow();
    if (built.isEmpty()) {
      throw nodes.at(Reason.MISSING_KEY, root, "",
          "expected a 'pv:' or 'hvm:' section (or both), found neither");
    }
    Optional<Provenance> provenance = Optional.empty();
    NodeTuple p = m.get("provenance");
    if (p != null) {
      provenance = Optional.of(provenance(p.getValueNode(), "provenance"));
    }
    return new PolicyFile(vendor, built, provenance);
  }

  private TypePolicy typePolicy(Node node, String path, Vendor vendor) throws PolicyFileException {
    Map<String, NodeTuple> m = nodes.mapping(node, path, TYPE_KEYS, "a guest type section");
    Node fsNode = nodes.require(m, node, path, "featureset",
        "the levelled featureset, %08x words separated by ':'");
    Featureset fs = featureset(fsNode, path + ".featureset");
    ImmutableMap<String, FeatureSetting> features = ImmutableMap.of();
    NodeTuple f = m.get("features");
    if (f != null) {
      features = features(f.getValueNode(), path + ".features");
    }
    Optional<CpuidText> cpuid = Optional.empty();
    NodeTuple c = m.get("cpuid");
    if (c != null) {
      cpuid = Optional.of(cpuid(c.getValueNode(), path + ".cpuid"));
    }
    PolicyLimits limits = PolicyLimits.NONE;
    NodeTuple l = m.get("limits");
    if (l != null) {
      limits = limits(l.getValueNode(), path + ".limits", vendor);
    }
    return new TypePolicy(fs, features, cpuid, limits);
  }

  private Featureset featureset(Node node, String path) throws PolicyFileException {
    ScalarNode s = nodes.scalar(node, path, "a featureset, %08x words separated by ':' (quote it)");
    if (s.getTag().equals(Tag.NULL)) {
      throw nodes.at(Reason.WRONG_TYPE, s, path,
          "expected a featureset, %08x words separated by ':', found nothing");
    }
    try {
      return Featureset.parse(s.getValue());
    } catch (FeaturesetFormatException e) {
      int quoted = s.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED
          || s.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED ? 1 : 0;
      Mark m = s.getStartMark();
      throw new PolicyFileException(Reason.BAD_FEATURESET, file, m.getLine() + 1,
          m.getColumn() + quoted + e.column(), path, "bad featureset: " + e.reason());
    }
  }

  private ImmutableMap<String, FeatureSetting> features(Node node, String path)
      throws PolicyFileException {
    Map<String, NodeTuple> m = nodes.mapping(node, path, null, "a mapping of feature names to 0, 1, x, k or s");
    ImmutableMap.Builder<String, FeatureSetting> b = ImmutableMap.builder();
    for (Map.Entry<String, NodeTuple> e : m.entrySet()) {
      String name = e.getKey();
      String fpath = path + "." + name;
      if (table.byName(name).isEmpty()) {
        throw nodes.at(Reason.UNKNOWN_FEATURE, e.getValue().getKeyNode(), fpath,
            "unknown feature " + PolicyNodes.quote(name) + " (names are xen-cpuid's, as avx512f or sse4-1)");
      }
      Node v = e.getValue().getValueNode();
      ScalarNode s = nodes.scalar(v, fpath, "0, 1, x, k or s");
      Optional<FeatureSetting> setting = s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.STR)
          ? FeatureSetting.ofCode(s.getValue()) : Optional.empty();
      if (setting.isEmpty()) {
        throw nodes.at(Reason.BAD_VALUE, v, fpath, "expected 0, 1, x, k or s, found " + PolicyNodes.found(s));
      }
      b.put(name, setting.get());
    }
    return b.buildOrThrow();
  }

  /**
   * Returns a cpuid= text, checked with xl's cpuid= parser (so a bad item is refused here, at its
   * line, rather than when a domain is created).
   */
  private CpuidText cpuid(Node node, String path) throws PolicyFileException {
    if (node instanceof SequenceNode seq) {
      nodes.checkTag(seq, Tag.SEQ, path, "a cpuid= string or a list of strings");
      ImmutableList.Builder<String> items = ImmutableList.builder();
      List<Node> values = seq.getValue();
      for (int i = 0; i < values.size(); i++) {
        String item = nodes.nonEmptyText(values.get(i), path + "[" + i + "]", "a cpuid= leaf string");
        try {
          CpuidParser.latest().parseXendList(List.of(item));
        } catch (CpuidParseException e) {
          throw nodes.at(Reason.BAD_VALUE, values.get(i), path + "[" + i + "]", e.getMessage());
        }
        items.add(item);
      }
      return new CpuidText(CpuidText.Syntax.XEND, items.build());
    }
    String text = nodes.nonEmptyText(node, path, "a cpuid= string or a list of strings");
    try {
      CpuidParser.latest().parseLibxlString(text);
    } catch (CpuidParseException e) {
      throw nodes.at(Reason.BAD_VALUE, node, path, e.getMessage());
    }
    return new CpuidText(CpuidText.Syntax.LIBXL, ImmutableList.of(text));
  }

  /**
   * Returns the limits, each within what Xen can hold: the basic max leaf up to 0xd and the leaf
   * 7 max subleaf up to 2 (the sizes of Xen's arrays, CPUID_GUEST_NR_BASIC and _FEAT), the
   * extended max leaf from 0x80000000 to the vendor's limit (Intel 0x80000008, AMD and Hygon
   * 0x80000021, others Xen's array limit 0x80000021: CPUID_GUEST_NR_EXTD_INTEL and _AMD in
   * xen/include/xen/lib/x86/cpu-policy.h).
   */
  private PolicyLimits limits(Node node, String path, Vendor vendor) throws PolicyFileException {
    Map<String, NodeTuple> m = nodes.mapping(node, path, LIMIT_KEYS, "a mapping of limits");
    OptionalLong maxLeaf = OptionalLong.empty();
    OptionalInt subleaf = OptionalInt.empty();
    OptionalLong extd = OptionalLong.empty();
    OptionalInt paddr = OptionalInt.empty();
    if (m.containsKey("max_leaf")) {
      maxLeaf = OptionalLong.of(
          nodes.integer(m.get("max_leaf").getValueNode(), path + ".max_leaf", 0, 0xd, true));
    }
    if (m.containsKey("leaf7_max_subleaf")) {
      subleaf = OptionalInt.of((int) nodes.integer(m.get("leaf7_max_subleaf").getValueNode(),
          path + ".leaf7_max_subleaf", 0, 2));
    }
    if (m.containsKey("extd_max_leaf")) {
      extd = OptionalLong.of(
          nodes.integer(m.get("extd_max_leaf").getValueNode(), path + ".extd_max_leaf", 0x80000000L,
              vendor == Vendor.INTEL ? 0x80000008L : 0x80000021L));
    }
    if (m.containsKey("maxphysaddr")) {
      paddr = OptionalInt.of(
          (int) nodes.integer(m.get("maxphysaddr").getValueNode(), path + ".maxphysaddr", 1, 64));
    }
    return new PolicyLimits(maxLeaf, subleaf, extd, paddr);
  }

  private Provenance provenance(Node node, String path) throws PolicyFileException {
    Map<String, NodeTuple> m = nodes.mapping(node, path, PROVENANCE_KEYS, "a provenance mapping");
    Node createdNode = nodes.require(m, node, path, "created", "when the policy was made, as 2026-01-31T12:00:00Z");
    String createdText = nodes.text(createdNode, path + ".created");
    Instant created;
    try {
      created = Instant.parse(createdText);
    } catch (DateTimeParseException e) {
      throw nodes.at(Reason.BAD_VALUE, createdNode, path + ".created",
          "expected a UTC time as 2026-01-31T12:00:00Z, found " + PolicyNodes.quote(createdText));
    }
    Node commandNode = nodes.require(m, node, path, "command", "the command that made the policy");
    nodes.requireString(commandNode, path + ".command", "the command that made the policy");
    String command = nodes.nonEmptyText(commandNode, path + ".command", "the command that made the policy");
    Node hostsNode = nodes.require(m, node, path, "hosts", "the list of hosts with name and fingerprint");
    if (!(hostsNode instanceof SequenceNode seq)) {
      throw nodes.at(Reason.WRONG_TYPE, hostsNode, path + ".hosts",
          "expected a list of hosts with name and fingerprint, found " + PolicyNodes.found(hostsNode));
    }
    nodes.checkTag(seq, Tag.SEQ, path + ".hosts", "a list of hosts");
    if (seq.getValue().isEmpty()) {
      throw nodes.at(Reason.BAD_VALUE, seq, path + ".hosts",
          "expected at least one host with name and fingerprint, found an empty list");
    }
    if (seq.getValue().size() > PolicyFile.MAX_HOSTS) {
      throw nodes.at(Reason.TOO_LARGE, seq, path + ".hosts", "more than " + PolicyFile.MAX_HOSTS
          + " hosts (found " + seq.getValue().size() + "), the limit of a policy file");
    }
    Map<String, HostFeaturesets> shared = new HashMap<>();
    NodeTuple sharedTuple = m.get("host_featuresets");
    if (sharedTuple != null) {
      shared = sharedFeaturesets(sharedTuple.getValueNode(), path + ".host_featuresets");
    }
    ImmutableList.Builder<HostRef> hosts = ImmutableList.builder();
    ImmutableMap.Builder<String, HostFeaturesets> recorded = ImmutableMap.builder();
    Map<String, Node> seen = new HashMap<>();
    List<Node> values = seq.getValue();
    for (int i = 0; i < values.size(); i++) {
      String hpath = path + ".hosts[" + i + "]";
      Node h = values.get(i);
      Map<String, NodeTuple> hm = nodes.mapping(h, hpath, HOST_KEYS, "a host with name and fingerprint");
      Node nameNode = nodes.require(hm, h, hpath, "name", "the host's name");
      String name = nodes.oneLine(nameNode, hpath + ".name", "the host's name");
      Node fpNode = nodes.require(hm, h, hpath, "fingerprint", "the host's fingerprint");
      nodes.requireString(fpNode, hpath + ".fingerprint", "the host's fingerprint");
      String fp = nodes.oneLine(fpNode, hpath + ".fingerprint", "the host's fingerprint");
      if (seen.put(name, nameNode) != null) {
        throw nodes.at(Reason.BAD_VALUE, nameNode, hpath + ".name",
            "host " + PolicyNodes.quote(name) + " is listed twice");
      }
      hosts.add(new HostRef(name, fp));
      NodeTuple ref = hm.get("featuresets");
      // name, fingerprint and perhaps featuresets: no inline featureset to read (the usual case).
      HostFeaturesets sets = hm.size() == (ref == null ? 2 : 3) ? HostFeaturesets.NONE
          : hostFeaturesets(hm, hpath);
      if (ref != null) {
        String rpath = hpath + ".featuresets";
        if (!sets.isEmpty()) {
          throw nodes.at(Reason.BAD_VALUE, ref.getKeyNode(), rpath, "a host names its featuresets"
              + " (featuresets: ID) or lists them (pv_default, ...), not both");
        }
        String id = nodes.oneLine(ref.getValueNode(), rpath, "an id of provenance.host_featuresets");
        sets = shared.get(id);
        if (sets == null) {
          throw nodes.at(Reason.BAD_VALUE, ref.getValueNode(), rpath, "unknown id " + PolicyNodes.quote(id)
              + (shared.isEmpty() ? " (the file has no provenance.host_featuresets)"
                  : " (expected one of provenance.host_featuresets: "
                      + String.join(", ", shared.keySet().stream().sorted().limit(8).toList())
                      + (shared.size() > 8 ? ", ..." : "") + ")"));
        }
      }
      if (!sets.isEmpty()) {
        recorded.put(name, sets);
      }
    }
    return new Provenance(created, command, hosts.build(), recorded.buildOrThrow());
  }

  /**
   * Returns {@code provenance.host_featuresets}: per id, a set of host featuresets that hosts
   * name with {@code featuresets: ID} (each distinct set is written once, however many hosts of
   * that CPU the pool has). Equal sets under different ids are one value.
   */
  private Map<String, HostFeaturesets> sharedFeaturesets(Node node, String path)
      throws PolicyFileException {
    Map<String, NodeTuple> m = nodes.mapping(node, path, null,
        "a mapping of ids to host featuresets (pv_default, pv_max, hvm_default, hvm_max)");
    if (m.size() > PolicyFile.MAX_HOSTS) {
      throw nodes.at(Reason.TOO_LARGE, node, path, "more than " + PolicyFile.MAX_HOSTS
          + " sets of featuresets (found " + m.size() + "), the limit of a policy file");
    }
    Map<String, HostFeaturesets> out = new HashMap<>();
    Map<HostFeaturesets, HostFeaturesets> distinct = new HashMap<>();
    for (Map.Entry<String, NodeTuple> e : m.entrySet()) {
      String spath = path + "." + e.getKey();
      Node v = e.getValue().getValueNode();
      Map<String, NodeTuple> sm = nodes.mapping(v, spath, FEATURESETS_KEYS,
          "a host's featuresets (pv_default, pv_max, hvm_default, hvm_max)");
      HostFeaturesets sets = hostFeaturesets(sm, spath);
      if (sets.isEmpty()) {
        throw nodes.at(Reason.MISSING_KEY, v, spath,
            "expected at least one of hvm_default, hvm_max, pv_default, pv_max, found none");
      }
      out.put(e.getKey(), distinct.computeIfAbsent(sets, s -> s));
    }
    return out;
  }

  /** Returns a host's optional {@code <type>_default} and {@code <type>_max} featuresets. */
  private HostFeaturesets hostFeaturesets(Map<String, NodeTuple> hm, String hpath)
      throws PolicyFileException {
    ImmutableSortedMap.Builder<DomainType, Featureset> defaults = ImmutableSortedMap.naturalOrder();
    ImmutableSortedMap.Builder<DomainType, Featureset> max = ImmutableSortedMap.naturalOrder();
    for (DomainType t : DomainType.values()) {
      NodeTuple d = hm.get(t.key() + "_default");
      if (d != null) {
        defaults.put(t, featureset(d.getValueNode(), hpath + "." + t.key() + "_default"));
      }
      NodeTuple x = hm.get(t.key() + "_max");
      if (x != null) {
        max.put(t, featureset(x.getValueNode(), hpath + "." + t.key() + "_max"));
      }
    }
    return new HostFeaturesets(defaults.buildOrThrow(), max.buildOrThrow());
  }

  // ---- typed access with positions ----
}
