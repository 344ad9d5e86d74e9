package dev.xenlevelling.xl.policyfile;

import static com.google.common.base.Preconditions.checkArgument;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.io.AtomicFiles;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.LevelledPolicy;
import dev.xenlevelling.xl.level.LevelledType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A host-wide default CPU policy file (schema version 1): the vendor, per guest type the levelled
 * featureset (a ceiling), per-feature settings, cpuid= text and non-flag limits, and where the
 * policy came from. Immutable; equality is by value.
 *
 * <p>Files are YAML, read with safe loading only (no object construction from tags) under hard
 * limits: {@value #MAX_BYTES} bytes, {@value #MAX_HOSTS} recorded hosts, {@value #MAX_ALIASES}
 * aliases, nesting {@value #MAX_DEPTH} deep, no duplicate keys. The writer refuses a file the
 * reader would refuse ({@link #toYamlWithinLimits}). The schema is documented in
 * {@code config-examples/policies/README.md}.
 *
 * @param vendor the CPU vendor the policy is for
 * @param types the guest types it covers (at least one)
 * @param provenance where it came from; absent in a hand-written file
 */
public record PolicyFile(
    Vendor vendor, ImmutableSortedMap<DomainType, TypePolicy> types, Optional<Provenance> provenance) {

  /** The schema version this code reads and writes. */
  public static final int VERSION = 1;
  /**
   * The most bytes (UTF-8) a policy file may have: 64 MiB, room for {@link #MAX_HOSTS} hosts even
   * if every one recorded featuresets of its own (about 900 bytes a host; hosts of the same CPU
   * share theirs, about 100 bytes a host).
   */
  public static final int MAX_BYTES = 64 << 20;
  /** The most hosts a policy file may record in its provenance. */
  public static final int MAX_HOSTS = 65_536;
  /** The most YAML aliases a policy file may use. */
  public static final int MAX_ALIASES = 16;
  /** The deepest a policy file's YAML may nest. */
  public static final int MAX_DEPTH = 16;

  /** Validates that the vendor is one Xen knows and that at least one guest type is covered. */
  public PolicyFile {
    checkArgument(vendor != Vendor.UNKNOWN, "vendor (%s) must be one Xen knows", vendor);
    checkArgument(!types.isEmpty(), "a policy file covers at least one guest type");
  }

  /** Returns the section for guest type {@code type}, if the file has one. */
  public Optional<TypePolicy> type(DomainType type) {
    return Optional.ofNullable(types.get(type));
  }

  /**
   * Returns the policy file read from {@code file}.
   *
   * @throws PolicyFileException naming the file, line, column and key of the first problem
   */
  public static PolicyFile read(Path file) throws PolicyFileException {
    return new PolicyFileReader(file.toString(), FeatureTable.latest()).read(file);
  }

  /**
   * Returns the policy file read from {@code file}, refused if it is for another vendor than
   * {@code hostVendor} (the vendor of the host it is to be used on).
   *
   * @throws PolicyFileException naming the file, line, column and key of the first problem;
   *     {@code WRONG_VENDOR} at the {@code vendor:} key for a policy of another vendor
   */
  public static PolicyFile read(Path file, Vendor hostVendor) throws PolicyFileException {
    return new PolicyFileReader(file.toString(), FeatureTable.latest(), Optional.of(hostVendor))
        .read(file);
  }

  /**
   * Returns the policy file whose text is {@code text}, calling it {@code name} in errors.
   *
   * @throws PolicyFileException naming the file, line, column and key of the first problem
   */
  public static PolicyFile parse(String text, String name) throws PolicyFileException {
    return new PolicyFileReader(name, FeatureTable.latest()).parse(text);
  }

  /** Returns the file's text: commented YAML, as {@link #write} writes it. */
  public String toYaml() {
    return PolicyFileWriter.toYaml(this, FeatureTable.latest());
  }

  /**
   * Returns the file's text as {@link #toYaml}, refused if the reader would refuse it: more than
   * {@value #MAX_HOSTS} recorded hosts, or more than {@value #MAX_BYTES} bytes.
   *
   * @param name the file's name in the error (where it was to be written)
   * @throws PolicyFileException {@code TOO_LARGE} naming {@code name} and the limit
   */
  public String toYamlWithinLimits(String name) throws PolicyFileException {
    int hosts = provenance.map(p -> p.hosts().size()).orElse(0);
    if (hosts > MAX_HOSTS) {
      throw new PolicyFileException(PolicyFileException.Reason.TOO_LARGE, name, 0, 0, "",
          "not written: the policy records " + hosts + " hosts, more than the limit of "
              + MAX_HOSTS + " that xl reads");
    }
    String text = toYaml();
    long bytes = utf8Length(text);
    if (bytes > MAX_BYTES) {
      throw new PolicyFileException(PolicyFileException.Reason.TOO_LARGE, name, 0, 0, "",
          "not written: the policy would be " + bytes + " bytes, more than the limit of "
              + MAX_BYTES + " bytes that xl reads");
    }
    return text;
  }

  /**
   * Writes the file to {@code file} atomically: a temporary file in the same directory, written,
   * flushed to disk, then renamed over {@code file} (and the directory flushed), so a reader sees
   * either the old file or the new one, never a part. A file the reader would refuse is not
   * written ({@link #toYamlWithinLimits}).
   *
   * @throws PolicyFileException {@code TOO_LARGE} if xl would refuse to read it (nothing is
   *     written); {@code IO_ERROR} if it cannot be written (nothing is left behind)
   */
  public void write(Path file) throws PolicyFileException {
    String text = toYamlWithinLimits(file.toString());
    try {
      AtomicFiles.write(file.toAbsolutePath(), text.getBytes(UTF_8),
          AtomicFiles.READABLE);
    } catch (IOException e) {
      throw new PolicyFileException(PolicyFileException.Reason.IO_ERROR, file.toString(), 0, 0, "",
          "cannot write: " + describe(e));
    }
  }

  /**
   * Returns the policy file of a levelled pool: per guest type, the ceiling as the featureset,
   * and settings that make every host give a new guest exactly the pool's boot featureset: off
   * ({@code 0}) for each feature in the ceiling but not in the boot set, on ({@code 1}) for each
   * {@code |} feature in the boot set (some hosts' defaults may lack it); the limits but the XSAVE
   * size (which Xen recomputes from the features); and provenance from the pool's hosts.
   */
  public static PolicyFile fromLevelled(LevelledPolicy levelled, Instant created, String command) {
    return fromLevelled(levelled, List.of(), created, command);
  }

  /**
   * Returns the policy file of a levelled pool, as {@link #fromLevelled(LevelledPolicy, Instant,
   * String)}, recording besides each host's fingerprint the default and max featuresets of
   * {@code hosts} (the pool's members, by name), so xl can later explain a feature the policy
   * removed ("host b lacks it") and what a host lost since ("stale"). Hosts of {@code hosts} not in
   * the levelled policy are ignored.
   */
  public static PolicyFile fromLevelled(LevelledPolicy levelled, List<HostCpu> hosts,
      Instant created, String command) {
    FeatureTable table = FeatureTable.latest();
    Featureset simpleOr = table.mask(StaticMask.SIMPLE_OR);
    ImmutableSortedMap.Builder<DomainType, TypePolicy> types = ImmutableSortedMap.naturalOrder();
    for (LevelledType lt : levelled.types().values()) {
      Map<Integer, FeatureSetting> byIndex = new java.util.TreeMap<>();
      lt.ceiling().andNot(lt.boot()).features().forEach(f -> byIndex.put(f, FeatureSetting.OFF));
      lt.boot().and(simpleOr).features().forEach(f -> byIndex.put(f, FeatureSetting.ON));
      Map<String, FeatureSetting> features = new LinkedHashMap<>();
      byIndex.forEach((f, s) -> features.put(table.byIndex(f).orElseThrow().name(), s));
      CpuLimits l = lt.limits();
      types.put(lt.type(), new TypePolicy(lt.ceiling().withLength(table.nrWords()),
          ImmutableMap.copyOf(features), Optional.empty(),
          new PolicyLimits(l.maxLeaf(), l.leaf7MaxSubleaf(), l.extdMaxLeaf(), l.maxPhysAddr())));
    }
    ImmutableMap.Builder<String, HostFeaturesets> recorded = ImmutableMap.builder();
    Set<String> members = new HashSet<>();
    levelled.hosts().forEach(r -> members.add(r.name()));
    // Hosts of one CPU model offer equal featuresets: they share one value (as in the file).
    Map<HostFeaturesets, HostFeaturesets> distinct = new HashMap<>();
    for (HostCpu h : hosts) {
      if (!members.contains(h.name())) {
        continue;
      }
      ImmutableSortedMap.Builder<DomainType, Featureset> defs = ImmutableSortedMap.naturalOrder();
      ImmutableSortedMap.Builder<DomainType, Featureset> maxs = ImmutableSortedMap.naturalOrder();
      h.guests().forEach((t, g) -> {
        defs.put(t, g.defaultFeatures().withLength(table.nrWords()));
        maxs.put(t, g.maxFeatures().withLength(table.nrWords()));
      });
      HostFeaturesets sets = new HostFeaturesets(defs.buildOrThrow(), maxs.buildOrThrow());
      recorded.put(h.name(), distinct.computeIfAbsent(sets, s -> s));
    }
    return new PolicyFile(levelled.vendor(), types.buildOrThrow(), Optional.of(new Provenance(
        created.truncatedTo(ChronoUnit.SECONDS), command, levelled.hosts(),
        recorded.buildKeepingLast())));
  }

  /** Returns the length of {@code s} in UTF-8 bytes (a lone surrogate counted as 3: a bound). */
  static long utf8Length(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
