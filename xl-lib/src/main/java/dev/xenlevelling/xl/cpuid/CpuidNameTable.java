package dev.xenlevelling.xl.cpuid;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.policy.Register;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The names libxl's {@code cpuid=} string form accepts, loaded from the resource
 * {@code libxl-cpuid-names.csv} (CPU knowledge is data).
 *
 * <p>Latest Xen looks a name up first in its legacy table and then among the featureset names;
 * a legacy entry shadows a featureset name of the same spelling ({@code clflush} is the line-size
 * field; the flag is {@code clfsh}). The CSV already holds the result of that lookup, one row per
 * accepted name, so lookup here is one exact, case-sensitive map access.
 */
public final class CpuidNameTable {
  static final String RESOURCE = "libxl-cpuid-names.csv";
  private static final String HEADER =
      "name,leaf,subleaf,register,first_bit,bit_length,in_4_17,source,notes,libxl_since";

  private final ImmutableMap<String, CpuidName> byName;

  private CpuidNameTable(ImmutableMap<String, CpuidName> byName) {
    this.byName = byName;
  }

  /** Returns the latest Xen's table (331 names). */
  public static CpuidNameTable latest() {
    return Tables.LATEST;
  }

  /** Returns Debian Xen 4.17.7's table: the rows marked {@code in_4_17} (276 names). */
  public static CpuidNameTable xen417() {
    return Tables.XEN417;
  }

  /**
   * Returns the names libxl of {@code release} accepts: the latest table for {@link
   * XenRelease#LATEST}, none for a release older than 4.17.0 (whose names the table does not
   * record: such a pool gets the xend form).
   */
  public static CpuidNameTable forRelease(XenRelease release) {
    if (release.latest()) {
      return latest();
    }
    ImmutableMap.Builder<String, CpuidName> b = ImmutableMap.builder();
    for (CpuidName n : Tables.ALL) {
      if (n.acceptedBy(release)) {
        b.put(n.name(), n);
      }
    }
    return new CpuidNameTable(b.buildOrThrow());
  }

  private static final class Tables {
    static final ImmutableList<CpuidName> ALL = load();
    static final CpuidNameTable LATEST = of(ALL, false);
    static final CpuidNameTable XEN417 = of(ALL, true);
  }

  private static CpuidNameTable of(List<CpuidName> rows, boolean only417) {
    ImmutableMap.Builder<String, CpuidName> b = ImmutableMap.builder();
    for (CpuidName n : rows) {
      if (!only417 || n.inXen417()) {
        b.put(n.name(), n);
      }
    }
    return new CpuidNameTable(b.buildOrThrow());
  }

  /** Returns the entry for {@code name} (exact, case-sensitive), if the table has one. */
  public Optional<CpuidName> lookup(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Returns every entry, in the file's order. */
  public ImmutableList<CpuidName> names() {
    return byName.values().asList();
  }

  private static ImmutableList<CpuidName> load() {
    try (InputStream in = CpuidNameTable.class.getResourceAsStream(RESOURCE)) {
      checkState(in != null, "resource %s missing", RESOURCE);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = r.readLine();
      checkState(HEADER.equals(header), "%s:1: unexpected header %s", RESOURCE, header);
      ImmutableList.Builder<CpuidName> rows = ImmutableList.builder();
      int lineNo = 1;
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (!line.isEmpty()) {
          rows.add(parseRow(line, lineNo));
        }
      }
      return rows.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CpuidName parseRow(String line, int lineNo) {
    List<String> f = splitCsv(line);
    checkState(f.size() == 10, "%s:%s: expected 10 fields, got %s", RESOURCE, lineNo, f.size());
    try {
      String name = f.get(0);
      String leafText = f.get(1);
      String notes = f.get(8);
      CpuidName.Kind kind;
      int leaf;
      if (leafText.startsWith("msr:")) {
        kind = CpuidName.Kind.MSR;
        leaf = Integer.parseUnsignedInt(leafText.substring(6), 16);
      } else {
        leaf = Integer.parseUnsignedInt(leafText.substring(2), 16);
        if (notes.startsWith("value split: base family")) {
          kind = CpuidName.Kind.FAMILY;
        } else if (notes.startsWith("value split: low nibble")) {
          kind = CpuidName.Kind.MODEL;
        } else {
          kind = CpuidName.Kind.FIELD;
        }
      }
      int subleaf = f.get(2).isEmpty() ? CpuidPolicyList.NO_SUBLEAF : Integer.parseInt(f.get(2));
      String in417 = f.get(6);
      checkState(in417.equals("yes") || in417.equals("no"),
          "%s:%s: in_4_17 must be yes or no", RESOURCE, lineNo);
      ImmutableMap.Builder<String, Integer> since = ImmutableMap.builder();
      for (String release : f.get(9).isEmpty() ? new String[0] : f.get(9).split(" ")) {
        int dot = release.lastIndexOf('.');
        checkState(dot > 0, "%s:%s: libxl_since: %s is not MAJOR.MINOR.PATCH", RESOURCE, lineNo,
            release);
        since.put(release.substring(0, dot), Integer.parseInt(release.substring(dot + 1)));
      }
      return new CpuidName(name, kind, leaf, subleaf, Register.ofName(f.get(3)),
          Integer.parseInt(f.get(4)), Integer.parseInt(f.get(5)), in417.equals("yes"),
          since.buildOrThrow());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(RESOURCE + ":" + lineNo + ": " + e.getMessage(), e);
    }
  }

  /** Splits one CSV line; fields may be double-quoted (with {@code ""} for a quote). */
  static List<String> splitCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
