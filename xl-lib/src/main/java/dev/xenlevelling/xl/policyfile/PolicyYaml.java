package dev.xenlevelling.xl.policyfile;

import dev.xenlevelling.xl.policyfile.PolicyFileException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The limits of a policy file and its YAML composed into nodes: size and encoding first, then
 * one pass over the YAML events with the limits checked on each event (aliases, nesting, one
 * document). The YAML is only composed into nodes, never constructed into objects, so no tag can
 * instantiate anything; SnakeYAML's loader options carry the same limits as a second line of
 * defence.
 */
final class PolicyYaml {
  private final String file;
  private final PolicyNodes nodes;

  PolicyYaml(String file, PolicyNodes nodes) {
    this.file = file;
    this.nodes = nodes;
  }

  /** Returns the node tree of the file at {@code path}, checked against every limit. */
  Node load(Path path) throws PolicyFileException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      // One byte more than the limit is already too many: the rest is never read.
      bytes = in.readNBytes(PolicyFile.MAX_BYTES + 1);
    } catch (IOException e) {
      throw new PolicyFileException(Reason.IO_ERROR, file, 0, 0, "",
          "cannot read: " + PolicyFile.describe(e));
    }
    if (bytes.length > PolicyFile.MAX_BYTES) {
      throw tooLarge();
    }
    return load(decode(bytes));
  }

  /** Returns the node tree of {@code text}, checked against every limit. */
  Node load(String text) throws PolicyFileException {
    // A char is at least one UTF-8 byte: a longer text is too large without counting.
    if (text.length() > PolicyFile.MAX_BYTES || PolicyFile.utf8Length(text) > PolicyFile.MAX_BYTES) {
      throw tooLarge();
    }
    Node root;
    try {
      root = compose(text);
    } catch (LimitExceeded e) {
      throw e.problem;
    } catch (MarkedYAMLException e) {
      throw malformed(e);
    } catch (YAMLException e) {
      throw new PolicyFileException(Reason.MALFORMED_YAML, file, 0, 0, "",
          "malformed YAML: " + firstLine(e.getMessage()));
    }
    if (root == null) {
      throw new PolicyFileException(Reason.MISSING_KEY, file, 1, 1, "",
          "expected a mapping with 'version: 1', found an empty file");
    }
    return root;
  }

  private PolicyFileException tooLarge() {
    return new PolicyFileException(Reason.TOO_LARGE, file, 0, 0, "",
        "larger than the limit of " + PolicyFile.MAX_BYTES + " bytes");
  }

  /**
   * Returns the document's node tree, composed in one pass over the YAML events with the limits
   * checked on each event as it is parsed (aliases, nesting, one document), so no node is made
   * past a limit. SnakeYAML's loader options carry the same limits as a second line of defence;
   * nothing is constructed (no tag can instantiate anything).
   */
  private Node compose(String text) {
    LoaderOptions lo = new LoaderOptions();
    lo.setCodePointLimit(PolicyFile.MAX_BYTES + 1);
    lo.setMaxAliasesForCollections(PolicyFile.MAX_ALIASES);
    lo.setNestingDepthLimit(PolicyFile.MAX_DEPTH + 1);
    lo.setAllowDuplicateKeys(false);
    lo.setAllowRecursiveKeys(false);
    lo.setMergeOnCompose(false);
    Parser parser = new LimitedParser(new ParserImpl(new StreamReader(text), lo));
    return new Composer(parser, new Resolver(), lo).getSingleNode();
  }

  /** A limit was exceeded while composing: carries the error out of SnakeYAML's parser. */
  private static final class LimitExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    @SuppressWarnings("serial") // never serialised
    final PolicyFileException problem;

    LimitExceeded(PolicyFileException problem) {
      super(null, null, false, false);
      this.problem = problem;
    }
  }

  /** A parser that counts aliases, depth and documents on each event as it is first seen. */
  private final class LimitedParser implements Parser {
    private final Parser in;
    private Event counted;
    private int aliases;
    private int depth;
    private int documents;

    LimitedParser(Parser in) {
      this.in = in;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      count(in.peekEvent());
      return in.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return count(in.peekEvent());
    }

    @Override
    public Event getEvent() {
      count(in.peekEvent());
      return in.getEvent();
    }

    private Event count(Event e) {
      if (e == null || e == counted) {
        return e;
      }
      counted = e;
      if (e instanceof AliasEvent) {
        if (++aliases > PolicyFile.MAX_ALIASES) {
          throw new LimitExceeded(nodes.at(Reason.TOO_MANY_ALIASES, e.getStartMark(), "",
              "more than " + PolicyFile.MAX_ALIASES + " aliases; a policy file needs none"));
        }
      } else if (e instanceof CollectionStartEvent) {
        if (++depth > PolicyFile.MAX_DEPTH) {
          throw new LimitExceeded(nodes.at(Reason.NESTING_TOO_DEEP, e.getStartMark(), "",
              "nested more than " + PolicyFile.MAX_DEPTH + " levels deep"));
        }
      } else if (e instanceof CollectionEndEvent) {
        depth--;
      } else if (e instanceof DocumentStartEvent) {
        if (++documents > 1) {
          throw new LimitExceeded(nodes.at(Reason.MALFORMED_YAML, e.getStartMark(), "",
              "expected one YAML document, found a second"));
        }
      }
      return e;
    }
  }

  private String decode(byte[] bytes) throws PolicyFileException {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      int bad = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      String s = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8);
      throw new PolicyFileException(Reason.NOT_UTF8, file, line,
          s.codePointCount(0, s.length()) + 1, "",
          String.format("expected UTF-8 text, found byte 0x%02x", bytes[bad] & 0xff));
    }
    dec.flush(out);
    out.flip();
    return out.toString();
  }

  private PolicyFileException malformed(MarkedYAMLException e) {
    Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
    String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
    if (m == null) {
      return new PolicyFileException(Reason.MALFORMED_YAML, file, 0, 0, "",
          "malformed YAML: " + problem + context);
    }
    return nodes.at(Reason.MALFORMED_YAML, m, "", "malformed YAML: " + problem + context);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
