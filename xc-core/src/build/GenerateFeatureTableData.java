import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A build step (run by the xc-core POM at generate-sources, as a single-file program): copies the
 * feature table's three CSV files, verbatim, into string constants of a generated class
 * {@code dev.xenlevelling.xc.policy.FeatureTableData}, so that every command's start-up reads the
 * table from the class (already in the class-data archive) instead of looking up three resources
 * in a jar. The CSV files stay the single source of truth: FeatureTableDataTest checks that the
 * constants equal them, and FeatureTableLoader parses and checks the text exactly as before.
 *
 * <p>Usage: {@code java GenerateFeatureTableData.java RESOURCE_DIR OUTPUT_SOURCE_DIR}. The output
 * file is rewritten only when its content changes, so that an unchanged table recompiles nothing.
 */
public class GenerateFeatureTableData {
  /** The CSV files and the constants that hold them, in FeatureTableLoader's order. */
  private static final String[][] FILES = {
    {"featureset-words.csv", "WORDS"},
    {"xen-features.csv", "FEATURES"},
    {"xen-feature-deps.csv", "DEPS"},
  };

  /** Characters per string literal: at most 3 bytes each, well under a constant's 65535. */
  private static final int CHUNK = 16_000;

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java GenerateFeatureTableData.java RESOURCE_DIR OUTPUT_SOURCE_DIR");
      System.exit(2);
    }
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1], "dev", "xenlevelling", "xc", "policy", "FeatureTableData.java");
    StringBuilder sb = new StringBuilder();
    sb.append("package dev.xenlevelling.xc.policy;\n\n")
        .append("/**\n")
        .append(" * The feature table's CSV files, verbatim, generated at build time from ")
        .append("src/main/resources\n")
        .append(" * by xc-core/src/build/GenerateFeatureTableData.java: do not edit. Each file is ")
        .append("split into\n")
        .append(" * string literals of at most ").append(CHUNK).append(" characters, to be joined.\n")
        .append(" */\n")
        .append("final class FeatureTableData {\n");
    for (String[] f : FILES) {
      String text = Files.readString(in.resolve(f[0]), StandardCharsets.UTF_8);
      sb.append("  /** ").append(f[0]).append(". */\n")
          .append("  static final String[] ").append(f[1]).append(" = {\n");
      for (int i = 0; i < text.length(); i += CHUNK) {
        sb.append("    ");
        literal(sb, text.substring(i, Math.min(text.length(), i + CHUNK)));
        sb.append(",\n");
      }
      sb.append("  };\n\n");
    }
    sb.append("  private FeatureTableData() {}\n}\n");
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (Files.exists(out) && Arrays.equals(Files.readAllBytes(out), bytes)) {
      return;
    }
    Files.createDirectories(out.getParent());
    Files.write(out, bytes);
  }

  /** Appends {@code s} as a Java string literal: ASCII only, control characters as escapes. */
  private static void literal(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        default:
          if (c < 0x20) {
            // Octal, not \\u: a unicode escape of a line terminator would end the literal.
            sb.append(String.format("\\%03o", (int) c));
          } else if (c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
