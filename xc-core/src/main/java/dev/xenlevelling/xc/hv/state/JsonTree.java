package dev.xenlevelling.xc.hv.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.xenlevelling.xc.hv.state.HostStateException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON file of the state directory as jackson-databind's {@code ObjectMapper.readTree} read it,
 * over jackson-core's streaming parser only (see {@link StateJson} for why): a small tree of
 * maps, lists and scalars, and JsonNode's conversions of its values ({@code get}, {@code asText},
 * {@code asInt}, {@code asBoolean}, iteration). Errors are CORRUPT, naming the file.
 */
final class JsonTree {
  /** Plain jackson-core: the same parser and generator features as ObjectMapper's defaults. */
  static final JsonFactory FACTORY = new JsonFactory();
  /** JSON's null in the tree (a map or list cannot hold Java's null for it here). */
  static final Object NULL = new Object();

  private JsonTree() {}

  static Map<String, Object> parse(String file, byte[] bytes) throws HostStateException {
    Object n;
    try (JsonParser p = FACTORY.createParser(bytes)) {
      // Only the first value, as readTree: anything after it is not read.
      JsonToken first = p.nextToken();
      n = first == null ? null : value(p, first);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? file : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new HostStateException(Reason.CORRUPT,
          where + ": not JSON: " + e.getOriginalMessage().split("\n")[0]);
    } catch (IOException e) {
      throw corrupt(file, "not JSON: " + e.getMessage().split("\n")[0]);
    }
    if (!(n instanceof Map<?, ?>)) {
      throw corrupt(file, "expected a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) n;
    return root;
  }

  /** Returns the value that starts with {@code t}, read to its end. */
  static Object value(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      // The parser reports an early end itself; this is only a guard.
      throw new IOException("unexpected end of input");
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(value(p, e));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        // Integer, Long or BigInteger, the narrowest that holds it, as readTree's IntNode,
        // LongNode or BigIntegerNode. From the text, not getNumberValue(): that initialises
        // jackson-core's NumberInput, which compiles two regular expressions (start-up rule 2).
        return integer(p.getText());
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue(); // DoubleNode
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return NULL;
      default:
        // Embedded objects and the like: the textual parser never returns them.
        throw new IOException("unexpected token " + t);
    }
  }

  /** Returns a JSON integer's value (the parser checked its syntax) as the narrowest type. */
  static Number integer(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e2) {
        return new BigInteger(text);
      }
    }
  }


  /** Returns the value of {@code name} in {@code n}: JsonNode.get, missing if absent or null. */
  static Object field(String file, Object n, String name) throws HostStateException {
    Object f = n instanceof Map<?, ?> m ? m.get(name) : null;
    if (f == null || f == NULL) {
      throw corrupt(file, "missing field '" + name + "'");
    }
    return f;
  }

  static String text(String file, Object n, String name) throws HostStateException {
    return asText(field(file, n, name));
  }

  /** Returns JsonNode.asText: a string itself, a scalar's text, "" for an object or array. */
  static String asText(Object n) {
    if (n instanceof String s) {
      return s;
    }
    if (n == NULL) {
      return "null";
    }
    if (n instanceof Map<?, ?> || n instanceof List<?>) {
      return "";
    }
    return String.valueOf(n); // Boolean, Integer, Long, BigInteger, Double
  }

  /** Returns JsonNode.asInt: a number cut to int, a string parsed leniently, else 0. */
  static int asInt(Object n) {
    if (n instanceof Number v) {
      return v.intValue();
    }
    if (n instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (n instanceof String s) {
      // Jackson's NumberInput.parseAsInt(s, 0): trimmed; digits after an optional sign as an
      // int (0 if too big), anything else as a double cut to int (0 if not a number).
      String x = s.trim();
      if (x.startsWith("+")) {
        x = x.substring(1);
      }
      if (x.isEmpty()) {
        return 0;
      }
      for (int i = x.charAt(0) == '-' ? 1 : 0; i < x.length(); i++) {
        if (x.charAt(i) < '0' || x.charAt(i) > '9') {
          try {
            return (int) Double.parseDouble(x);
          } catch (NumberFormatException e) {
            return 0;
          }
        }
      }
      try {
        return Integer.parseInt(x);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** Returns JsonNode.asBoolean: a boolean, an integer not 0, a string "true"; else false. */
  static boolean asBoolean(Object n) {
    if (n instanceof Boolean b) {
      return b;
    }
    if (n instanceof Integer || n instanceof Long) {
      return ((Number) n).longValue() != 0;
    }
    if (n instanceof BigInteger v) {
      return v.signum() != 0;
    }
    return n instanceof String s && s.trim().equals("true");
  }

  /** Returns the elements of an array, the values of an object, nothing for a scalar. */
  static Collection<?> elements(Object n) {
    if (n instanceof List<?> l) {
      return l;
    }
    if (n instanceof Map<?, ?> m) {
      return m.values();
    }
    return List.of();
  }

  /** Returns the fields of an object, nothing for anything else (JsonNode.fields). */
  @SuppressWarnings("unchecked")
  static Collection<Map.Entry<String, Object>> fields(Object n) {
    return n instanceof Map<?, ?> m ? ((Map<String, Object>) m).entrySet() : List.of();
  }

  static HostStateException corrupt(String file, String msg) {
    return new HostStateException(Reason.CORRUPT, file + ": " + msg);
  }
}
