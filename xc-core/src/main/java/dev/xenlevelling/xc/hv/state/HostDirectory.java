package dev.xenlevelling.xc.hv.state;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.DomainStore;
import dev.xenlevelling.xc.hv.DomainTable;
import dev.xenlevelling.xc.hv.Host;
import dev.xenlevelling.xc.hv.Hypervisor;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException;
import dev.xenlevelling.xc.hv.cpu.CpuSources;
import dev.xenlevelling.xc.hv.state.HostStateException.Reason;
import dev.xenlevelling.xc.io.AtomicFiles;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.PolicyError;
import dev.xenlevelling.xc.policy.PolicyException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A simulated host that lives in a directory, so that it and its domains outlast the process:
 * {@code host.json} (what it booted from), {@code domains.json} (its domains) and {@code lock}.
 *
 * <p>Every change happens under an exclusive lock on {@code lock} (a {@link FileLock}, so other
 * processes wait; plus an in-process lock, since one JVM cannot hold two file locks on one file)
 * and is written atomically: a temporary file in the same directory, fsync, rename over the old
 * file, fsync of the directory. A killed process leaves the old state or the new one, never half
 * of one. Booting again writes a new boot id and an empty domain table: a reboot keeps no
 * domains, and a process still holding the old boot is refused (STALE) rather than writing into
 * the new one. A boot renames domains.json, then host.json; one killed between the two leaves
 * files of different boots, which every later use reports (CORRUPT) as an interrupted boot to
 * redo with {@code xensim boot}.
 */
public final class HostDirectory {
  static final String HOST_FILE = "host.json";
  static final String DOMAINS_FILE = "domains.json";
  static final String LOCK_FILE = "lock";
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private HostDirectory() {}

  /**
   * Returns the host directory to use: {@code XENSIM_HOST} if set, else
   * {@code $XDG_STATE_HOME/xen-levelling/host}, else {@code ~/.local/state/xen-levelling/host}.
   */
  public static Path defaultPath(Map<String, String> env) {
    String dir = env.get("XENSIM_HOST");
    if (dir != null && !dir.isEmpty()) {
      return Path.of(dir);
    }
    String state = env.get("XDG_STATE_HOME");
    Path base = state != null && !state.isEmpty() ? Path.of(state)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
    return base.resolve("xen-levelling").resolve("host");
  }

