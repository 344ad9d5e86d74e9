package dev.xenlevelling.xl.cpuid;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Strings;
import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xl.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code cpuid=} setting: libxl's {@code libxl_cpuid_policy_list}, the per-register
 * override strings that libxc's {@code xc_cpuid_apply_policy} later interprets.
 *
 * <p>Each CPUID entry is one (leaf, subleaf) with four optional 32-character strings, bit 31
 * first, of {@code 1 0 x k s}; entries are in the order each leaf was first mentioned. Each MSR
 * entry is a 64-character string, bit 63 first. Strings from the xend list form are stored as
 * given, unchecked, as libxl stores them.
 */
public final class CpuidPolicyList {
  /** The subleaf of an entry that has none ({@code XEN_CPUID_INPUT_UNUSED}). */
  public static final int NO_SUBLEAF = 0xffffffff;

  /**
   * One CPUID override entry.
   *
   * @param leaf the leaf (unsigned)
   * @param subleaf the subleaf (unsigned), or {@link #NO_SUBLEAF}
   * @param registers eax, ebx, ecx, edx in that order; empty where the register is not overridden
   */
  public record Entry(int leaf, int subleaf, ImmutableList<Optional<String>> registers) {
    /** Validates the entry. */
    public Entry {
      checkArgument(registers.size() == 4, "4 registers expected, got %s", registers.size());
    }

    /** Returns the override string of register {@code r}, if the entry has one. */
    public Optional<String> register(Register r) {
      return registers.get(r.ordinal());
    }

    /** Returns whether the entry has a subleaf. */
    public boolean hasSubleaf() {
      return subleaf != NO_SUBLEAF;
    }
  }

  /**
   * One MSR override entry.
   *
   * @param index the MSR index
   * @param policy 64 characters, bit 63 first
   */
  public record MsrEntry(int index, String policy) {
    /** Validates the entry. */
    public MsrEntry {
      checkArgument(policy.length() == 64, "MSR policy must be 64 characters: %s", policy);
    }
  }

  private static final CpuidPolicyList EMPTY = new CpuidPolicyList(ImmutableList.of(),
      ImmutableList.of());

  private final ImmutableList<Entry> cpuid;
  private final ImmutableList<MsrEntry> msrs;

  private CpuidPolicyList(ImmutableList<Entry> cpuid, ImmutableList<MsrEntry> msrs) {
    this.cpuid = cpuid;
    this.msrs = msrs;
  }

  /** Returns the empty list (no {@code cpuid=} setting). */
  public static CpuidPolicyList empty() {
    return EMPTY;
  }

  /**
   * Returns the list of {@code cpuid} and {@code msrs} entries as given (a merge of several
   * settings builds one this way; the parsers build theirs as libxl does).
   */
  public static CpuidPolicyList of(List<Entry> cpuid, List<MsrEntry> msrs) {
    return cpuid.isEmpty() && msrs.isEmpty() ? EMPTY
        : new CpuidPolicyList(ImmutableList.copyOf(cpuid), ImmutableList.copyOf(msrs));
  }

  /** Returns the CPUID entries in first-mention order. */
  public ImmutableList<Entry> cpuid() {
    return cpuid;
  }

  /** Returns the MSR entries in first-mention order. */
  public ImmutableList<MsrEntry> msrs() {
    return msrs;
  }

  /** Returns whether there is no entry at all. */
  public boolean isEmpty() {
    return cpuid.isEmpty() && msrs.isEmpty();
  }

  /**
   * Returns the list as a JSON tree of maps and lists, as libxl's
   * {@code libxl_cpuid_policy_list_gen_json} (latest and 4.17.2+): {@code {"cpuid":[...],"msr":[...]}}.
   */
  public Map<String, Object> toJsonTree() {
    List<Object> leaves = new ArrayList<>();
    for (Entry e : cpuid) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("leaf", Integer.toUnsignedLong(e.leaf()));
      if (e.hasSubleaf()) {
        m.put("subleaf", Integer.toUnsignedLong(e.subleaf()));
      }
      for (Register r : Register.values()) {
        e.register(r).ifPresent(s -> m.put(r.lowerName(), s));
      }
      leaves.add(m);
    }
    List<Object> msrList = new ArrayList<>();
    for (MsrEntry e : msrs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", Integer.toUnsignedLong(e.index()));
      m.put("policy", e.policy());
      msrList.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("cpuid", leaves);
    root.put("msr", msrList);
    return root;
  }

