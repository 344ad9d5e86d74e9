package dev.xenlevelling.xc.policy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reader of the feature table's three CSV files, checking them as gen-cpuid.py checks
 * cpufeatureset.h (the built-in table's as the build copied them into {@link FeatureTableData},
 * see {@link #loadBuiltIn}): words declared in order, features in word order, no duplicate name or
 * bit, only known attribute characters, no feature past the last word, each feature where its word
 * says, dependencies between known features (and, in {@link FeatureTableDerivation}, no dependency
 * cycle). Every error names the file and line. {@link FeatureTableCsv} cuts the rows into fields.
 */
final class FeatureTableLoader {
  static final String WORDS = "featureset-words.csv";
  static final String FEATURES = "xen-features.csv";
  static final String DEPS = "xen-feature-deps.csv";

  private FeatureTableLoader() {}

  /**
   * Returns the table of this module's CSV files. It parses the copy the build made of them as
   * string constants: a command's start-up then reads no jar resource (in the class-data archive
   * the launchers use, the constants are already there). FeatureTableDataTest checks the copy.
   */
  static FeatureTable loadBuiltIn() {
    try {
      ImmutableList<FeatureWord> words =
          readWords(new FeatureTableCsv(WORDS, text(FeatureTableData.WORDS)));
      ImmutableList<Feature> features =
          readFeatures(new FeatureTableCsv(FEATURES, text(FeatureTableData.FEATURES)), words);
      return new FeatureTable(words, features, new BuiltInDeps());
    } catch (FeatureTableException e) {
      throw broken(e);
    }
  }

  private static IllegalStateException broken(FeatureTableException e) {
    return new IllegalStateException("the built-in feature table is broken: " + e.getMessage(), e);
  }

  /** Reads the built-in dependency file and derives the masks, when the table is first asked. */
  private static final class BuiltInDeps implements FeatureTable.Deriver {
    @Override
    public FeatureTable.Derived derive(FeatureTable table) {
      try {
        return FeatureTableLoader.derive(table.words(), table.features(),
            new FeatureTableCsv(DEPS, text(FeatureTableData.DEPS)));
      } catch (FeatureTableException e) {
        throw broken(e);
      }
    }
  }

  /**
   * Returns the text of a CSV file as the build copied it into {@link FeatureTableData} (string
   * literals to be joined): the same bytes as the resource file, without a jar lookup at start-up.
   */
  static String text(String[] chunks) {
    if (chunks.length == 1) {
      return chunks[0];
    }
    StringBuilder sb = new StringBuilder();
    for (String c : chunks) {
      sb.append(c);
    }
    return sb.toString();
  }

  /** Loads a table from the three files (named in errors as WORDS, FEATURES and DEPS). */
  static FeatureTable load(Reader wordsCsv, Reader featuresCsv, Reader depsCsv)
      throws IOException, FeatureTableException {
    return load(new FeatureTableCsv(WORDS, wordsCsv), new FeatureTableCsv(FEATURES, featuresCsv),
        new FeatureTableCsv(DEPS, depsCsv));
  }

  private static FeatureTable load(FeatureTableCsv wordsCsv, FeatureTableCsv featuresCsv,
      FeatureTableCsv depsCsv) throws FeatureTableException {
    ImmutableList<FeatureWord> words = readWords(wordsCsv);
    ImmutableList<Feature> features = readFeatures(featuresCsv, words);
    return new FeatureTable(words, features, derive(words, features, depsCsv));
  }

  /** Reads the dependency file and works out the static masks and the deep dependencies. */
  private static FeatureTable.Derived derive(List<FeatureWord> words, List<Feature> features,
      FeatureTableCsv depsCsv) throws FeatureTableException {
    Map<String, Feature> byName = new HashMap<>();
    for (Feature f : features) {
      byName.put(f.name(), f);
    }
    return FeatureTableDerivation.derive(words.size(), features, readDeps(depsCsv, byName));
  }

  private static ImmutableList<FeatureWord> readWords(FeatureTableCsv csv)
      throws FeatureTableException {
    csv.header("index", "abbr", "source", "leaf", "subleaf", "register", "msr_name");
    ImmutableList.Builder<FeatureWord> b = ImmutableList.builder();
    int expected = 0;
    for (; csv.next(); expected++) {
      int index = csv.integer(csv.field(0), "word index");
      if (index != expected) {
        throw csv.error("word " + index + " out of order: expected word " + expected);
      }
      boolean msr;
      String source = csv.field(2);
      switch (source) {
        case "cpuid": msr = false; break;
        case "msr": msr = true; break;
        default: throw csv.error("source must be cpuid or msr, not '" + source + "'");
      }
      b.add(new FeatureWord(index, csv.nonEmpty(csv.field(1), "abbr"), msr,
          csv.hex(csv.field(3), "leaf"), csv.optionalInt(csv.field(4), "subleaf"),
          csv.register(csv.field(5)), csv.field(6)));
    }
    ImmutableList<FeatureWord> words = b.build();
    if (words.isEmpty()) {
      throw new FeatureTableException(csv.file, 0, "no featureset words");
    }
    return words;
  }

  private static ImmutableList<Feature> readFeatures(FeatureTableCsv csv, List<FeatureWord> words)
      throws FeatureTableException {
    int[] col = csv.header("name", "word", "bit", "leaf", "subleaf", "register", "attrs", "name_4_17");
    List<Feature> out = new ArrayList<>(512);
    // Most features share one of a few attribute strings: parse each and make its set once.
    Map<String, ImmutableSet<Attribute>> attrSets = new HashMap<>();
    Map<String, Integer> seenNames = new HashMap<>(512);
    String[] seenBits = new String[words.size() * Featureset.BITS_PER_WORD];
    // The place (leaf, subleaf, register) last checked against its word: rows of one word repeat it.
    int placeWord = -1;
    String placeLeaf = null;
    String placeSubleaf = null;
    String placeRegister = null;
    int lastWord = 0;
    while (csv.next()) {
      String name = csv.nonEmpty(csv.field(col[0]), "name");
      int word = csv.integer(csv.field(col[1]), "word");
      int bit = csv.integer(csv.field(col[2]), "bit");
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
      String leaf = csv.field(col[3]);
      String subleaf = csv.field(col[4]);
      String register = csv.field(col[5]);
      if (word != placeWord || !leaf.equals(placeLeaf) || !subleaf.equals(placeSubleaf)
          || !register.equals(placeRegister)) {
        checkPlace(csv, name, words.get(word), leaf, subleaf, register);
        placeWord = word;
        placeLeaf = leaf;
        placeSubleaf = subleaf;
        placeRegister = register;
      }
      Integer dupLine = seenNames.put(name, csv.line);
      if (dupLine != null) {
        throw csv.error("duplicate feature name " + name + " (first at line " + dupLine + ")");
      }
      String other = seenBits[word * Featureset.BITS_PER_WORD + bit];
      if (other != null) {
        throw csv.error("feature " + name + " has the same bit as " + other
            + " (word " + word + " bit " + bit + ")");
      }
      seenBits[word * Featureset.BITS_PER_WORD + bit] = name;
      String markers = csv.field(col[6]);
      ImmutableSet<Attribute> attrSet = attrSets.get(markers);
      if (attrSet == null) {
        EnumSet<Attribute> attrs = EnumSet.noneOf(Attribute.class);
        for (int i = 0; i < markers.length(); i++) {
          char c = markers.charAt(i);
          Optional<Attribute> a = Attribute.ofMarker(c);
          if (a.isEmpty()) {
            throw csv.error(
                "feature " + name + " has unknown attribute '" + c + "' (known: A S H a s h ! |)");
          }
          attrs.add(a.get());
        }
        attrSet = ImmutableSet.copyOf(attrs);
        attrSets.put(markers, attrSet);
      }
      String old = csv.field(col[7]);
      out.add(new Feature(name, word, bit, attrSet,
          old.isEmpty() ? Optional.empty() : Optional.of(old)));
    }
    return ImmutableList.copyOf(out);
  }

  private static void checkPlace(FeatureTableCsv csv, String name, FeatureWord w, String leaf,
      String subleaf, String register) throws FeatureTableException {
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

  private static Map<Integer, List<Integer>> readDeps(FeatureTableCsv csv,
      Map<String, Feature> byName) throws FeatureTableException {
    int[] col = csv.header("feature", "depends_on");
    Map<Integer, List<Integer>> deps = new LinkedHashMap<>();
    while (csv.next()) {
      Feature dependent = known(csv, byName, csv.field(col[0]));
      Feature key = known(csv, byName, csv.field(col[1]));
      List<Integer> list = deps.get(key.index());
      if (list == null) {
        list = new ArrayList<>();
        deps.put(key.index(), list);
      }
      list.add(dependent.index());
    }
    return deps;
  }

  private static Feature known(FeatureTableCsv csv, Map<String, Feature> byName, String name)
      throws FeatureTableException {
    Feature f = byName.get(name);
    if (f == null) {
      throw csv.error("dependency names unknown feature '" + name + "'");
    }
    return f;
  }
}
