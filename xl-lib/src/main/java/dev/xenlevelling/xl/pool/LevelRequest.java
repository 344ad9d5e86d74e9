package dev.xenlevelling.xl.pool;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xl.UsageException;
import dev.xenlevelling.xl.cpuid.XenRelease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One validated {@code xl cpu-level} request: the output format and its options, the dumps, and
 * the what-if question if any. Built with {@link #builder()}; {@link Builder#build()} refuses the
 * combinations the command refuses, in the order it checks them.
 */
public final class LevelRequest {
  /** An output format of {@code --format}. */
  enum Format {
    YAML,
    JSON,
    CPUID,
    XEND
  }

  private final Format format;
  private final Optional<DomainType> only;
  private final Optional<XenRelease> xen;
  private final ImmutableList<String> dumps;
  private final Optional<String> join;
  private final Optional<String> leave;
  private final ImmutableList<String> domains;
  private final Optional<String> policy;
  private final boolean perVendor;
  private final boolean explain;
  private final Optional<Path> output;
  private final String command;

  private LevelRequest(Builder b, Format format, Optional<DomainType> only,
      Optional<XenRelease> xen) {
    this.format = format;
    this.only = only;
    this.xen = xen;
    this.dumps = ImmutableList.copyOf(b.dumps);
    this.join = b.join;
    this.leave = b.leave;
    this.domains = ImmutableList.copyOf(b.domains);
    this.policy = b.policy;
    this.perVendor = b.perVendor;
    this.explain = b.explain;
    this.output = b.output.map(Path::of);
    this.command = b.command;
  }

  /** Returns an empty builder: YAML to standard output, no dumps. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns whether this is a what-if question ({@code --join} or {@code --leave}). */
  public boolean whatIf() {
    return join.isPresent() || leave.isPresent();
  }

  Format format() {
    return format;
  }

  Optional<DomainType> only() {
    return only;
  }

  Optional<XenRelease> xen() {
    return xen;
  }

  ImmutableList<String> dumps() {
    return dumps;
  }

  Optional<String> join() {
    return join;
  }

  Optional<String> leave() {
    return leave;
  }

  ImmutableList<String> domains() {
    return domains;
  }

  Optional<String> policy() {
    return policy;
  }

  boolean perVendor() {
    return perVendor;
  }

  boolean explain() {
    return explain;
  }

  Optional<Path> output() {
    return output;
  }

  String command() {
    return command;
  }

  /** The options of one {@code xl cpu-level}, as given; each setter takes the raw text. */
  public static final class Builder {
    private Optional<String> format = Optional.empty();
    private Optional<String> type = Optional.empty();
    private Optional<String> xenVersion = Optional.empty();
    private List<String> dumps = List.of();
    private Optional<String> join = Optional.empty();
    private Optional<String> leave = Optional.empty();
    private final List<String> domains = new ArrayList<>();
    private Optional<String> policy = Optional.empty();
    private boolean perVendor;
    private boolean explain;
    private Optional<String> output = Optional.empty();
    private String command = "xl cpu-level";

    private Builder() {}

    /** Sets {@code --format} (yaml, json, cpuid, xend; empty: yaml). */
    public Builder format(Optional<String> value) {
      this.format = checkNotNull(value);
      return this;
    }

    /** Sets {@code --type} (pv, hvm), the one cpuid= line to print. */
    public Builder type(Optional<String> value) {
      this.type = checkNotNull(value);
      return this;
    }

    /** Sets {@code --xen-version}, the Xen whose libxl reads the cpuid= lines. */
    public Builder xenVersion(Optional<String> value) {
      this.xenVersion = checkNotNull(value);
      return this;
    }

    /** Sets the host dumps, as given on the command line. */
    public Builder dumps(List<String> value) {
      this.dumps = List.copyOf(value);
      return this;
    }

    /** Sets {@code --join DUMP}. */
    public Builder join(Optional<String> value) {
      this.join = checkNotNull(value);
      return this;
    }

    /** Sets {@code --leave HOST}. */
    public Builder leave(Optional<String> value) {
      this.leave = checkNotNull(value);
      return this;
    }

    /** Adds the {@code --domain HOST:FILE} values, checked when the request runs. */
    public Builder domains(List<String> value) {
      this.domains.addAll(value);
      return this;
    }

    /** Sets {@code --policy FILE}, the pool as a policy file. */
    public Builder policy(Optional<String> value) {
      this.policy = checkNotNull(value);
      return this;
    }

    /** Sets {@code --per-vendor}. */
    public Builder perVendor(boolean value) {
      this.perVendor = value;
      return this;
    }

    /** Sets {@code --explain}. */
    public Builder explain(boolean value) {
      this.explain = value;
      return this;
    }

    /** Sets {@code --output FILE} (empty: standard output). */
    public Builder output(Optional<String> value) {
      this.output = checkNotNull(value);
      return this;
    }

    /** Sets the command line recorded in a policy file's provenance. */
    public Builder command(String value) {
      this.command = checkNotNull(value);
      return this;
    }

    /**
     * Returns the request.
     *
     * @throws UsageException for an unknown format, type or Xen version, or options that do not
     *     go together
     */
    public LevelRequest build() throws UsageException {
      String f = format.orElse("yaml");
      Format fmt;
      switch (f) {
        case "yaml" -> fmt = Format.YAML;
        case "json" -> fmt = Format.JSON;
        case "cpuid" -> fmt = Format.CPUID;
        case "xend" -> fmt = Format.XEND;
        default -> throw new UsageException("unknown format '" + f
            + "' (yaml, json, cpuid, xend)");
      }
      Optional<DomainType> only = Optional.empty();
      if (type.isPresent()) {
        String t = type.get();
        if (!t.equals("pv") && !t.equals("hvm")) {
          throw new UsageException("unknown guest type '" + t + "' (pv, hvm)");
        }
        only = Optional.of(t.equals("pv") ? DomainType.PV : DomainType.HVM);
      }
      boolean lines = fmt == Format.CPUID || fmt == Format.XEND;
      if (only.isPresent() && !lines) {
        // A policy file or JSON holds every type the pool levels; -t picks the cpuid= line.
        throw new UsageException("-t goes with --format cpuid or xend (a " + f
            + " policy holds every guest type)");
      }
      if (xenVersion.isPresent() && !lines) {
        throw new UsageException("--xen-version goes with --format cpuid or xend");
      }
      Optional<XenRelease> xen = Optional.empty();
      if (xenVersion.isPresent()) {
        xen = XenRelease.parse(xenVersion.get());
        if (xen.isEmpty()) {
          throw new UsageException("--xen-version " + xenVersion.get()
              + ": expected MAJOR.MINOR[.PATCH] (4.17, 4.18.2) or latest");
        }
      }
      if (join.isPresent() && leave.isPresent()) {
        throw new UsageException("give --join or --leave, not both");
      }
      if (!domains.isEmpty() && join.isEmpty() && leave.isEmpty()) {
        throw new UsageException("--domain goes with --join or --leave");
      }
      if (policy.isPresent() && join.isEmpty()) {
        throw new UsageException("--policy goes with --join");
      }
      if (dumps.isEmpty() && policy.isEmpty()) {
        throw new UsageException("no host dump given");
      }
      return new LevelRequest(this, fmt, only, xen);
    }
  }
}
