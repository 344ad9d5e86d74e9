package dev.xenlevelling.xc.policy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads the feature table's three CSV files (the built-in table's as the build copied them into
 * {@link FeatureTableData}, see {@link #loadBuiltIn}) and checks them as gen-cpuid.py checks
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

  /**
   * Returns the table of this module's CSV files. It parses the copy the build made of them as
   * string constants: a command's start-up then reads no jar resource (in the class-data archive
   * the launchers use, the constants are already there). FeatureTableDataTest checks the copy.
   */
  static FeatureTable loadBuiltIn() {
    try {
      ImmutableList<FeatureWord> words = readWords(new Csv(WORDS, text(FeatureTableData.WORDS)));
      ImmutableList<Feature> features =
          readFeatures(new Csv(FEATURES, text(FeatureTableData.FEATURES)), words);
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
            new Csv(DEPS, text(FeatureTableData.DEPS)));
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
    return load(new Csv(WORDS, wordsCsv), new Csv(FEATURES, featuresCsv), new Csv(DEPS, depsCsv));
  }

  private static FeatureTable load(Csv wordsCsv, Csv featuresCsv, Csv depsCsv)
      throws FeatureTableException {
    ImmutableList<FeatureWord> words = readWords(wordsCsv);
    ImmutableList<Feature> features = readFeatures(featuresCsv, words);
    return new FeatureTable(words, features, derive(words, features, depsCsv));
  }

  /** Reads the dependency file and works out the static masks and the deep dependencies. */
  private static FeatureTable.Derived derive(List<FeatureWord> words, List<Feature> features,
      Csv depsCsv) throws FeatureTableException {
    Map<String, Feature> byName = new HashMap<>();
    for (Feature f : features) {
      byName.put(f.name(), f);
    }
    Map<Integer, List<Integer>> deps = readDeps(depsCsv, byName);
    EnumMap<StaticMask, Featureset> masks = masks(words.size(), features);
    int[] keys = new int[deps.size()];
    int k = 0;
    for (Integer key : deps.keySet()) {
      keys[k++] = key;
    }
    Arrays.sort(keys);
    int[][] deep = new int[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      deep[i] = flatten(keys[i], deps, words.size(), features);
    }
    return new FeatureTable.Derived(words.size(), masks, keys, deep);
  }

  private static ImmutableList<FeatureWord> readWords(Csv csv) throws FeatureTableException {
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

  private static ImmutableList<Feature> readFeatures(Csv csv, List<FeatureWord> words)
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
      throws FeatureTableException {
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
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    addAll(todo, deps.get(key));
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
      addAll(todo, deps.get(f));
    }
    return closure;
  }

  /** Appends {@code from} (null: nothing) by hand: ArrayDeque.addAll would spin up a lambda. */
  private static void addAll(ArrayDeque<Integer> todo, List<Integer> from) {
    if (from != null) {
      for (int i = 0; i < from.size(); i++) {
        todo.add(from.get(i));
      }
    }
  }

  private static String nameOf(List<Feature> features, int index) {
    for (Feature f : features) {
      if (f.index() == index) {
        return f.name();
      }
    }
    return Integer.toString(index);
  }

  private static EnumMap<StaticMask, Featureset> masks(int nrWords, List<Feature> features) {
    StaticMask[] all = StaticMask.values();
    int[][] m = new int[all.length][nrWords];
    // Which masks a feature is in depends on its attributes alone, and features share a few
    // attribute sets (one instance each, see readFeatures): work each set's masks out once.
    Map<Set<Attribute>, boolean[]> bySet = new IdentityHashMap<>();
    for (Feature f : features) {
      boolean[] in = bySet.get(f.attributes());
      if (in == null) {
        in = new boolean[all.length];
        for (StaticMask s : all) {
          in[s.ordinal()] = inMask(s, f);
        }
        bySet.put(f.attributes(), in);
      }
      for (int i = 0; i < in.length; i++) {
        if (in[i]) {
          m[i][f.word()] |= 1 << f.bit();
        }
      }
    }
    EnumMap<StaticMask, Featureset> out = new EnumMap<>(StaticMask.class);
    for (StaticMask s : all) {
      out.put(s, Featureset.wrap(m[s.ordinal()]));
    }
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

  /**
   * A small reader for the table's unquoted CSV: comments start with #, blank lines skipped, lines
   * end as BufferedReader's do ({@code \n}, {@code \r} or {@code \r\n}). The text is read whole
   * and each field cut out only when asked for: the feature table is read at every command's
   * start, so this avoids a Reader stack, String.split and the fields nobody reads.
   */
  private static final class Csv {
    final String file;
    private final String text;
    private int pos;
    /**
     * The next {@code \r} and {@code "} at or after pos (text.length() if none), kept so that each
     * search runs once through the text, not once per line to its end.
     */
    private int nextCr = -1;
    private int nextQuote = -1;
    int line;
    int width;
    /** The current row: its start and end, and the offset of each comma in it. */
    private int rowStart;
    private int rowEnd;
    private int[] commas = new int[16];
    private int nrCommas;

    Csv(String file, Reader r) throws IOException {
      this(file, readAll(r));
    }

    Csv(String file, String text) {
      this.file = file;
      this.text = text;
    }

    private static String readAll(Reader r) throws IOException {
      StringBuilder sb = new StringBuilder(8192);
      char[] buf = new char[8192];
      for (int n; (n = r.read(buf)) > 0; ) {
        sb.append(buf, 0, n);
      }
      return sb.toString();
    }

    /** Reads the header and returns the column of each wanted name. */
    int[] header(String... wanted) throws FeatureTableException {
      if (!next()) {
        throw new FeatureTableException(file, line, "empty file: expected a header");
      }
      width = nrCommas + 1;
      String[] h = new String[width];
      for (int j = 0; j < width; j++) {
        h[j] = field(j);
      }
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

    /** Moves to the next row and returns true, or returns false at the end of the text. */
    boolean next() throws FeatureTableException {
      int n = text.length();
      while (pos < n) {
        int start = pos;
        if (nextCr < start) {
          nextCr = text.indexOf('\r', start);
          if (nextCr < 0) {
            nextCr = n;
          }
        }
        int lf = text.indexOf('\n', start);
        int end = lf < 0 ? n : lf;
        if (nextCr < end) {
          end = nextCr;
          pos = end + 1 < n && text.charAt(end + 1) == '\n' ? end + 2 : end + 1;
        } else {
          pos = end < n ? end + 1 : n;
        }
        line++;
        if (isBlank(start, end) || text.startsWith("#", start)) {
          continue;
        }
        if (nextQuote < start) {
          nextQuote = text.indexOf('"', start);
          if (nextQuote < 0) {
            nextQuote = n;
          }
        }
        if (nextQuote < end) {
          throw error("quoted fields are not supported here");
        }
        rowStart = start;
        rowEnd = end;
        nrCommas = 0;
        for (int c = text.indexOf(',', start); c >= 0 && c < end; c = text.indexOf(',', c + 1)) {
          if (nrCommas == commas.length) {
            commas = Arrays.copyOf(commas, 2 * nrCommas);
          }
          commas[nrCommas++] = c;
        }
        if (width > 0 && nrCommas + 1 != width) {
          throw error("expected " + width + " fields, found " + (nrCommas + 1));
        }
        return true;
      }
      return false;
    }

    private boolean isBlank(int start, int end) {
      for (int i = start; i < end; i++) {
        if (!Character.isWhitespace(text.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    /** Returns field {@code i} of the current row (0 is the first). */
    String field(int i) {
      int from = i == 0 ? rowStart : commas[i - 1] + 1;
      int to = i == nrCommas ? rowEnd : commas[i];
      return text.substring(from, to);
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
