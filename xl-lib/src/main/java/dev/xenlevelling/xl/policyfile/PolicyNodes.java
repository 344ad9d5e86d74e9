package dev.xenlevelling.xl.policyfile;

import dev.xenlevelling.xl.policyfile.PolicyFileException.Reason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed access to a policy file's YAML nodes: mappings with their allowed keys, required keys,
 * scalars of one tag, texts and integers, each refusal a {@link PolicyFileException} at the
 * node's line and column and key path.
 */
final class PolicyNodes {
  private static final Set<Tag> SCALAR_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);

  private final String file;

  PolicyNodes(String file) {
    this.file = file;
  }

  PolicyFileException at(Reason reason, Mark m, String path, String detail) {
    return new PolicyFileException(reason, file, m.getLine() + 1, m.getColumn() + 1, path, detail);
  }

  PolicyFileException at(Reason reason, Node n, String path, String detail) {
    return at(reason, n.getStartMark(), path, detail);
  }

  /**
   * Returns the mapping's entries by key in file order, refusing non-string keys, duplicate keys
   * and (when {@code allowed} is not null) keys outside {@code allowed}.
   */
  Map<String, NodeTuple> mapping(Node node, String path, Set<String> allowed, String what)
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

  Node require(Map<String, NodeTuple> m, Node parent, String path, String key, String what)
      throws PolicyFileException {
    NodeTuple t = m.get(key);
    if (t == null) {
      throw at(Reason.MISSING_KEY, parent, path.isEmpty() ? key : path + "." + key,
          "missing (expected " + what + ")");
    }
    return t.getValueNode();
  }

  void checkTag(Node n, Tag expected, String path, String what) throws PolicyFileException {
    if (!n.getTag().equals(expected)) {
      throw at(Reason.WRONG_TYPE, n, path,
          "expected " + what + ", found a value tagged " + n.getTag().getValue());
    }
  }

  ScalarNode scalar(Node node, String path, String what) throws PolicyFileException {
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
  void requireString(Node node, String path, String what) throws PolicyFileException {
    ScalarNode s = scalar(node, path, what + " (a string)");
    if (!s.getTag().equals(Tag.STR)) {
      throw at(Reason.WRONG_TYPE, node, path,
          "expected " + what + " (a string), found " + found(s) + " (quote it if it is one)");
    }
  }

  /** Returns a scalar's text; any scalar but null will do (a host may be called 1 or yes). */
  String text(Node node, String path) throws PolicyFileException {
    ScalarNode s = scalar(node, path, "a string");
    if (s.getTag().equals(Tag.NULL)) {
      throw at(Reason.WRONG_TYPE, node, path, "expected a string, found nothing");
    }
    return s.getValue();
  }

  String nonEmptyText(Node node, String path, String what) throws PolicyFileException {
    ScalarNode s = scalar(node, path, what);
    if (s.getTag().equals(Tag.NULL) || s.getValue().isEmpty()) {
      throw at(Reason.WRONG_TYPE, node, path, "expected " + what + ", found nothing");
    }
    return s.getValue();
  }

  String oneLine(Node node, String path, String what) throws PolicyFileException {
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
  long integer(Node node, String path, long min, long max) throws PolicyFileException {
    return integer(node, path, min, max, max > 0xffff);
  }

  /** Returns an integer as {@link #integer(Node, String, long, long)}, its range told in hex. */
  long integer(Node node, String path, long min, long max, boolean hexRange)
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

  static String found(Node n) {
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

  static String quote(String s) {
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
