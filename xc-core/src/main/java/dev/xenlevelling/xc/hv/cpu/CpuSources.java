package dev.xenlevelling.xc.hv.cpu;

import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a simulated host's CPU comes from: {@code local} (this machine), a file (a libvirt CPUID
 * dump, {@code xen-cpuid -p} output, or a YAML host profile) or the name of a profile in the
 * profiles directory ({@code config-examples/hosts/NAME.yaml}).
 */
public final class CpuSources {
  private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private CpuSources() {}

  /** A CPU and the microcode its source asks for. */
  public record Loaded(CpuDescription cpu, Microcode microcode) {}

  /**
   * Returns the CPU {@code source} names: {@code local}, an existing file, or a profile name
   * looked up as {@code profiles/NAME.yaml}.
   */
  public static Loaded load(String source, Path profiles) throws CpuSourceException {
    if (source.equals("local")) {
      return new Loaded(LocalCpu.load(), Microcode.AS_DUMPED);
    }
    Path file = Path.of(source);
    if (Files.isRegularFile(file)) {
      if (isYaml(file)) {
        HostProfile p = HostProfile.load(file);
        return new Loaded(p.cpu(), p.microcode());
      }
      return new Loaded(loadFile(file), Microcode.AS_DUMPED);
    }
    if (PROFILE_NAME.matcher(source).matches()) {
      for (String ext : new String[] {".yaml", ".yml"}) {
        Path p = profiles.resolve(source + ext);
        if (Files.isRegularFile(p)) {
          HostProfile hp = HostProfile.load(p);
          return new Loaded(hp.cpu(), hp.microcode());
        }
      }
    }
    throw new CpuSourceException(Reason.NOT_FOUND, source
        + ": no such file, and no profile of that name in " + profiles
        + " (give a libvirt CPUID dump, xen-cpuid -p output, a .yaml profile or 'local')");
  }

  /** Returns this machine's CPU, read as {@code local} reads it. */
  public static CpuDescription local() throws CpuSourceException {
    return LocalCpu.load();
  }

  /** Returns the profile names available in {@code profiles}, sorted. */
  public static java.util.List<String> profileNames(Path profiles) {
    try (var s = Files.list(profiles)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - 5)).sorted().collect(java.util.stream.Collectors.toList());
    } catch (IOException e) {
      return java.util.List.of();
    }
  }

  private static boolean isYaml(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  /** Returns the CPU in a libvirt dump or xen-cpuid -p text file (sniffed from the content). */
  static CpuDescription loadFile(Path file) throws CpuSourceException {
    byte[] bytes;
    try {
      if (Files.size(file) > LibvirtCpuidXml.MAX_BYTES) {
        throw new CpuSourceException(Reason.TOO_LARGE,
            file + ": larger than " + LibvirtCpuidXml.MAX_BYTES + " bytes; not a CPU description");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CpuSourceException(Reason.UNREADABLE, file + ": cannot read: " + e.getMessage());
    }
    return fromBytes(file.toString(), bytes).orElseThrow(() -> new CpuSourceException(
        Reason.SYNTAX, file + ":1:1: expected a libvirt CPUID dump (<cpudata>) or xen-cpuid -p"
            + " output"));
  }

  /** Returns the CPU in a libvirt dump or xen-cpuid -p text read from {@code in}. */
  public static CpuDescription fromStream(String name, InputStream in) throws CpuSourceException {
    try {
      return fromBytes(name, in.readAllBytes()).orElseThrow(() -> new CpuSourceException(
          Reason.SYNTAX, name + ":1:1: expected a libvirt CPUID dump or xen-cpuid -p output"));
    } catch (IOException e) {
      throw new CpuSourceException(Reason.UNREADABLE, name + ": cannot read: " + e.getMessage());
    }
  }

  private static Optional<CpuDescription> fromBytes(String name, byte[] bytes)
      throws CpuSourceException {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String head = text.stripLeading();
    if (head.startsWith("<")) {
      try {
        return Optional.of(LibvirtCpuidXml.parse(name, new ByteArrayInputStream(bytes)));
      } catch (IOException e) {
        throw new CpuSourceException(Reason.UNREADABLE, name + ": " + e.getMessage());
      }
    }
    if (XenCpuidPolicyText.looksLike(text)) {
      return Optional.of(XenCpuidPolicyText.parse(name, text));
    }
    return Optional.empty();
  }
}