  /** (Re)boots the host in {@code dir} from {@code config}: it then has no domains. */
  public static Host boot(Path dir, BootConfig config) throws HostStateException {
    checkNotNull(config, "config");
    Host host = Host.boot(config);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw io(dir, e);
    }
    withLock(dir, () -> {
      writeBoot(dir, config);
      return null;
    });
    return host;
  }

  private static void writeBoot(Path dir, BootConfig config) throws HostStateException {
    String bootId = UUID.randomUUID().toString();
    try {
      cleanTemporaries(dir);
      AtomicFiles.write(dir.resolve(DOMAINS_FILE),
          StateJson.writeDomains(bootId, new DomainTable()));
      AtomicFiles.write(dir.resolve(HOST_FILE), StateJson.writeHost(bootId, config));
    } catch (IOException e) {
      throw io(dir, e);
    }
  }

  /** Returns what the host in {@code dir} booted from. */
  public static BootConfig readConfig(Path dir) throws HostStateException {
    return readHost(dir).config();
  }

  /** Returns the hypervisor of the host in {@code dir}, which must have been booted. */
  public static Hypervisor open(Path dir) throws HostStateException {
    StateJson.HostFile hf = readHost(dir);
    return Hypervisor.withStore(Host.boot(hf.config()), new DirectoryStore(dir, hf.bootId()));
  }

  /**
   * Returns the hypervisor of the host in {@code dir}, booting it first from this machine's CPU
   * (with an empty command line) if it has never been booted.
   */
  public static Hypervisor openOrBootLocal(Path dir) throws HostStateException {
    if (!Files.exists(dir.resolve(HOST_FILE))) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw io(dir, e);
      }
      withLock(dir, () -> {
        if (!Files.exists(dir.resolve(HOST_FILE))) {
          CpuDescription local;
          try {
            local = CpuSources.local();
          } catch (CpuSourceException e) {
            throw new HostStateException(Reason.IO, e.getMessage());
          }
          writeBoot(dir, new BootConfig(local, "", Microcode.AS_DUMPED));
        }
        return null;
      });
    }
    return open(dir);
  }

  private static StateJson.HostFile readHost(Path dir) throws HostStateException {
    Path f = dir.resolve(HOST_FILE);
    try {
      return StateJson.readHost(f.toString(), Files.readAllBytes(f));
    } catch (NoSuchFileException e) {
      throw new HostStateException(Reason.NOT_BOOTED,
          dir + ": no simulated host here (boot one with: xensim boot " + dir + " --cpu SOURCE)");
    } catch (IOException e) {
      throw io(dir, e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  interface Locked<T> {
    T run() throws HostStateException;
  }

  static <T> T withLock(Path dir, Locked<T> body) throws HostStateException {
    Path lockFile = dir.resolve(LOCK_FILE);
    ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(
        lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
    inProcess.lock();
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = ch.lock();
      try {
        return body.run();
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw io(dir, e);
    } finally {
      inProcess.unlock();
    }
  }

  private static void cleanTemporaries(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static HostStateException io(Path dir, IOException e) {
    return new HostStateException(Reason.IO, dir + ": " + e.getClass().getSimpleName() + ": "
        + Optional.ofNullable(e.getMessage()).orElse("I/O error"));
  }

  /** The domain store of a host directory. */
  static final class DirectoryStore implements DomainStore {
    private final Path dir;
    private final String bootId;

    DirectoryStore(Path dir, String bootId) {
      this.dir = dir;
      this.bootId = bootId;
    }

    @Override
    public <T> T read(Work<T> work) throws PolicyException {
      return transact(work, false);
    }

    @Override
    public <T> T update(Work<T> work) throws PolicyException {
      return transact(work, true);
    }

    /**
     * Returns the diagnostic for a domains.json of another boot: a boot writes domains.json
     * first and host.json last, under the lock, so if host.json still holds this process's boot
     * id the newer domains.json can only come from a boot that was killed between the two
     * renames. Nothing can use that host until it is booted again; say so instead of asking for
     * a retry that would fail forever.
     */
    private HostStateException interruptedBootOr(HostStateException stale)
        throws HostStateException {
      if (!readHost(dir).bootId().equals(bootId)) {
        return stale;
      }
      return new HostStateException(Reason.CORRUPT, dir + ": a boot of this host was interrupted"
          + " (domains.json and host.json are from different boots); boot it again with: xensim"
          + " boot " + dir + " --cpu SOURCE");
    }

    private <T> T transact(Work<T> work, boolean write) throws PolicyException {
      Object[] result = new Object[1];
      PolicyException[] failure = new PolicyException[1];
      try {
        withLock(dir, () -> {
          Path f = dir.resolve(DOMAINS_FILE);
          DomainTable t;
          try {
            t = StateJson.readDomains(f.toString(), Files.readAllBytes(f), bootId);
          } catch (HostStateException e) {
            throw e.reason() == Reason.STALE ? interruptedBootOr(e) : e;
          } catch (NoSuchFileException e) {
            throw new HostStateException(Reason.CORRUPT, f + ": missing (boot the host again)");
          } catch (IOException e) {
            throw io(dir, e);
          }
          try {
            result[0] = work.apply(t);
          } catch (PolicyException e) {
            failure[0] = e;
            return null;
          }
          if (write) {
            try {
              AtomicFiles.write(dir.resolve(DOMAINS_FILE), StateJson.writeDomains(bootId, t));
            } catch (IOException e) {
              throw io(dir, e);
            }
          }
          return null;
        });
      } catch (HostStateException e) {
        throw new PolicyException(Errno.EIO, PolicyError.UNKNOWN, e.getMessage());
      }
      if (failure[0] != null) {
        throw failure[0];
      }
      @SuppressWarnings("unchecked")
      T r = (T) result[0];
      return r;
    }
  }
}
