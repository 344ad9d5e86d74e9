package dev.xenlevelling.xl.json;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON generator that writes exactly what libxl's yajl generator writes: compact, or with
 * yajl's {@code beautify} flag (4-space indent, {@code "key": value}, an empty array as
 * {@code [} newline newline {@code ]}, a final newline), as libxl's {@code *_gen_json} and
 * {@code xl -N create} print.
 *
 * <p>A value is a {@code Map<String, ?>} (kept in its iteration order), a {@code List<?>}, a
 * {@code String}, a {@code Long} or {@code Integer} (written as a signed decimal) or a
 * {@code Boolean}. Strings are escaped as yajl does: {@code \" \\ \b \f \n \r \t}, other
 * control characters as {@code \}{@code u00XX} (upper-case hex), {@code /} and everything from
 * 0x7f up written as is.
 */
public final class Json {
  private static final String INDENT = "    ";

  private Json() {}

  /** Returns {@code value} as yajl writes it without beautify (no white space, no newline). */
  public static String compact(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, -1);
    return sb.toString();
  }

  /** Returns {@code value} as yajl writes it with beautify, ending in a newline. */
  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  /** Writes {@code v} at nesting {@code depth}; depth -1 means compact. */
  private static void write(StringBuilder sb, Object v, int depth) {
    boolean pretty = depth >= 0;
    if (v instanceof Map<?, ?> map) {
      sb.append('{');
      if (pretty) {
        sb.append('\n');
      }
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(pretty ? ",\n" : ",");
        }
        first = false;
        indent(sb, depth + 1);
        string(sb, (String) e.getKey());
        sb.append(pretty ? ": " : ":");
        write(sb, e.getValue(), pretty ? depth + 1 : -1);
      }
      if (pretty) {
        sb.append('\n');
        indent(sb, depth);
      }
      sb.append('}');
    } else if (v instanceof List<?> list) {
      sb.append('[');
      if (pretty) {
        sb.append('\n');
      }
      boolean first = true;
      for (Object o : list) {
        if (!first) {
          sb.append(pretty ? ",\n" : ",");
        }
        first = false;
        indent(sb, depth + 1);
        write(sb, o, pretty ? depth + 1 : -1);
      }
      if (pretty) {
        sb.append('\n');
        indent(sb, depth);
      }
      sb.append(']');
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
      sb.append(v);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v);
    }
  }

  private static void indent(StringBuilder sb, int depth) {
    for (int i = 0; i < depth; i++) {
      sb.append(INDENT);
    }
  }

  /** Appends {@code s} quoted and escaped as yajl_string_encode does (solidus not escaped). */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
