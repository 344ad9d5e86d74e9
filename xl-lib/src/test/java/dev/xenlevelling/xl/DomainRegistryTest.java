package dev.xenlevelling.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xl.domain.GuestType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DomainRegistryTest {
  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of("ASCII", "web1", "name = \"web1\"\n"),
        Arguments.of("UTF-8 characters", "gr\u00fc\u00dfe \u2713", "# Gr\u00fc\u00dfe\n"),
        Arguments.of("a config's non-UTF-8 bytes", "caf\udce9\udcff",
            "# Gr\u00fc\u00dfe\nname = \"caf\u00e9\u00ff\"\n"));
  }

  static Stream<Arguments> fileNames() {
    return Stream.of(
        Arguments.of("one digit", "1.properties"),
        Arguments.of("several digits", "32751.properties"),
        Arguments.of("no digits", ".properties"),
        Arguments.of("a temporary", ".3.properties.123.tmp"),
        Arguments.of("a letter among the digits", "1a.properties"),
        Arguments.of("a non-ASCII digit", "\u0661.properties"),
        Arguments.of("another suffix", "12.propertie"),
        Arguments.of("no suffix", "12"),
        Arguments.of("empty", ""));
  }

  /** The hand-written check of a record's file name, against the expression it replaced. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fileNames")
  void isRecordName_asTheRegex(String caseName, String f) {
    assertEquals(f.matches("[0-9]+\\.properties"), DomainRegistry.isRecordName(f), f);
  }

  /** A record read back from its directory is the record stored, whatever its text holds. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void putThenRead_anyNameAndText_roundTrips(String name, String domName, String text,
      @TempDir Path dir) throws Exception {
    DomainRegistry r = DomainRegistry.inDirectory(dir);
    DomainRecord rec = new DomainRecord(3, domName, GuestType.HVM, 512, 2, "x.cfg", text,
        "memory=512\n");
    r.put(rec);
    assertEquals(rec, DomainRegistry.inDirectory(dir).all().get(3));
    // Plain ASCII on disk, so any reader (and the old UTF-8 reader) sees the same text.
    byte[] onDisk = Files.readAllBytes(dir.resolve("3.properties"));
    assertEquals(new String(onDisk, StandardCharsets.US_ASCII),
        new String(onDisk, StandardCharsets.UTF_8));
  }
}
