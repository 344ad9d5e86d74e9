package dev.xenlevelling.xl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Atomic replacement of a small text file xl writes (policy files, cpu-level output), readable by
 * every user (rw-r--r--, as xl.conf): xc-core's {@link dev.xenlevelling.xc.io.AtomicFiles}, the
 * project's one atomic write (temp file beside it, fsync, atomic rename, fsync the directory).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code file} with {@code text} (UTF-8, mode rw-r--r--) atomically. */
  public static void write(Path file, String text) throws IOException {
    dev.xenlevelling.xc.io.AtomicFiles.write(file.toAbsolutePath(),
        text.getBytes(StandardCharsets.UTF_8), dev.xenlevelling.xc.io.AtomicFiles.READABLE);
  }
}
