package dev.xenlevelling.xc.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void write_replacesTheFile_leavesNoTempFile() throws IOException {
    Path f = dir.resolve("a.json");
    AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals("new".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
    assertEquals(List.of("a.json"), names());
  }

  @Test
  void write_withoutMode_isOwnerOnly_withReadable_isRwRR() throws IOException {
    Path priv = dir.resolve("host.json");
    Path pub = dir.resolve("policy.yaml");
    AtomicFiles.write(priv, new byte[] {1});
    AtomicFiles.write(pub, new byte[] {2}, AtomicFiles.READABLE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)));
  }

  @Test
  void write_failedRename_keepsTheOldFile_removesTheTempFile() throws IOException {
    Path target = dir.resolve("d");
    Files.createDirectories(target.resolve("not-empty"));
    assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[] {1}));
    assertEquals(List.of("d"), names());
  }
}
