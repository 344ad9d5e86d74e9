package dev.xenlevelling.xc.policy;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The tokenizer of the feature table's unquoted CSV files (what gen-cpuid.py's line parsing of
 * cpufeatureset.h is to Xen), with the field conversions of its rows: comments start with #,
 * blank lines are skipped, lines end as BufferedReader's do ({@code \n}, {@code \r} or
 * {@code \r\n}). The text is read whole and each field cut out only when asked for: the feature
 * table is read at every command's start, so this avoids a Reader stack, String.split and the
 * fields nobody reads.
 */
final class FeatureTableCsv {
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

  FeatureTableCsv(String file, Reader r) throws IOException {
    this(file, readAll(r));
  }

  FeatureTableCsv(String file, String text) {
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
