package dev.xenlevelling.xl;

import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.io.AtomicFiles;
import dev.xenlevelling.xl.domain.GuestType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The toolstack's own record of domains, as xenstore's {@code /local/domain/N/name} and xl's
 * saved configs: in memory, or one properties file a domain in a directory beside the simulated
 * host's state so that separate {@code xl} processes see the same domains. Writes are atomic
 * (xc-core's {@link AtomicFiles}: temp file, fsync, rename, directory fsync) and serialised by a
 * file lock.
 */
final class DomainRegistry {
  private final Optional<Path> dir;
  private final Map<Integer, DomainRecord> memory = new TreeMap<>();
  private boolean held;

  private DomainRegistry(Optional<Path> dir) {
    this.dir = dir;
  }

  static DomainRegistry inMemory() {
    return new DomainRegistry(Optional.empty());
  }

  static DomainRegistry inDirectory(Path dir) {
    return new DomainRegistry(Optional.of(dir));
  }

  /** A piece of work done under the registry's lock. */
  interface Work<T> {
    T run() throws LibxlException;
  }

  /**
   * Runs {@code work} holding the registry's lock (a file lock for a directory); reentrant
   * within one registry.
   */
  synchronized <T> T locked(Work<T> work) throws LibxlException {
    if (dir.isEmpty() || held) {
      return work.run();
    }
    try {
      Files.createDirectories(dir.get());
      try (FileChannel ch = FileChannel.open(dir.get().resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        FileLock lock = ch.lock();
        held = true;
        try {
          return work.run();
        } finally {
          held = false;
          lock.release();
        }
      }
    } catch (IOException e) {
      throw io(e);
    }
  }

  /** Returns every record, by domid. */
  ImmutableMap<Integer, DomainRecord> all() throws LibxlException {
    if (dir.isEmpty()) {
      return ImmutableMap.copyOf(memory);
    }
    Map<Integer, DomainRecord> out = new TreeMap<>();
    if (!Files.isDirectory(dir.get())) {
      return ImmutableMap.of();
    }
    try (Stream<Path> files = Files.list(dir.get())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String f = p.getFileName().toString();
        if (isRecordName(f)) {
          DomainRecord r = read(p);
          out.put(r.domid(), r);
        }
      }
    } catch (IOException e) {
      throw io(e);
    }
    return ImmutableMap.copyOf(out);
  }

  /**
   * Returns whether {@code f} names a record, {@code [0-9]+\\.properties}; checked by hand
   * (start-up rule 2, docs/performance.md).
   */
  static boolean isRecordName(String f) {
    int digits = f.length() - ".properties".length();
    if (digits < 1 || !f.endsWith(".properties")) {
      return false;
    }
    for (int i = 0; i < digits; i++) {
      if (f.charAt(i) < '0' || f.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  void put(DomainRecord r) throws LibxlException {
    if (dir.isEmpty()) {
      memory.put(r.domid(), r);
      return;
    }
    Properties p = new Properties();
    p.setProperty("domid", Integer.toString(r.domid()));
    p.setProperty("name", r.name());
    p.setProperty("type", r.type().name());
    p.setProperty("memory", Long.toString(r.memoryMb()));
    p.setProperty("vcpus", Integer.toString(r.vcpus()));
    p.setProperty("config.source", r.configSource());
    p.setProperty("config.text", r.configText());
    p.setProperty("config.extra", r.extraText());
    Path target = dir.get().resolve(r.domid() + ".properties");
    // Stored as ASCII with backslash-u escapes: lossless for any name or text, even the lone
    // surrogates that stand for a config file's non-UTF-8 bytes (read back by load(Reader)).
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      p.store(bytes, "domain " + r.domid());
    } catch (IOException e) {
      throw new AssertionError(e); // a ByteArrayOutputStream does not fail
    }
    locked(() -> {
      try {
        AtomicFiles.write(target, bytes.toByteArray(), AtomicFiles.READABLE);
      } catch (IOException e) {
        throw io(e);
      }
      return null;
    });
  }

  /**
   * Returns the records of the live domains, after dropping those of domains that no longer
   * exist (the host was rebooted, or the domain went away behind the toolstack's back).
   */
  ImmutableMap<Integer, DomainRecord> live(Set<Integer> domids) throws LibxlException {
    return locked(() -> {
      ImmutableMap<Integer, DomainRecord> all = all();
      ImmutableMap.Builder<Integer, DomainRecord> b = ImmutableMap.builder();
      for (DomainRecord r : all.values()) {
        if (domids.contains(r.domid())) {
          b.put(r.domid(), r);
        } else {
          remove(r.domid());
        }
      }
      return b.buildOrThrow();
    });
  }

  void remove(int domid) throws LibxlException {
    if (dir.isEmpty()) {
      memory.remove(domid);
      return;
    }
    try {
      Files.deleteIfExists(dir.get().resolve(domid + ".properties"));
    } catch (IOException e) {
      throw io(e);
    }
  }

  private static DomainRecord read(Path file) throws LibxlException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return new DomainRecord(Integer.parseInt(p.getProperty("domid")), p.getProperty("name"),
          GuestType.valueOf(p.getProperty("type")), Long.parseLong(p.getProperty("memory")),
          Integer.parseInt(p.getProperty("vcpus")), p.getProperty("config.source"),
          p.getProperty("config.text"), p.getProperty("config.extra"));
    } catch (IOException | RuntimeException e) {
      throw new LibxlException(LibxlError.STATE_IO, file + ": " + e.getMessage(), e);
    }
  }

  private LibxlException io(IOException e) {
    return new LibxlException(LibxlError.STATE_IO, dir.map(Path::toString).orElse("") + ": "
        + e.getMessage(), e);
  }
}
