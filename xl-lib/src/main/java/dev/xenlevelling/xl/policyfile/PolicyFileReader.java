package dev.xenlevelling.xl.policyfile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.FeaturesetFormatException;
import dev.xenlevelling.xl.cpuid.CpuidParseException;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.level.GuestType;
import dev.xenlevelling.xl.level.HostRef;
import dev.xenlevelling.xl.level.Vendor;
import dev.xenlevelling.xl.policyfile.PolicyFileException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The reader of policy files: limits first (size, encoding), then the YAML composed into nodes
 * in one pass over its events with the limits checked on each event (aliases, nesting, one
 * document), then the node tree walked against the schema with the position and key path of
 * every value. The YAML is only composed into nodes, never constructed into objects, so no tag
 * can instantiate anything; SnakeYAML's loader options carry the same limits as a second line of
 * defence.
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
  private static final Set<Tag> SCALAR_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);

  private final String file;
  private final FeatureTable table;
  private final Optional<Vendor> expectedVendor;

  PolicyFileReader(String file, FeatureTable table) {
    this(file, table, Optional.empty());
  }

  /** Returns a reader that also refuses a policy for another vendor than {@code expected}. */
  PolicyFileReader(String file, FeatureTable table, Optional<Vendor> expectedVendor) {
    this.file = file;
    this.table = table;
    this.expectedVendor = expectedVendor;
  }

  PolicyFile read(Path path) throws PolicyFileException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      // One byte more than the limit is already too many: the rest is never read.
      bytes = in.readNBytes(PolicyFile.MAX_BYTES + 1);
    } catch (IOException e) {
      throw new PolicyFileException(Reason.IO_ERROR, file, 0, 0, "",
          "cannot read: " + PolicyFile.describe(e));
    }
    if (bytes.length > PolicyFile.MAX_BYTES) {
      throw tooLarge();
    }
    return parse(decode(bytes));
  }

  PolicyFile parse(String text) throws PolicyFileException {
    // A char is at least one UTF-8 byte: a longer text is too large without counting.
    if (text.length() > PolicyFile.MAX_BYTES || PolicyFile.utf8Length(text) > PolicyFile.MAX_BYTES) {
      throw tooLarge();
    }
    Node root;
    try {
      root = compose(text);
    } catch (LimitExceeded e) {
      throw e.problem;
    } catch (MarkedYAMLException e) {
      throw malformed(e);
    } catch (YAMLException e) {
      throw new PolicyFileException(Reason.MALFORMED_YAML, file, 0, 0, "",
          "malformed YAML: " + firstLine(e.getMessage()));
    }
    if (root == null) {
      throw new PolicyFileException(Reason.MISSING_KEY, file, 1, 1, "",
          "expected a mapping with 'version: 1', found an empty file");
    }
    return policyFile(root);
  }

  private PolicyFileException tooLarge() {
    return new PolicyFileException(Reason.TOO_LARGE, file, 0, 0, "",
        "larger than the limit of " + PolicyFile.MAX_BYTES + " bytes");
  }

  /**
   * Returns the document's node tree, composed in one pass over the YAML events with the limits
   * checked on each event as it is parsed (aliases, nesting, one document), so no node is made
   * past a limit. SnakeYAML's loader options carry the same limits as a second line of defence;
   * nothing is constructed (no tag can instantiate anything).
   */
  private Node compose(String text) {
    LoaderOptions lo = new LoaderOptions();
    lo.setCodePointLimit(PolicyFile.MAX_BYTES + 1);
    lo.setMaxAliasesForCollections(PolicyFile.MAX_ALIASES);
    lo.setNestingDepthLimit(PolicyFile.MAX_DEPTH + 1);
    lo.setAllowDuplicateKeys(false);
    lo.setAllowRecursiveKeys(false);
    lo.setMergeOnCompose(false);
    Parser parser = new LimitedParser(new ParserImpl(new StreamReader(text), lo));
    return new Composer(parser, new Resolver(), lo).getSingleNode();
  }

  /** A limit was exceeded while composing: carries the error out of SnakeYAML's parser. */
  private static final class LimitExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    @SuppressWarnings("serial") // never serialised
    final PolicyFileException problem;

    LimitExceeded(PolicyFileException problem) {
      super(null, null, false, false);
      this.problem = problem;
    }
  }

  /** A parser that counts aliases, depth and documents on each event as it is first seen. */
  private final class LimitedParser implements Parser {
    private final Parser in;
    private Event counted;
    private int aliases;
    private int depth;
    private int documents;

    LimitedParser(Parser in) {
      this.in = in;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      count(in.peekEvent());
      return in.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return count(in.peekEvent());
    }

    @Override
    public Event getEvent() {
      count(in.peekEvent());
      return in.getEvent();
    }

    private Event count(Event e) {
      if (e == null || e == counted) {
        return e;
      }
      counted = e;
      if (e instanceof AliasEvent) {
        if (++aliases > PolicyFile.MAX_ALIASES) {
          throw new LimitExceeded(at(Reason.TOO_MANY_ALIASES, e.getStartMark(), "",
              "more than " + PolicyFile.MAX_ALIASES + " aliases; a policy file needs none"));
        }
      } else if (e instanceof CollectionStartEvent) {
        if (++depth > PolicyFile.MAX_DEPTH) {
          throw new LimitExceeded(at(Reason.NESTING_TOO_DEEP, e.getStartMark(), "",
              "nested more than " + PolicyFile.MAX_DEPTH + " levels deep"));
        }
      } else if (e instanceof CollectionEndEvent) {
        depth--;
      } else if (e instanceof DocumentStartEvent) {
        if (++documents > 1) {
          throw new LimitExceeded(at(Reason.MALFORMED_YAML, e.getStartMark(), "",
              "expected one YAML document, found a second"));
        }
      }
      return e;
    }
  }

  private String decode(byte[] bytes) throws PolicyFileException {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      int bad = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      String s = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8);
      throw new PolicyFileException(Reason.NOT_UTF8, file, line,
          s.codePointCount(0, s.length()) + 1, "",
          String.format("expected UTF-8 text, found byte 0x%02x", bytes[bad] & 0xff));
    }
    dec.flush(out);
    out.flip();
    return out.toString();
  }

  private PolicyFileException malformed(MarkedYAMLException e) {
    Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
    String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
    if (m == null) {
      return new PolicyFileException(Reason.MALFORMED_YAML, file, 0, 0, "",
          "malformed YAML: " + problem + context);
    }
    return at(Reason.MALFORMED_YAML, m, "", "malformed YAML: " + problem + context);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private PolicyFileException at(Reason reason, Mark m, String path, String detail) {
    return new PolicyFileException(reason, file, m.getLine() + 1, m.getColumn() + 1, path, detail);
  }

  private PolicyFileException at(Reason reason, Node n, String path, String detail) {
    return at(reason, n.getStartMark(), path, detail);
  }

  // ---- the schema ----

  private PolicyFile policyFile(Node root) throws PolicyFileException {
    Map<String, NodeTuple> m = mapping(root, "", ROOT_KEYS, "the policy file");
    Node version = require(m, root, "", "version", "the schema version, 1");
    long v = integer(version, "version", 0, Long.MAX_VALUE);
    if (v != PolicyFile.VERSION) {
      throw at(Reason.UNSUPPORTED_VERSION, version, "version",
          "unsupported schema version " + v + " (this xl reads version " + PolicyFile.VERSION + ")");
    }
    Node vendorNode = require(m, root, "", "vendor", "the CPU vendor");
    String vendorText = text(vendorNode, "vendor");
    Vendor vendor = Vendor.ofKey(vendorText).orElseThrow(() -> at(Reason.BAD_VALUE, vendorNode,
        "vendor", "expected one of intel, amd, hygon, centaur, shanghai, found " + quote(vendorText)));
    if (expectedVendor.isPresent() && expectedVendor.get() != vendor) {
      Vendor here = expectedVendor.get();
      throw at(Reason.WRONG_VENDOR, vendorNode, "vendor", "the policy is for " + vendor.key()
          + " hosts, but this host is " + here.key() + " (" + here.idString().trim()
          + "); a guest cannot be levelled across vendors");
    }
    ImmutableSortedMap.Builder<GuestType, TypePolicy> types = ImmutableSortedMap.naturalOrder();
    for (GuestType t : GuestType.values()) {
      NodeTuple tuple = m.get(t.key());
      if (tuple != null) {
        types.put(t, typePolicy(tuple.getValueNode(), t.key(), vendor));
      }
    }
    ImmutableSortedMap<GuestType, TypePolicy> built = types.buildOrThrow();
    if (built.isEmpty()) {
      throw at(Reason.MISSING_KEY, root, "",
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
    Map<String, NodeTuple> m = mapping(node, path, TYPE_KEYS, "a guest type section");
    Node fsNode = require(m, node, path, "featureset",
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
    ScalarNode s = scalar(node, path, "a featureset, %08x words separated by ':' (quote it)");
    if (s.getTag().equals(Tag.NULL)) {
      throw at(Reason.WRONG_TYPE, s, path,
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
    Map<String, NodeTuple> m = mapping(node, path, null, "a mapping of feature names to 0, 1, x, k or s");
    ImmutableMap.Builder<String, FeatureSetting> b = ImmutableMap.builder();
    for (Map.Entry<String, NodeTuple> e : m.entrySet()) {
      String name = e.getKey();
      String fpath = path + "." + name;
      if (table.byName(name).isEmpty()) {
        throw at(Reason.UNKNOWN_FEATURE, e.getValue().getKeyNode(), fpath,
            "unknown feature " + quote(name) + " (names are xen-cpuid's, as avx512f or sse4-1)");
      }
      Node v = e.getValue().getValueNode();
      ScalarNode s = scalar(v, fpath, "0, 1, x, k or s");
      Optional<FeatureSetting> setting = s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.STR)
          ? FeatureSetting.ofCode(s.getValue()) : Optional.empty();
      if (setting.isEmpty()) {
        throw at(Reason.BAD_VALUE, v, fpath, "expected 0, 1, x, k or s, found " + found(s));
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
      checkTag(seq, Tag.SEQ, path, "a cpuid= string or a list of strings");
      ImmutableList.Builder<String> items = ImmutableList.builder();
      List<Node> values = seq.getValue();
      for (int i = 0; i < values.size(); i++) {
        String item = nonEmptyText(values.get(i), path + "[" + i + "]", "a cpuid= leaf string");
        try {
          CpuidParser.latest().parseXendList(List.of(item));
        } catch (CpuidParseException e) {
          throw at(Reason.BAD_VALUE, values.get(i), path + "[" + i + "]", e.getMessage());
        }
        items.add(item);
      }
      return new CpuidText(CpuidText.Syntax.XEND, items.build());
    }
    String text = nonEmptyText(node, path, "a cpuid= string or a list of strings");
    try {
      CpuidParser.latest().parseLibxlString(text);
    } catch (CpuidParseException e) {
      throw at(Reason.BAD_VALUE, node, path, e.getMessage());
    }
    return new CpuidText(CpuidText.Syntax.LIBXL, ImmutableList.of(text));
  }

  /**
   * Returns the limits, each within what Xen can hold: the basic max leaf up to 0xd and the leaf
   * 7 max subleaf up to 2 (the sizes of Xen's arrays, XEN-FACTS b "From raw to host"), the
   * extended max leaf from 0x80000000 to the vendor's limit (Intel 0x80000008, AMD and Hygon
   * 0x80000021, others Xen's array limit 0x80000021; XEN-FACTS j).
   */
  private PolicyLimits limits(Node node, String path, Vendor vendor) throws PolicyFileException {
    Map<String, NodeTuple> m = mapping(node, path, LIMIT_KEYS, "a mapping of limits");
    OptionalLong maxLeaf = OptionalLong.empty();
    OptionalInt subleaf = OptionalInt.empty();
    OptionalLong extd = OptionalLong.empty();
    OptionalInt paddr = OptionalInt.empty();
    if (m.containsKey("max_leaf")) {
      maxLeaf = OptionalLong.of(
          integer(m.get("max_leaf").getValueNode(), path + ".max_leaf", 0, 0xd, true));
    }
    if (m.containsKey("leaf7_max_subleaf")) {
      subleaf = OptionalInt.of((int) integer(m.get("leaf7_max_subleaf").getValueNode(),
          path + ".leaf7_max_subleaf", 0, 2));
    }
    if (m.containsKey("extd_max_leaf")) {
      extd = OptionalLong.of(
          integer(m.get("extd_max_leaf").getValueNode(), path + ".extd_max_leaf", 0x80000000L,
              vendor == Vendor.INTEL ? 0x80000008L : 0x80000021L));
    }
    if (m.containsKey("maxphysaddr")) {
      paddr = OptionalInt.of(
          (int) integer(m.get("maxphysaddr").getValueNode(), path + ".maxphysaddr", 1, 64));
    }
    return new PolicyLimits(maxLeaf, subleaf, extd, paddr);
  }

  private Provenance provenance(Node node, String path) throws PolicyFileException {
    Map<String, NodeTuple> m = mapping(node, path, PROVENANCE_KEYS, "a provenance mapping");
    Node createdNode = require(m, node, path, "created", "when the policy was made, as 2026-01-31T12:00:00Z");
    String createdText = text(createdNode, path + ".created");
    Instant created;
    try {
      created = Instant.parse(createdText);
    } catch (DateTimeParseException e) {
      throw at(Reason.BAD_VALUE, createdNode, path + ".created",
          "expected a UTC time as 2026-01-31T12:00:00Z, found " + quote(createdText));
    }
    Node commandNode = require(m, node, path, "command", "the command that made the policy");
    requireString(commandNode, path + ".command", "the command that made the policy");
    String command = nonEmptyText(commandNode, path + ".command", "the command that made the policy");
    Node hostsNode = require(m, node, path, "hosts", "the list of hosts with name and fingerprint");
    if (!(hostsNode instanceof SequenceNode seq)) {
      throw at(Reason.WRONG_TYPE, hostsNode, path + ".hosts",
          "expected a list of hosts with name and fingerprint, found " + found(hostsNode));
    }
    checkTag(seq, Tag.SEQ, path + ".hosts", "a list of hosts");
    if (seq.getValue().isEmpty()) {
      throw at(Reason.BAD_VALUE, seq, path + ".hosts",
          "expected at least one host with name and fingerprint, found an empty list");
    }
    if (seq.getValue().size() > PolicyFile.MAX_HOSTS) {
      throw at(Reason.TOO_LARGE, seq, path + ".hosts", "more than " + PolicyFile.MAX_HOSTS
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
      Map<String, NodeTuple> hm = mapping(h, hpath, HOST_KEYS, "a host with name and fingerprint");
      Node nameNode = require(hm, h, hpath, "name", "the host's name");
      String name = oneLine(nameNode, hpath + ".name", "the host's name");
      Node fpNode = require(hm, h, hpath, "fingerprint", "the host's fingerprint");
      requireString(fpNode, hpath + ".fingerprint", "the host's fingerprint");
      String fp = oneLine(fpNode, hpath + ".fingerprint", "the host's fingerprint");
      if (seen.put(name, nameNode) != null) {
        throw at(Reason.BAD_VALUE, nameNode, hpath + ".name",
            "host " + quote(name) + " is listed twice");
      }
      hosts.add(new HostRef(name, fp));
      NodeTuple ref = hm.get("featuresets");
      // name, fingerprint and perhaps featuresets: no inline featureset to read (the usual case).
      HostFeaturesets sets = hm.size() == (ref == null ? 2 : 3) ? HostFeaturesets.NONE
          : hostFeaturesets(hm, hpath);
      if (ref != null) {
        String rpath = hpath + ".featuresets";
        if (!sets.isEmpty()) {
          throw at(Reason.BAD_VALUE, ref.getKeyNode(), rpath, "a host names its featuresets"
              + " (featuresets: ID) or lists them (pv_default, ...), not both");
        }
        String id = oneLine(ref.getValueNode(), rpath, "an id of provenance.host_featuresets");
        sets = shared.get(id);
        if (sets == null) {
          throw at(Reason.BAD_VALUE, ref.getValueNode(), rpath, "unknown id " + quote(id)
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
    Map<String, NodeTuple> m = mapping(node, path, null,
        "a mapping of ids to host featuresets (pv_default, pv_max, hvm_default, hvm_max)");
    if (m.size() > PolicyFile.MAX_HOSTS) {
      throw at(Reason.TOO_LARGE, node, path, "more than " + PolicyFile.MAX_HOSTS
          + " sets of featuresets (found " + m.size() + "), the limit of a policy file");
    }
    Map<String, HostFeaturesets> out = new HashMap<>();
    Map<HostFeaturesets, HostFeaturesets> distinct = new HashMap<>();
    for (Map.Entry<String, NodeTuple> e : m.entrySet()) {
      String spath = path + "." + e.getKey();
      Node v = e.getValue().getValueNode();
      Map<String, NodeTuple> sm = mapping(v, spath, FEATURESETS_KEYS,
          "a host's featuresets (pv_default, pv_max, hvm_default, hvm_max)");
      HostFeaturesets sets = hostFeaturesets(sm, spath);
      if (sets.isEmpty()) {
        throw at(Reason.MISSING_KEY, v, spath,
            "expected at least one of hvm_default, hvm_max, pv_default, pv_max, found none");
      }
      out.put(e.getKey(), distinct.computeIfAbsent(sets, s -> s));
    }
    return out;
  }

  /** Returns a host's optional {@code <type>_default} and {@code <type>_max} featuresets. */
  private HostFeaturesets hostFeaturesets(Map<String, NodeTuple> hm, String hpath)
      throws PolicyFileException {
    ImmutableSortedMap.Builder<GuestType, Featureset> defaults = ImmutableSortedMap.naturalOrder();
    ImmutableSortedMap.Builder<GuestType, Featureset> max = ImmutableSortedMap.naturalOrder();
    for (GuestType t : GuestType.values()) {
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

  /**
   * Returns the mapping's entries by key in file order, refusing non-string keys, duplicate keys
   * and (when {@code allowed} is not null) keys outside {@code allowed}.
   */
  private Map<String, NodeTuple> mapping(Node node, String path, Set<String> allowed, String what)
      throws PolicyFileException {
    if (!(node instanceof MappingNode mn)) {
      throw at(Reason.WRONG_TYPE, node, path, "expected " + what + " (a mapping), found " + found(node));
    }
    checkTag(mn, Tag.MAP, path, what);
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : mn.getValue()) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode ks) || ks.getTag().equals(Tag.NULL)) {
        throw at(Reason.WRONG_TYPE, k, path, "expected a key (a plain string), found " + found(k));
      }
      String key = ks.getValue();
      String kpath = path.isEmpty() ? key : path + "." + key;
      if (out.containsKey(key)) {
        throw at(Reason.DUPLICATE_KEY, k, kpath, "duplicate key " + quote(key)
            + " (first at line " + (out.get(key).getKeyNode().getStartMark().getLine() + 1) + ")");
      }
      if (allowed != null && !allowed.contains(key)) {
        throw at(Reason.UNKNOWN_KEY, k, kpath, "unknown key " + quote(key) + " (expected one of "
            + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
      out.put(key, t);
    }
    return out;
  }

  private Node require(Map<String, NodeTuple> m, Node parent, String path, String key, String what)
      throws PolicyFileException {
    NodeTuple t = m.get(key);
    if (t == null) {
      throw at(Reason.MISSING_KEY, parent, path.isEmpty() ? key : path + "." + key,
          "missing (expected " + what + ")");
    }
    return t.getValueNode();
  }

  private void checkTag(Node n, Tag expected, String path, String what) throws PolicyFileException {
    if (!n.getTag().equals(expected)) {
      throw at(Reason.WRONG_TYPE, n, path,
          "expected " + what + ", found a value tagged " + n.getTag().getValue());
    }
  }

  private ScalarNode scalar(Node node, String path, String what) throws PolicyFileException {
    if (!(node instanceof ScalarNode s)) {
      throw at(Reason.WRONG_TYPE, node, path, "expected " + what + ", found " + found(node));
    }
    if (!SCALAR_TAGS.contains(s.getTag())) {
      throw at(Reason.WRONG_TYPE, node, path,
          "expected " + what + ", found a value tagged " + s.getTag().getValue());
    }
    return s;
  }

  /** Refuses anything but a string scalar (a fingerprint of 5 is a mistake, not a name). */
  private void requireString(Node node, String path, String what) throws PolicyFileException {
    ScalarNode s = scalar(node, path, what + " (a string)");
    if (!s.getTag().equals(Tag.STR)) {
      throw at(Reason.WRONG_TYPE, node, path,
          "expected " + what + " (a string), found " + found(s) + " (quote it if it is one)");
    }
  }

  /** Returns a scalar's text; any scalar but null will do (a host may be called 1 or yes). */
  private String text(Node node, String path) throws PolicyFileException {
    ScalarNode s = scalar(node, path, "a string");
    if (s.getTag().equals(Tag.NULL)) {
      throw at(Reason.WRONG_TYPE, node, path, "expected a string, found nothing");
    }
    return s.getValue();
  }

  private String nonEmptyText(Node node, String path, String what) throws PolicyFileException {
    ScalarNode s = scalar(node, path, what);
    if (s.getTag().equals(Tag.NULL) || s.getValue().isEmpty()) {
      throw at(Reason.WRONG_TYPE, node, path, "expected " + what + ", found nothing");
    }
    return s.getValue();
  }

  private String oneLine(Node node, String path, String what) throws PolicyFileException {
    String s = nonEmptyText(node, path, what);
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      throw at(Reason.BAD_VALUE, node, path, "expected " + what + " on one line, found a line break");
    }
    return s;
  }

  /**
   * Returns an integer written in decimal or {@code 0x} hex, within {@code [min, max]}. Other
   * YAML 1.1 integer forms (octal, including a decimal with a leading zero, binary, sexagesimal,
   * {@code _} separators, signs) are refused: they are surprising in a file about CPUID leaves.
   */
  private long integer(Node node, String path, long min, long max) throws PolicyFileException {
    return integer(node, path, min, max, max > 0xffff);
  }

  /** Returns an integer as {@link #integer(Node, String, long, long)}, its range told in hex. */
  private long integer(Node node, String path, long min, long max, boolean hexRange)
      throws PolicyFileException {
    String range = max == Long.MAX_VALUE ? "an integer" : "an integer from "
        + (hexRange ? "0x" + Long.toHexString(min) : Long.toString(min)) + " to "
        + (hexRange ? "0x" + Long.toHexString(max) : Long.toString(max));
    ScalarNode s = scalar(node, path, range);
    if (!s.getTag().equals(Tag.INT)) {
      throw at(Reason.WRONG_TYPE, node, path, "expected " + range + ", found " + found(s));
    }
    String t = s.getValue();
    long v = 0;
    boolean hex = t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X');
    int i = hex ? 2 : 0;
    if (i == t.length() || (!hex && t.length() > 1 && t.charAt(0) == '0')) {
      throw at(Reason.BAD_VALUE, node, path, "expected " + range + " in decimal or 0x hex, found " + quote(t));
    }
    for (; i < t.length(); i++) {
      int d = Character.digit(t.charAt(i), hex ? 16 : 10);
      if (d < 0 || v > (Long.MAX_VALUE - d) / (hex ? 16 : 10)) {
        throw at(Reason.BAD_VALUE, node, path,
            "expected " + range + " in decimal or 0x hex, found " + quote(t));
      }
      v = v * (hex ? 16 : 10) + d;
    }
    if (v < min || v > max) {
      throw at(Reason.BAD_VALUE, node, path, "expected " + range + ", found " + t);
    }
    return v;
  }

  private static String found(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) n;
    if (s.getTag().equals(Tag.NULL)) {
      return "nothing";
    }
    return quote(s.getValue());
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("'");
    s.codePoints().limit(60).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    if (s.codePointCount(0, s.length()) > 60) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }
}
