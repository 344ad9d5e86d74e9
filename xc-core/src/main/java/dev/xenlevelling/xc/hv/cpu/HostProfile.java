package dev.xenlevelling.xc.hv.cpu;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException.Reason;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The project's YAML host profile: a named real CPU, either embedding its CPUID leaves (as
 * {@code xen-cpuid -p} prints them) or pointing at a CPU source file beside it.
 *
 * <pre>
 * name: haswell-notsx
 * description: Intel Xeon E5-2650 v3 (Haswell-EP, 6/0x3f), TSX off
 * origin: libvirt tests/cputestdata/x86_64-cpuid-Xeon-E5-2650-v3.xml
 * microcode: as-dumped          # optional: as-dumped or tsx-off
 * cpuid:                        # either this ...
 *   - "00000000:00000000 -> 0000000f:756e6547:6c65746e:49656e69"
 * msr:                          # optional
 *   "0000010a": "000000000000002b"
 * dump: ../dumps/x.xml          # ... or this: a libvirt dump or xen-cpuid -p text, relative
 * </pre>
 *
 * <p>Read with SnakeYAML's safe constructor (no types, no tags), at most 1 MiB, 10 aliases and
 * nesting depth 10, no duplicate keys; every error names file:line:column.
 *
 * @param name the profile's name
 * @param description one line about the CPU
 * @param microcode the microcode the profile's CPU runs unless overridden
 * @param cpu the CPU
 */
record HostProfile(String name, String description, Microcode microcode, CpuDescription cpu) {
  static final int MAX_BYTES = 1 << 20;
  private static final ImmutableSet<String> KEYS =
      ImmutableSet.of("name", "description", "origin", "microcode", "cpuid", "msr", "dump");
  private static final Pattern LEAF = Pattern.compile(
      "([0-9a-fA-F]{8}):([0-9a-fA-F]{8}) -> ([0-9a-fA-F]{8}):([0-9a-fA-F]{8}):([0-9a-fA-F]{8}):"
          + "([0-9a-fA-F]{8})");
  private static final Pattern HEX = Pattern.compile("(0x)?[0-9a-fA-F]{1,16}");

  /** Returns the profile in {@code file}. */
  static HostProfile load(Path file) throws CpuSourceException {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new CpuSourceException(Reason.TOO_LARGE,
            file + ": larger than " + MAX_BYTES + " bytes; not a host profile");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CpuSourceException(Reason.UNREADABLE, file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text, Optional.ofNullable(file.toAbsolutePath().getParent()));
  }

  /** Returns the profile in {@code text}; a {@code dump:} is resolved against {@code dir}. */
  static HostProfile parse(String file, String text, Optional<Path> dir) throws CpuSourceException {
    LoaderOptions opts = new LoaderOptions();
    opts.setAllowDuplicateKeys(false);
    opts.setMaxAliasesForCollections(10);
    opts.setNestingDepthLimit(10);
    opts.setCodePointLimit(MAX_BYTES);
    opts.setAllowRecursiveKeys(false);
    Node root;
    try {
      root = new Yaml(new SafeConstructor(opts), new org.yaml.snakeyaml.representer.Representer(
          new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), opts)
          .compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new CpuSourceException(Reason.SYNTAX, at(file, m) + ": "
          + (e.getProblem() != null ? e.getProblem() : "malformed YAML"));
    } catch (YAMLException e) {
      throw new CpuSourceException(Reason.SYNTAX, file + ": " + e.getMessage().split("\n")[0]);
    }
    if (!(root instanceof MappingNode)) {
      throw new CpuSourceException(Reason.CONTENT,
          (root == null ? file : at(file, root.getStartMark())) + ": expected a mapping of "
              + String.join(", ", KEYS));
    }
    String name = null;
    String description = "";
    Microcode ucode = Microcode.AS_DUMPED;
    List<CpuidLeaf> leaves = null;
    TreeMap<Integer, Long> msrs = new TreeMap<>();
    Node dump = null;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (NodeTuple t : ((MappingNode) root).getValue()) {
      String key = scalar(file, t.getKeyNode());
      if (!seen.add(key)) {
        throw content(file, t.getKeyNode(), "duplicate key '" + key + "'");
      }
      Node v = t.getValueNode();
      switch (key) {
        case "name":
          name = scalar(file, v);
          break;
        case "description":
          description = scalar(file, v);
          break;
        case "origin":
          scalar(file, v);
          break;
        case "microcode":
          try {
            ucode = Microcode.ofName(scalar(file, v));
          } catch (IllegalArgumentException e) {
            throw content(file, v, e.getMessage());
          }
          break;
        case "cpuid":
          leaves = cpuid(file, v);
          break;
        case "msr":
          msrs = msrs(file, v);
          break;
        case "dump":
          dump = v;
          break;
        default:
          throw content(file, t.getKeyNode(),
              "unknown key '" + key + "' (expected one of " + String.join(", ", KEYS) + ")");
      }
    }
    if (name == null) {
      throw content(file, root, "missing key 'name'");
    }
    CpuDescription cpu;
    if (dump != null) {
      if (leaves != null) {
        throw content(file, dump, "give either 'cpuid' or 'dump', not both");
      }
      String rel = scalar(file, dump);
      Path p = dir.map(d -> d.resolve(rel)).orElse(Path.of(rel));
      CpuDescription d = CpuSources.loadFile(p);
      cpu = new CpuDescription("profile " + name, d.brand(), d.leaves(), d.msrs());
    } else {
      if (leaves == null) {
        throw content(file, root, "missing key 'cpuid' (or 'dump')");
      }
      if (leaves.stream().noneMatch(l -> l.leaf() == 0)) {
        throw content(file, root, "'cpuid' has no leaf 00000000");
      }
      cpu = new CpuDescription("profile " + name, description, ImmutableList.copyOf(leaves),
          ImmutableSortedMap.copyOf(msrs));
    }
    return new HostProfile(name, description, ucode, cpu);
  }

