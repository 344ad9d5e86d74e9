package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.xenlevelling.xl.config.Config;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.config.ConfigValue;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ByteTransparentWriterTest {
  static byte[] write(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintWriter w = new PrintWriter(new ByteTransparentWriter(bytes))) {
      w.print(s);
    }
    return bytes.toByteArray();
  }

  static Stream<Arguments> texts() {
    return Stream.of(
        Arguments.of("ASCII", "abc", new byte[] {'a', 'b', 'c'}),
        Arguments.of("UTF-8 as Java's", "Gr\u00fc\u00dfe \u2713 \ud83d\ude00",
            "Gr\u00fc\u00dfe \u2713 \ud83d\ude00".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("a pair whose low half is in DC80-DCFF", "\ud800\udc80",
            "\ud800\udc80".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("escaped bytes", "caf\udce9\udcff", new byte[] {'c', 'a', 'f', (byte) 0xe9,
            (byte) 0xff}),
        Arguments.of("other lone surrogates", "\ud800x\udc00", new byte[] {'?', 'x', '?'}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void write_text_givesItsBytes(String name, String text, byte[] expected) {
    assertArrayEquals(expected, write(text));
  }

  /** Any bytes in a quoted string of a config file are printed back as they were. */
  @Property
  void parseThenWrite_anyStringBytes_giveTheSameBytes(@ForAll byte[] raw)
      throws ConfigException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes("a = \"".getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    for (byte b : raw) {
      if (b != '"' && b != '\\' && b != '\n') {
        file.write(b);
        kept.write(b);
      }
    }
    file.write('"');
    Config c = ConfigParser.parseDecoded("b.cfg", ConfigParser.decode(file.toByteArray()),
        Config.empty());
    String value = ((ConfigValue.Atom) c.get("a").orElseThrow().value()).text();
    assertArrayEquals(kept.toByteArray(), write(value));
  }
}
