package dev.xenlevelling.xl;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xl.defaults.BitKey;
import dev.xenlevelling.xl.defaults.Decision;
import dev.xenlevelling.xl.defaults.DefaultsReport;
import dev.xenlevelling.xl.defaults.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A domain {@link Libxl#create} made, what became of each bit its merged cpuid= asked for, and
 * what the host-wide defaults did.
 *
 * @param domid the new domain's id
 * @param name its name
 * @param outcomes one per requested bit (of every layer), in cpuid= order
 * @param defaults the defaults' warnings and the per-feature explanation
 */
public record CreateResult(int domid, String name, ImmutableList<BitOutcome> outcomes,
    DefaultsReport defaults) {

  /** Returns the result of a domain created without consulting defaults. */
  public CreateResult(int domid, String name, ImmutableList<BitOutcome> outcomes) {
    this(domid, name, outcomes, DefaultsReport.NONE);
  }

  /**
   * Returns what {@code xl create} prints of the new domain: its name and id and, when a cpuid=
   * was requested, how many requested bits the hypervisor changed and {@link #lines} indented.
   */
  public ImmutableList<String> report(boolean all) {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    b.add("Domain " + name + " created with id " + domid + ".");
    if (defaults.plan().map(p -> p.merged().isEmpty()).orElse(true)) {
      return b.build();
    }
    int clamped = clamped().size();
    b.add("cpuid: " + (outcomes.size() - clamped) + " of " + outcomes.size()
        + " requested bits applied as asked"
        + (clamped == 0 ? "." : "; the hypervisor changed " + clamped + ":"));
    for (String line : lines(all)) {
      b.add("  " + line);
    }
    return b.build();
  }

  /** Returns the requested bits the hypervisor changed. */
  public ImmutableList<BitOutcome> clamped() {
    // A loop, not toImmutableList(): start-up rule 4 (docs/performance.md).
    ImmutableList.Builder<BitOutcome> b = ImmutableList.builder();
    for (BitOutcome o : outcomes) {
      if (o.clamped()) {
        b.add(o);
      }
    }
    return b.build();
  }

  /**
   * Returns one line per requested setting: a feature bit as {@link BitOutcome#describe}, the
   * bits of one multi-bit field ({@code family}, {@code maxleaf}, ...) together as
   * {@code maxleaf: requested 0...1101, got 0...1101}; only the changed ones unless
   * {@code all}. A bit a host-wide default asked for (not the domain config or the command line)
   * says which: {@code avx512f=1: got 0 (host lacks it) [xl.conf /etc/xen/xl.conf vm.cpuid]}.
   */
  public ImmutableList<String> lines(boolean all) {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    List<BitOutcome> group = new ArrayList<>();
    for (BitOutcome o : outcomes) {
      if (!group.isEmpty() && !sameField(group.get(0), o)) {
        flush(group, all, b);
      }
      group.add(o);
    }
    flush(group, all, b);
    return b.build();
  }

  private static boolean sameField(BitOutcome a, BitOutcome b) {
    RequestedBit x = a.bit();
    RequestedBit y = b.bit();
    return x.feature().isEmpty() && y.feature().isEmpty() && x.field().isPresent()
        && x.field().equals(y.field()) && x.leaf() == y.leaf() && x.subleaf() == y.subleaf()
        && x.register() == y.register();
  }

  /** Returns {@code " [source]"} for a bit a default layer decided, else "". */
  private String layerTag(RequestedBit r) {
    if (defaults.plan().isEmpty()) {
      return "";
    }
    Optional<Decision> d = defaults.plan().get().decision(
        new BitKey(r.msr(), r.leaf(), r.subleaf(), r.register(), r.bit()));
    if (d.isEmpty() || d.get().layer() == Layer.DOMAIN || d.get().layer() == Layer.COMMAND_LINE) {
      return "";
    }
    return " [" + d.get().source() + "]";
  }

  private void flush(List<BitOutcome> group, boolean all,
      ImmutableList.Builder<String> b) {
    if (group.isEmpty()) {
      return;
    }
    boolean changed = group.stream().anyMatch(BitOutcome::clamped);
    if (changed || all) {
      if (group.size() == 1) {
        b.add(group.get(0).describe() + layerTag(group.get(0).bit()));
      } else {
        StringBuilder req = new StringBuilder();
        StringBuilder got = new StringBuilder();
        for (BitOutcome o : group) {
          req.append(o.bit().value());
          got.append(o.got() ? '1' : '0');
        }
        b.add(group.get(0).bit().field().orElseThrow() + ": requested " + req + ", got " + got
            + (changed ? " (Xen sets this field itself)" : " (as requested)"));
      }
    }
    group.clear();
  }
}