  /** Returns libxl's compact JSON, byte for byte as the 4.17.7 oracle prints it (no newline). */
  public String toJson() {
    return Json.compact(toJsonTree());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuidPolicyList other && cpuid.equals(other.cpuid)
        && msrs.equals(other.msrs);
  }

  @Override
  public int hashCode() {
    return cpuid.hashCode() * 31 + msrs.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }

  /**
   * The list being built, mirroring libxl's array: an entry whose leaf is 0xffffffff is the
   * array's terminator, so it is invisible and the next new leaf overwrites it
   * ({@code cpuid_find_match}).
   */
  static final class Builder {
    private static final String ALL_X = Strings.repeat("x", 32);
    /** A leaf of 0xffffffff ends libxl's array ({@code XEN_CPUID_INPUT_UNUSED}). */
    private static final int LIST_END = 0xffffffff;

    private static final class MutableEntry {
      final int leaf;
      final int subleaf;
      final String[] regs = new String[4];

      MutableEntry(int leaf, int subleaf) {
        this.leaf = leaf;
        this.subleaf = subleaf;
      }
    }

    private final List<MutableEntry> entries = new ArrayList<>();
    private final List<int[]> msrIndexes = new ArrayList<>();
    private final List<char[]> msrPolicies = new ArrayList<>();

    /** Returns the entry for (leaf, subleaf), creating it as cpuid_find_match does. */
    private MutableEntry find(int leaf, int subleaf) {
      int i = 0;
      for (; i < entries.size() && entries.get(i).leaf != LIST_END; i++) {
        MutableEntry e = entries.get(i);
        if (e.leaf == leaf && e.subleaf == subleaf) {
          return e;
        }
      }
      MutableEntry e = new MutableEntry(leaf, subleaf);
      if (i < entries.size()) {
        entries.set(i, e); // overwrite the terminator entry
      } else {
        entries.add(e);
      }
      return e;
    }

    /** Ensures an entry for (leaf, subleaf) exists (the xend form creates it before registers). */
    void touch(int leaf, int subleaf) {
      find(leaf, subleaf);
    }

    /** Returns register {@code r}'s string for (leaf, subleaf), all {@code x} if unset. */
    char[] register(int leaf, int subleaf, Register r) {
      MutableEntry e = find(leaf, subleaf);
      String s = e.regs[r.ordinal()];
      return (s == null ? ALL_X : s).toCharArray();
    }

    /** Sets register {@code r}'s string for (leaf, subleaf), replacing the whole string. */
    void setRegister(int leaf, int subleaf, Register r, String value) {
      find(leaf, subleaf).regs[r.ordinal()] = value;
    }

    /** Sets MSR {@code index}'s bit {@code bit} to {@code c}, creating the entry (64 x). */
    void setMsrBit(int index, int bit, char c) {
      int i = 0;
      while (i < msrIndexes.size() && msrIndexes.get(i)[0] != index) {
        i++;
      }
      if (i == msrIndexes.size()) {
        msrIndexes.add(new int[] {index});
        char[] p = new char[64];
        Arrays.fill(p, 'x');
        msrPolicies.add(p);
      }
      msrPolicies.get(i)[63 - bit] = c;
    }

    CpuidPolicyList build() {
      ImmutableList.Builder<Entry> cpuid = ImmutableList.builder();
      for (MutableEntry e : entries) {
        if (e.leaf == LIST_END) {
          break;
        }
        ImmutableList.Builder<Optional<String>> regs = ImmutableList.builder();
        for (String s : e.regs) {
          regs.add(Optional.ofNullable(s));
        }
        cpuid.add(new Entry(e.leaf, e.subleaf, regs.build()));
      }
      ImmutableList.Builder<MsrEntry> msrs = ImmutableList.builder();
      for (int i = 0; i < msrIndexes.size(); i++) {
        msrs.add(new MsrEntry(msrIndexes.get(i)[0], new String(msrPolicies.get(i))));
      }
      return new CpuidPolicyList(cpuid.build(), msrs.build());
    }
  }
}
