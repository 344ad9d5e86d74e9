package dev.xenlevelling.xc.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The one way this project replaces a file: a temp file beside it ({@code .NAME.RANDOM.tmp}),
 * written and fsynced, renamed over the file atomically, then the directory fsynced. A reader sees
 * the old file or the new one, never part of either, and after a crash the file is one of the
 * two; on failure the old file stays as it was and the temp file is removed. Where state is shared
 * between processes, the caller holds its file lock around the write (the host directory's
 * {@code lock}, libxl's domain registry's {@code lock}).
 */
public final class AtomicFiles {
  /** rw-r--r--: files any user's tools read (policy files, xl's outputs, domain records). */
  public static final Set<PosixFilePermission> READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /**
   * Replaces {@code file} with {@code bytes} atomically, keeping the temp file's owner-only mode
   * (rw-------).
   *
   * @throws IOException if the file cannot be written, or its file system cannot rename
   *     atomically (then nothing is replaced)
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, bytes, Optional.empty());
  }

  /**
   * Replaces {@code file} with {@code bytes} atomically, with mode {@code permissions} where the
   * file system is POSIX.
   *
   * @throws IOException if the file cannot be written, or its file system cannot rename
   *     atomically (then nothing is replaced)
   */
  public static void write(Path file, byte[] bytes, Set<PosixFilePermission> permissions)
      throws IOException {
    write(file, bytes, Optional.of(permissions));
  }

  private static void write(Path file, byte[] bytes, Optional<Set<PosixFilePermission>> mode)
      throws IOException {
    // The path as the caller gave it (diagnostics name it so); a bare name is in the current
    // directory.
    Path target = file.getParent() != null ? file : file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      if (mode.isPresent()) {
        try {
          Files.setPosixFilePermissions(tmp, mode.get());
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: keep the default permissions.
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot rename atomically", e);
      }
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for fsync; the rename is still atomic.
    }
  }
}
