package dev.xenlevelling.xl.config;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The xl.cfg grammar of libxlutil ({@code libxlu_cfg_l.l} and {@code libxlu_cfg_y.y}).
 *
 * <pre>
 * file      := { NEWLINE | ';' | IDENT ('=' | '+=') value (NEWLINE | ';' | end) }
 * value     := STRING | NUMBER | '[' nl* [ value nl* { ',' nl* value nl* } [ ',' nl* ] ] ']'
 * IDENT     := [a-z][._0-9a-z]*
 * NUMBER    := [0-9][0-9a-fA-FxX]*           (kept as text)
 * STRING    := "..." or '...' on one line, with \" \' \\ \a \b \f \n \r \t \v
 * comments  := # to end of line; blanks and tabs are skipped
 * </pre>
 *
 * <p>{@code +=} appends a list to a list or a string to a string (libxlutil's
 * {@code xlu__cfg_concat_vals}). Deviations, deliberate: the first error stops the parse (libxlutil
 * reports it and recovers, but xl then refuses the file anyway); {@code \xHH} and octal escapes
 * are errors here, because libxlutil never stores the character ({@code \x} always fails there
 * and an octal escape silently vanishes); a carriage return is skipped as a blank (libxlutil: a
 * lexical error), so files with CRLF line ends parse; a bad character on a last line without a
 * newline is an error (libxlutil's lexer reaches end of file in its error state and silently
 * drops it). Text: a file is parsed one character per byte ({@link #decode}, {@link
 * #parseDecoded}), as C reads it, so columns count bytes; quoted strings are given as the
 * characters their bytes mean ({@link #bytesToText}).
 * Everything else is checked against the real libxlutil 4.17
 * ({@code golden/libxlutil-4.17}).
 */
public final class ConfigParser {
  private ConfigParser() {}

  /** Returns {@code text} (characters) parsed as the config file {@code source}. */
  public static Config parse(String source, String text) throws ConfigException {
    return parse(source, text, Config.empty());
  }

  /**
   * Returns {@code base} with the settings of {@code text} (characters, named {@code source})
   * added: later settings win and {@code +=} appends to {@code base}'s value, as xl does with the
   * {@code KEY=VALUE} arguments of {@code xl create} (parsed with the same grammar).
   */
  public static Config parse(String source, String text, Config base) throws ConfigException {
    return parse(source, text, base, false);
  }

  /**
   * Returns {@code base} with the settings of {@code text} added, as {@link #parse(String, String,
   * Config)}, where {@code text} has one character per byte of the file ({@link #decode}, {@link
   * #fromChars}), as libxlutil reads it: its quoted strings are given as the characters their
   * bytes mean ({@link #bytesToText}).
   */
  public static Config parseDecoded(String source, String text, Config base)
      throws ConfigException {
    return parse(source, text, base, true);
  }

  private static Config parse(String source, String text, Config base, boolean bytes)
      throws ConfigException {
    Map<String, Setting> settings = new LinkedHashMap<>(base.settings());
    new Grammar(new Lexer(source, text, bytes), settings).file();
    return new Config(ImmutableMap.copyOf(settings));
  }

  /**
   * Returns a config file's {@code bytes} as text to parse, one character per byte (ISO-8859-1),
   * as libxlutil reads them: byte-transparent, so no byte (a Latin-1 comment, {@code \xff} in a
   * string) makes a file unreadable.
   */
  public static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /**
   * Returns text given as characters (a command-line argument, which Java has decoded) as the
   * one-character-per-byte text the parser reads: its UTF-8 bytes, {@link #decode}d.
   */
  public static String fromChars(String chars) {
    return decode(chars.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the quoted string {@code s}, read one character per byte ({@link #decode}), as the
   * characters its bytes mean, so that a value printed or stored gives back the file's bytes:
   * valid UTF-8 sequences are decoded, and each other byte over 0x7f (Latin-1 text, a stray
   * {@code \xff}) becomes the lone surrogate U+DC80 to U+DCFF, as Python's
   * {@code surrogateescape} (xl's output writes it back as the byte). A character over U+00FF
   * cannot be a byte: such a string (text not given through {@link #decode} or {@link
   * #fromChars}) is returned as is.
   */
  static String bytesToText(String s) {
    boolean high = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        return s;
      }
      high |= c > 0x7f;
    }
    if (!high) {
      return s;
    }
    ByteBuffer in = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    CharBuffer out = CharBuffer.allocate(s.length());
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    while (true) {
      CoderResult r = dec.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      for (int i = 0; i < r.length(); i++) {
        out.put((char) (0xdc00 | (in.get() & 0xff)));
      }
    }
    out.flip();
    return out.toString();
  }

  /** Token kinds, named as bison names them in libxlutil's messages. */
  enum Kind {
    IDENT("IDENT"), STRING("STRING"), NUMBER("NUMBER"), NEWLINE("NEWLINE"), ASSIGN("'='"),
    OP_ADD("OP_ADD"), COMMA("','"), SEMICOLON("';'"), OPEN("'['"), CLOSE("']'"), END("$end");

    final String display;

    Kind(String display) {
      this.display = display;
    }
  }

  /** A token: kind, text as written, dequoted value (strings), position. */
  record Token(Kind kind, String raw, String value, Position position) {}

  /** The lexer of libxlu_cfg_l.l. */
  static final class Lexer {
    private final String source;
    private final String text;
    /** Whether {@code text} has one character per byte (quoted strings then decoded). */
    private final boolean bytes;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String source, String text, boolean bytes) {
      this.source = source;
      this.text = text;
      this.bytes = bytes;
    }

    private Position here(int at) {
      return new Position(source, line, at - lineStart + 1);
    }

    Token next() throws ConfigException {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else if (c == '#') {
          while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
          }
        } else {
          break;
        }
      }
      int start = pos;
      Position p = here(start);
      if (pos >= text.length()) {
        return new Token(Kind.END, "", "", p);
      }
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
        return new Token(Kind.NEWLINE, "\n", "\n", p);
      }
      if (c >= 'a' && c <= 'z') {
        while (pos < text.length() && isIdentChar(text.charAt(pos))) {
          pos++;
        }
        return token(Kind.IDENT, start, p);
      }
      if (c >= '0' && c <= '9') {
        while (pos < text.length() && isNumberChar(text.charAt(pos))) {
          pos++;
        }
        return token(Kind.NUMBER, start, p);
      }
      if (c == '"' || c == '\'') {
        return string(c, start, p);
      }
      if (c == '+' && pos + 1 < text.length() && text.charAt(pos + 1) == '=') {
        pos += 2;
        return token(Kind.OP_ADD, start, p);
      }
      Kind k = switch (c) {
        case '=' -> Kind.ASSIGN;
        case ',' -> Kind.COMMA;
        case ';' -> Kind.SEMICOLON;
        case '[' -> Kind.OPEN;
        case ']' -> Kind.CLOSE;
        default -> null;
      };
      if (k != null) {
        pos++;
        return token(k, start, p);
      }
      int end = start;
      while (end < text.length() && " \t\n".indexOf(text.charAt(end)) < 0) {
        end++;
      }
      String near = text.substring(start, end);
      // As libxlutil: these characters suggest a Python-style config (xm's), no longer supported.
      String hint = "+-.():".indexOf(c) >= 0
          ? " (the config file looks like it contains Python code, which xl does not support)"
          : "";
      throw new ConfigException(p, "config parsing error near `" + near + "': lexical error"
          + hint);
    }

    private Token token(Kind k, int start, Position p) {
      String raw = text.substring(start, pos);
      return new Token(k, raw, raw, p);
    }

    private static boolean isIdentChar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    }

    private static boolean isNumberChar(char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == 'x' || c == 'X';
    }

    /** Reads a quoted string and dequotes it as xlu__cfgl_dequote. */
    private Token string(char quote, int start, Position p) throws ConfigException {
      StringBuilder value = new StringBuilder();
      int i = start + 1;
      while (true) {
        if (i >= text.length() || text.charAt(i) == '\n') {
          throw new ConfigException(p, "config parsing error near `"
              + text.substring(start, i) + "': lexical error (unterminated string: expected "
              + quote + " before the end of the line)");
        }
        char c = text.charAt(i);
        if (c == quote) {
          break;
        }
        if (c == '\\') {
          if (i + 1 >= text.length() || text.charAt(i + 1) == '\n') {
            i++;
            continue; // reported as unterminated above
          }
          char nc = text.charAt(i + 1);
          String esc = switch (nc) {
            case '"', '\'', '\\' -> String.valueOf(nc);
            case 'a' -> "\007";
            case 'b' -> "\b";
            case 'f' -> "\f";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'v' -> "\013";
            default -> null;
          };
          if (esc == null) {
            String why = nc == 'x' || (nc >= '0' && nc <= '7')
                ? "numeric character escapes are not supported (libxlutil never stores them)"
                : "invalid character after backslash in quoted string";
            throw new ConfigException(here(i), "config parsing error near `\\" + nc + "': "
                + why + "; expected one of \\\" \\' \\\\ \\a \\b \\f \\n \\r \\t \\v");
          }
          value.append(esc);
          i += 2;
        } else {
          value.append(c);
          i++;
        }
      }
      pos = i + 1;
      String v = bytes ? bytesToText(value.toString()) : value.toString();
      return new Token(Kind.STRING, text.substring(start, pos), v, p);
    }
  }

  /** The entries libxlutil's bison parser stack holds at most ({@code YYMAXDEPTH}). */
  static final int MAX_DEPTH = 10_000;

  /** A list being read: where its '[' is, its items so far, the parser stack below it. */
  private static final class OpenList {
    final Position at;
    final int base;
    final List<ConfigValue> items = new ArrayList<>();

    OpenList(Position at, int base) {
      this.at = at;
      this.base = base;
    }
  }

  /**
   * The grammar of libxlu_cfg_y.y, by descent with one token of lookahead and an explicit stack
   * of open lists. Nesting is limited as libxlutil's is: its bison parser stack holds {@link
   * #MAX_DEPTH} entries, so about 5,000 nested lists fail with "memory exhausted"; the entries
   * are counted here as that LALR parser pushes them (checked against the real libxlutil).
   */
  private static final class Grammar {
    private final Lexer lexer;
    private final Map<String, Setting> settings;
    private Token tok;
    private Token previous;
    /** Entries on libxlutil's parser stack at this point of the parse. */
    private int stack;

    Grammar(Lexer lexer, Map<String, Setting> settings) throws ConfigException {
      this.lexer = lexer;
      this.settings = settings;
      this.tok = lexer.next();
    }

    private void advance() throws ConfigException {
      previous = tok;
      tok = lexer.next();
    }

    private ConfigException unexpected(String expecting) {
      return new ConfigException(tok.position(), "config parsing error near " + near(tok)
          + ": syntax error, unexpected " + tok.kind().display + ", expecting " + expecting);
    }

    private static String near(Token t) {
      return switch (t.kind()) {
        case NEWLINE -> "<newline>";
        case END -> "end of file";
        default -> "`" + t.raw() + "'";
      };
    }

    void file() throws ConfigException {
      while (tok.kind() != Kind.END) {
        switch (tok.kind()) {
          case NEWLINE, SEMICOLON -> advance();
          case IDENT -> assignment();
          default -> throw unexpected("IDENT or NEWLINE or ';'");
        }
      }
    }

    private void assignment() throws ConfigException {
      Token name = tok;
      advance();
      boolean add;
      if (tok.kind() == Kind.ASSIGN) {
        add = false;
      } else if (tok.kind() == Kind.OP_ADD) {
        add = true;
      } else {
        throw unexpected("'=' or OP_ADD");
      }
      advance();
      stack = 4; // state 0, stmts, IDENT, '=' (or OP_ADD)
      ConfigValue value = value();
      if (tok.kind() != Kind.NEWLINE && tok.kind() != Kind.SEMICOLON && tok.kind() != Kind.END) {
        throw unexpected("NEWLINE or ';'");
      }
      store(name, add, value);
    }

    /** Mirrors xlu__cfg_set_store: {@code +=} concatenates with the previous value. */
    private void store(Token name, boolean add, ConfigValue value) throws ConfigException {
      Setting prev = settings.get(name.value());
      if (add && prev != null) {
        value = concat(prev.value(), value);
      }
      settings.put(name.value(), new Setting(name.value(), value, name.position()));
    }

    private ConfigValue concat(ConfigValue prev, ConfigValue add) throws ConfigException {
      if (prev instanceof ConfigValue.Atom a && add instanceof ConfigValue.Atom b) {
        return new ConfigValue.Atom(a.text() + b.text(), false, b.position());
      }
      if (prev instanceof ConfigValue.ListValue a && add instanceof ConfigValue.ListValue b) {
        return new ConfigValue.ListValue(ImmutableList.<ConfigValue>builder()
            .addAll(a.items()).addAll(b.items()).build(), b.position());
      }
      throw new ConfigException(add.position(),
          "can't add [list] to \"string\" or vice versa");
    }

    /**
     * Reads a value without recursion (a list nests in a list by an explicit stack of open
     * lists), counting the entries of libxlutil's bison parser stack as it would push them.
     */
    private ConfigValue value() throws ConfigException {
      Deque<OpenList> open = new ArrayDeque<>();
      while (true) {
        ConfigValue v;
        switch (tok.kind()) {
          case STRING, NUMBER -> {
            push(tok); // shift STRING/NUMBER (reduced to atom, then value: no push)
            v = new ConfigValue.Atom(tok.value(), tok.kind() == Kind.NUMBER, tok.position());
            advance();
          }
          case OPEN -> {
            int base = stack;
            Position at = tok.position();
            push(tok); // shift '['
            advance();
            push(previous); // nlok (empty), a default reduction: no lookahead read yet
            skipNewlines();
            if (tok.kind() != Kind.CLOSE) {
              open.push(new OpenList(at, base));
              continue;
            }
            push(tok); // valuelist (empty), reduced on the lookahead ']'
            push(tok); // shift ']'
            advance();
            v = new ConfigValue.ListValue(ImmutableList.of(), at);
            stack = base + 1; // '[' nlok valuelist ']' -> value
          }
          default -> throw unexpected("STRING or NUMBER or '['");
        }
        while (true) {
          OpenList list = open.peek();
          if (list == null) {
            return v;
          }
          list.items.add(v);
          push(previous); // nlok (empty) after the value, a default reduction
          skipNewlines();
          stack = list.base + 3; // '[' nlok values
          if (tok.kind() == Kind.COMMA) {
            push(tok); // shift ','
            advance();
            push(previous); // nlok (empty) after ',', a default reduction
            skipNewlines();
            if (tok.kind() == Kind.COMMA) {
              throw unexpected("STRING or NUMBER or '[' or ']'");
            }
            if (tok.kind() != Kind.CLOSE) {
              break; // the next item
            }
            stack = list.base + 3; // values ',' nlok -> valuelist
          } else if (tok.kind() != Kind.CLOSE) {
            throw unexpected("',' or ']'");
          }
          push(tok); // shift ']'
          advance();
          open.pop();
          v = new ConfigValue.ListValue(ImmutableList.copyOf(list.items), list.at);
          stack = list.base + 1; // '[' nlok valuelist ']' -> value
        }
      }
    }

    /**
     * Counts one entry pushed on libxlutil's parser stack, as bison's {@code yysetstate}: the
     * stack holds {@value #MAX_DEPTH} entries at most ({@code YYMAXDEPTH}); pushing the last one
     * is "memory exhausted", reported near the token the lexer read last ({@code near}).
     */
    private void push(Token near) throws ConfigException {
      if (++stack >= MAX_DEPTH) {
        throw new ConfigException(near.position(), "config parsing error near " + near(near)
            + ": memory exhausted");
      }
    }

    /** Skips {@code nlok NEWLINE}: each newline is shifted, then reduced with nlok. */
    private void skipNewlines() throws ConfigException {
      while (tok.kind() == Kind.NEWLINE) {
        push(tok);
        advance();
        stack--;
      }
    }
  }
}