  private static List<CpuidLeaf> cpuid(String file, Node v) throws CpuSourceException {
    if (!(v instanceof SequenceNode)) {
      throw content(file, v, "'cpuid' must be a list of \"LEAF:SUBLEAF -> EAX:EBX:ECX:EDX\"");
    }
    List<CpuidLeaf> out = new ArrayList<>();
    for (Node n : ((SequenceNode) v).getValue()) {
      String s = scalar(file, n);
      Matcher m = LEAF.matcher(s.trim());
      if (!m.matches()) {
        throw content(file, n, "expected \"LEAF:SUBLEAF -> EAX:EBX:ECX:EDX\" (8 hex digits each),"
            + " found '" + s + "'");
      }
      int[] r = new int[6];
      for (int i = 0; i < 6; i++) {
        r[i] = (int) Long.parseLong(m.group(i + 1), 16);
      }
      out.add(new CpuidLeaf(r[0], r[1], r[2], r[3], r[4], r[5]));
    }
    return out;
  }

  private static TreeMap<Integer, Long> msrs(String file, Node v) throws CpuSourceException {
    if (!(v instanceof MappingNode)) {
      throw content(file, v, "'msr' must map hex MSR indices to hex values");
    }
    TreeMap<Integer, Long> out = new TreeMap<>();
    for (NodeTuple t : ((MappingNode) v).getValue()) {
      String k = scalar(file, t.getKeyNode());
      String val = scalar(file, t.getValueNode());
      if (!HEX.matcher(k).matches() || k.replaceFirst("^0x", "").length() > 8) {
        throw content(file, t.getKeyNode(), "expected a 32-bit hex MSR index, found '" + k + "'");
      }
      if (!HEX.matcher(val).matches()) {
        throw content(file, t.getValueNode(), "expected a 64-bit hex value, found '" + val + "'");
      }
      out.put((int) Long.parseLong(k.replaceFirst("^0x", ""), 16),
          Long.parseUnsignedLong(val.replaceFirst("^0x", ""), 16));
    }
    return out;
  }

  private static String scalar(String file, Node n) throws CpuSourceException {
    if (!(n instanceof ScalarNode)) {
      throw content(file, n, "expected a plain value");
    }
    return ((ScalarNode) n).getValue();
  }

  private static CpuSourceException content(String file, Node n, String msg) {
    return new CpuSourceException(Reason.CONTENT, at(file, n.getStartMark()) + ": " + msg);
  }

  private static String at(String file, Mark m) {
    return m == null ? file : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
  }
}
