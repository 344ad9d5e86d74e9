package dev.xenlevelling.xl.hostdump;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xl.hostdump.HostDumpException.Reason;
import dev.xenlevelling.xl.level.HostCpu;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The reader of host dumps: one file describing one Xen host's CPU, in any of the formats of
 * {@link Format}, told apart by content (never by file name), read into a {@link HostCpu}.
 *
 * <p>The host's name is the dump's own where it has one ({@code xen-cpuid --json}'s {@code host});
 * else the file's name without its directory and last extension ({@code node1.txt} is
 * {@code node1}).
 */
public final class HostDumps {
  /** The largest dump read, in bytes: far above any real one (a libvirt dump is ~10 KiB). */
  public static final int MAX_BYTES = 4 << 20;

  /** A host dump format. */
  public enum Format {
    /** This project's {@code xen-cpuid --json} ({@code "format": "xen-levelling-host/1"}). */
    XEN_CPUID_JSON,
    /** Real {@code xen-cpuid} (info or detail) text: {@code nr_features}, static, dynamic sets. */
    XEN_CPUID_INFO,
    /** Real {@code xen-cpuid -p} text: the system policies, leaf by leaf. */
    XEN_CPUID_POLICY,
    /** A libvirt CPUID dump ({@code <cpudata arch='x86'>}), booted in the simulated hypervisor. */
    LIBVIRT_CPUID_XML
  }

  private HostDumps() {}

  /**
   * Returns the host described by {@code file}.
   *
   * @throws HostDumpException naming the file (and line, where there is one) on any problem
   */
  public static HostCpu read(Path file) throws HostDumpException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new HostDumpException(Reason.UNREADABLE,
            file + ": larger than " + MAX_BYTES + " bytes; not a host dump");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new HostDumpException(Reason.UNREADABLE, file + ": no such file");
    } catch (IOException e) {
      throw new HostDumpException(Reason.UNREADABLE, file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), stem(file), bytes);
  }

  /**
   * Returns the host described by {@code bytes}, read from {@code file} (for messages), named
   * {@code defaultName} unless the dump names itself.
   *
   * @throws HostDumpException naming the file (and line, where there is one) on any problem
   */
  public static HostCpu parse(String file, String defaultName, byte[] bytes)
      throws HostDumpException {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Optional<Format> format = detect(text);
    if (format.isEmpty()) {
      throw unrecognised(file, text);
    }
    FeatureTable table = FeatureTable.latest();
    return switch (format.get()) {
      case XEN_CPUID_JSON -> JsonHostDump.parse(file, text, table);
      case XEN_CPUID_INFO -> XenCpuidInfoText.parse(file, defaultName, text, table);
      case XEN_CPUID_POLICY -> XenCpuidPolicyDump.parse(file, defaultName, text, table);
      case LIBVIRT_CPUID_XML -> BootedDump.boot(file, defaultName, bytes);
    };
  }

  /**
   * Returns the hosts of {@code args}, in order: each a dump file, or a directory standing for
   * every regular file in it (not hidden), sorted by name.
   *
   * @throws HostDumpException on the first dump that cannot be read, or a directory without files
   */
  public static ImmutableList<HostCpu> readAll(List<String> args) throws HostDumpException {
    ImmutableList.Builder<HostCpu> out = ImmutableList.builder();
    for (String a : args) {
      Path p = Path.of(a);
      if (Files.isDirectory(p)) {
        List<Path> files;
        try (Stream<Path> s = Files.list(p)) {
          files = s.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
          throw new HostDumpException(Reason.UNREADABLE, a + ": cannot list: " + e.getMessage());
        }
        if (files.isEmpty()) {
          throw new HostDumpException(Reason.UNREADABLE, a + ": a directory with no dump in it");
        }
        for (Path f : files) {
          out.add(read(f));
        }
      } else {
        out.add(read(p));
      }
    }
    return out.build();
  }

  /** Returns the format of {@code text}, from its content, or empty if it is none of them. */
  public static Optional<Format> detect(String text) {
    String head = text.stripLeading();
    if (head.startsWith("{")) {
      return Optional.of(Format.XEN_CPUID_JSON);
    }
    if (head.startsWith("<")) {
      return Optional.of(Format.LIBVIRT_CPUID_XML);
    }
    int lines = 0;
    for (int start = 0; start < text.length() && lines < 60; lines++) {
      int end = text.indexOf('\n', start);
      String line = text.substring(start, end < 0 ? text.length() : end);
      if (line.startsWith("nr_features:") || line.startsWith("Dynamic sets:")) {
        return Optional.of(Format.XEN_CPUID_INFO);
      }
      if (XenCpuidPolicyDump.header(line).isPresent()
          || line.startsWith("Xen reports there are maximum")) {
        return Optional.of(Format.XEN_CPUID_POLICY);
      }
      if (end < 0) {
        break;
      }
      start = end + 1;
    }
    return Optional.empty();
  }

  private static HostDumpException unrecognised(String file, String text) {
    int line = 1;
    String found = "nothing (the file is empty)";
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        line = i + 1;
        found = "'" + abbreviate(lines[i].strip()) + "'";
        break;
      }
    }
    return new HostDumpException(Reason.UNRECOGNISED, file + ":" + line + ":1: not a host dump:"
        + " expected xen-cpuid --json, xen-cpuid info/detail text ('nr_features: N'),"
        + " xen-cpuid -p text ('Raw policy: N leaves, M MSRs') or a libvirt CPUID dump"
        + " (<cpudata>); found " + found);
  }

  /**
   * Returns whether a guest type's max featureset says the host cannot run such guests: Xen
   * compiled with HVM on hardware without VT-x/SVM (or with {@code hvm=0}) leaves the HVM max and
   * default policies all zero ({@code calculate_hvm_max_policy} returns early when
   * {@code !hvm_enabled}) rather than failing the sysctl; such a type is treated as unsupported,
   * as a compiled-out one (EOPNOTSUPP) is.
   */
  static boolean noGuests(dev.xenlevelling.xc.policy.Featureset max) {
    return max.isEmpty();
  }

  static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  /** Returns the file's name without its directory and last extension. */
  static String stem(Path file) {
    Path n = file.getFileName();
    String s = n == null ? file.toString() : n.toString();
    int dot = s.lastIndexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }
}
