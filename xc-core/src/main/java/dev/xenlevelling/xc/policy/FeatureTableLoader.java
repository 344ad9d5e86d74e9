package dev.xenlevelling.xc.policy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the feature table's three CSV files and checks them as gen-cpuid.py checks
 * cpufeatureset.h: words declared in order, features in word order, no duplicate name or bit,
 * only known attribute characters, no feature past the last word, each feature where its word
 * says, dependencies between known features and no dependency cycle. Every error names the file
 * and line.
 */
final class FeatureTableLoader {
  static final String WORDS = "featureset-words.csv";
  static final String FEATURES = "xen-features.csv";
  static final String DEPS = "xen-feature-deps.csv";

  private FeatureTableLoader() {}

  static FeatureTable loadBuiltIn() {
    try (Reader w = resource(WORDS); Reader f = resource(FEATURES); Reader d = resource(DEPS)) {
      return load(w, f, d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (FeatureTableException e) {
      throw new IllegalStateException("the built-in feature table is broken: " + e.getMessage(), e);
    }
  }

  private static Reader resource(String name) {
    InputStream in = FeatureTableLoader.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name);
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  /** Loads a table from the three files (named in errors as WORDS, FEATURES and DEPS). */
  static FeatureTable load(Reader wordsCsv, Reader featuresCsv, Reader depsCsv)
      throws IOException, FeatureTableException {
    ImmutableList<FeatureWord> words = readWords(new Csv(WORDS, wordsCsv));
    ImmutableList<Feature> features = readFeatures(new Csv(FEATURES, featuresCsv), words);
    Map<String, Feature> byName = new HashMap<>();
    for (Feature f : features) {
      byName.put(f.name(), f);
    }
    Map<Integer, List<Integer>> deps = readDeps(new Csv(DEPS, depsCsv), byName);
    EnumMap<StaticMask, Featureset> masks = masks(words.size(), features);
    int[] keys = deps.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    int[][] deep = new int[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      deep[i] = flatten(keys[i], deps, words.size(), features);
    }
    return new FeatureTable(words, features, masks, keys, deep);
  }

  private static ImmutableList<FeatureWord> readWords(Csv csv)
      throws IOException, FeatureTableException {
    csv.header("index", "abbr", "source", "leaf", "subleaf", "register", "msr_name");
    ImmutableList.Builder<FeatureWord> b = ImmutableList.builder();
    int expected = 0;
    for (String[] row; (row = csv.next()) != null; expected++) {
      int index = csv.integer(row[0], "word index");
      if (index != expected) {
        throw csv.error("word " + index + " out of order: expected word " + expected);
      }
      boolean msr;
      switch (row[2]) {
        case "cpuid": msr = false; break;
        case "msr": msr = true; break;
        default: throw csv.error("source must be cpuid or msr, not '" + row[2] + "'");
      }
      b.add(new FeatureWord(index, csv.nonEmpty(row[1], "abbr"), msr,
          csv.hex(row[3], "leaf"), csv.optionalInt(row[4], "subleaf"),
          csv.register(row[5]), row[6]));
    }
    ImmutableList<FeatureWord> words = b.build();
    if (words.isEmpty()) {
      throw new FeatureTableException(csv.file, 0, "no featureset words");
    }
    return words;
  }

  private static ImmutableList<Feature> readFeatures(Csv csv, List<FeatureWord> words)
      throws IOException, FeatureTableException {
    int[] col = csv.header("name", "word", "bit", "leaf", "subleaf", "register", "attrs", "name_4_17");
    List<Feature> out = new ArrayList<>();
    Map<String, Integer> seenNames = new HashMap<>();
    Map<Integer, String> seenBits = new HashMap<>();
    int lastWord = 0;
    for (String[] row; (row = csv.next()) != null; ) {
      String name = csv.nonEmpty(row[col[0]], "name");
      int word = csv.integer(row[col[1]], "word");
      int bit = csv.integer(row[col[2]], "bit");
      if (word >= words.size()) {
        throw csv.error("feature " + name + " is in word " + word
            + ", past the last declared word " + (words.size() - 1));
      }
      if (word < lastWord) {
        throw csv.error("feature " + name + " of word " + word
            + " comes after word " + lastWord + ": words must be in order");
      }
      lastWord = word;
      if (bit < 0 || bit > 31) {
        throw csv.error("feature " + name + " has bit " + bit + ", not 0 to 31");
      }
      checkPlace(csv, name, words.get(word), row[col[3]], row[col[4]], row[col[5]]);
      Integer dupLine = seenNames.put(name, csv.line);
      if (dupLine != null) {
        throw csv.error("duplicate feature name " + name + " (first at line " + dupLine + ")");
      }
      String other = seenBits.put(word * 32 + bit, name);
      if (other != null) {
        throw csv.error("feature " + name + " has the same bit as " + other
            + " (word " + word + " bit " + bit + ")");
      }
      EnumSet<Attribute> attrs = EnumSet.noneOf(Attribute.class);
      for (char c : row[col[6]].toCharArray()) {
        Attribute a = Attribute.ofMarker(c).orElseThrow(() -> csv.error(
            "feature " + name + " has unknown attribute '" + c + "' (known: A S H a s h ! |)"));
        attrs.add(a);
      }
      String old = row[col[7]];
      out.add(new Feature(name, word, bit, ImmutableSet.copyOf(attrs),
          old.isEmpty() ? Optional.empty() : Optional.of(old)));
    }
    return ImmutableList.copyOf(out);
  }

  private static void checkPlace(Csv csv, String name, FeatureWord w, String leaf, String subleaf,
      String register) throws FeatureTableException {
    String leafText = leaf.startsWith("msr:") ? leaf.substring(4) : leaf;
    boolean msr = leaf.startsWith("msr:");
    boolean ok = msr == w.msr()
        && csv.hex(leafText, "leaf") == w.leaf()
        && csv.optionalInt(subleaf, "subleaf").equals(w.subleaf())
        && csv.register(register) == w.register();
    if (!ok) {
      throw csv.error("feature " + name + " is at " + leaf + (subleaf.isEmpty() ? "" : ":" + subleaf)
          + "." + register + ", but its word " + w.index() + " (" + w.abbr() + ") is " + w.label());
    }
  }

  private static Map<Integer, List<Integer>> readDeps(Csv csv, Map<String, Feature> byName)
      throws IOException, FeatureTableException {
    int[] col = csv.header("feature", "depends_on");
    Map<Integer, List<Integer>> deps = new LinkedHashMap<>();
    for (String[] row; (row = csv.next()) != null; ) {
      Feature dependent = known(csv, byName, row[col[0]]);
      Feature key = known(csv, byName, row[col[1]]);
      deps.computeIfAbsent(key.index(), k -> new ArrayList<>()).add(dependent.index());
    }
    return deps;
  }

  private static Feature known(Csv csv, Map<String, Feature> byName, String name)
      throws FeatureTableException {
    Feature f = byName.get(name);
    if (f == null) {
      throw csv.error("dependency names unknown feature '" + name + "'");
    }
    return f;
  }

  /** Walks breadth-first from {@code key}, as gen-cpuid's flattening; reaching key is a cycle. */
  private static int[] flatten(int key, Map<Integer, List<Integer>> deps, int nrWords,
      List<Feature> features) throws FeatureTableException {
    int[] closure = new int[nrWords];
    ArrayDeque<Integer> todo = new ArrayDeque<>(deps.get(key));
    while (!todo.isEmpty()) {
      int f = todo.poll();
      if (f == key) {
        throw new FeatureTableException(DEPS, 0,
            "dependency cycle through " + nameOf(features, key));
      }
      if ((closure[f >>> 5] & (1 << (f & 31))) != 0) {
        continue;
      }
      closure[f >>> 5] |= 1 << (f & 31);
      todo.addAll(deps.getOrDefault(f, List.of()));
    }
    return closure;
  }

  private static String nameOf(List<Feature> features, int index) {
    return features.stream().filter(f -> f.index() == index).findFirst()
        .map(Feature::name).orElse(Integer.toString(index));
  }

  private static EnumMap<StaticMask, Featureset> masks(int nrWords, List<Feature> features) {
    EnumMap<StaticMask, int[]> m = new EnumMap<>(StaticMask.class);
    for (StaticMask s : StaticMask.values()) {
      m.put(s, new int[nrWords]);
    }
    for (Feature f : features) {
      for (StaticMask s : StaticMask.values()) {
        if (inMask(s, f)) {
          m.get(s)[f.word()] |= 1 << f.bit();
        }
      }
    }
    EnumMap<StaticMask, Featureset> out = new EnumMap<>(StaticMask.class);
    m.forEach((s, w) -> out.put(s, Featureset.wrap(w)));
    return out;
  }

  /** The mask rules of gen-cpuid.py (crunch_numbers). */
  private static boolean inMask(StaticMask s, Feature f) {
    boolean a = f.has(Attribute.ALL_DEFAULT);
    boolean am = a || f.has(Attribute.ALL_MAX);
    boolean sd = a || f.has(Attribute.HVM_DEFAULT);
    boolean sm = am || sd || f.has(Attribute.HVM_MAX);
    boolean hd = sd || f.has(Attribute.HAP_DEFAULT);
    boolean hm = sm || hd || f.has(Attribute.HAP_MAX);
    switch (s) {
      case KNOWN: return true;
      case SPECIAL: return f.has(Attribute.SPECIAL);
      case SIMPLE_OR: return f.has(Attribute.SIMPLE_OR);
      case PV_DEF: return a;
      case PV_MAX: return am;
      case HVM_SHADOW_DEF: return sd;
      case HVM_SHADOW_MAX: return sm;
      case HVM_HAP_DEF: return hd;
      case HVM_HAP_MAX: return hm;
      default: throw new AssertionError(s);
    }
  }

  /** A small reader for the table's unquoted CSV: comments start with #, blank lines skipped. */
  private static final class Csv {
    final String file;
    final BufferedReader in;
    int line;
    int width;

    Csv(String file, Reader r) {
      this.file = file;
      this.in = new BufferedReader(r);
    }

    /** Reads the header and returns the column of each wanted name. */
    int[] header(String... wanted) throws IOException, FeatureTableException {
      String[] h = next();
      if (h == null) {
        throw new FeatureTableException(file, line, "empty file: expected a header");
      }
      width = h.length;
      int[] col = new int[wanted.length];
      outer:
      for (int i = 0; i < wanted.length; i++) {
        for (int j = 0; j < h.length; j++) {
          if (h[j].equals(wanted[i])) {
            col[i] = j;
            continue outer;
          }
        }
        throw error("header has no column '" + wanted[i] + "'");
      }
      return col;
    }

    String[] next() throws IOException, FeatureTableException {
      String s;
      while ((s = in.readLine()) != null) {
        line++;
        if (s.isBlank() || s.startsWith("#")) {
          continue;
        }
        if (s.indexOf('"') >= 0) {
          throw error("quoted fields are not supported here");
        }
        String[] row = s.split(",", -1);
        if (width > 0 && row.length != width) {
          throw error("expected " + width + " fields, found " + row.length);
        }
        return row;
      }
      return null;
    }

    FeatureTableException error(String message) {
      return new FeatureTableException(file, line, message);
    }

    String nonEmpty(String s, String what) throws FeatureTableException {
      if (s.isEmpty()) {
        throw error("empty " + what);
      }
      return s;
    }

    int integer(String s, String what) throws FeatureTableException {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw error(what + " must be a decimal number, not '" + s + "'");
      }
    }

    int hex(String s, String what) throws FeatureTableException {
      if (!s.startsWith("0x")) {
        throw error(what + " must be 0x and hex digits, not '" + s + "'");
      }
      try {
        return Integer.parseUnsignedInt(s.substring(2), 16);
      } catch (NumberFormatException e) {
        throw error(what + " must be 0x and hex digits, not '" + s + "'");
      }
    }

    OptionalInt optionalInt(String s, String what) throws FeatureTableException {
      return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(integer(s, what));
    }

    Register register(String s) throws FeatureTableException {
      switch (s) {
        case "eax": return Register.EAX;
        case "ebx": return Register.EBX;
        case "ecx": return Register.ECX;
        case "edx": return Register.EDX;
        default: throw error("register must be eax, ebx, ecx or edx, not '" + s + "'");
      }
    }
  }
}
