package dev.xenlevelling.xc.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real-shaped policies for tests: a libvirt raw CPUID dump (copied under
 * {@code cpupolicy-dumps/}) read into a policy the way Xen's {@code x86_cpu_policy_fill_native}
 * reads hardware. A leaf the dump omits reads as zero, as CPUID does for an empty leaf.
 */
final class TestDumps {
  private static final Pattern CPUID = Pattern.compile(
      "<cpuid eax_in='(0x[0-9a-f]+)' ecx_in='(0x[0-9a-f]+)' eax='(0x[0-9a-f]+)' ebx='(0x[0-9a-f]+)'"
          + " ecx='(0x[0-9a-f]+)' edx='(0x[0-9a-f]+)'/>");
  private static final Pattern MSR =
      Pattern.compile("<msr index='(0x[0-9a-f]+)' edx='(0x[0-9a-f]+)' eax='(0x[0-9a-f]+)'/>");

  private TestDumps() {}

  static CpuPolicy load(String name) {
    String text;
    try (InputStream in = TestDumps.class.getResourceAsStream(
        "cpupolicy-dumps/x86_64-cpuid-" + name + ".xml")) {
      if (in == null) {
        throw new IllegalArgumentException("no dump " + name);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<Long, int[]> raw = new HashMap<>();
    Matcher m = CPUID.matcher(text);
    while (m.find()) {
      raw.put(key(hex(m.group(1)), hex(m.group(2))), new int[] {
          hex(m.group(3)), hex(m.group(4)), hex(m.group(5)), hex(m.group(6))});
    }
    long archCaps = 0;
    Matcher msr = MSR.matcher(text);
    while (msr.find()) {
      if (hex(msr.group(1)) == MsrEntry.ARCH_CAPS) {
        archCaps = Integer.toUnsignedLong(hex(msr.group(2))) << 32
            | Integer.toUnsignedLong(hex(msr.group(3)));
      }
    }
    return fillNative(raw, archCaps);
  }

  private static CpuPolicy fillNative(Map<Long, int[]> raw, long archCaps) {
    CpuPolicy.Builder b = CpuPolicy.builder();
    int[] l0 = get(raw, 0, 0);
    put(b, 0, CpuidLeaf.NO_SUBLEAF, l0);
    int max = l0[0];
    for (int i = 1; i <= Math.min(max, 0xd); i++) {
      if (i != 4 && i != 7 && i != 0xb && i != 0xd) {
        put(b, i, CpuidLeaf.NO_SUBLEAF, get(raw, i, 0));
      }
    }
    if (max >= 4) {
      for (int s = 0; s < CpuPolicy.NR_CACHE; s++) {
        int[] l = get(raw, 4, s);
        if ((l[0] & 0x1f) == 0) {
          break;
        }
        put(b, 4, s, l);
      }
    }
    if (max >= 7) {
      int[] l = get(raw, 7, 0);
      put(b, 7, 0, l);
      for (int s = 1; s <= Math.min(l[0], CpuPolicy.NR_FEAT - 1); s++) {
        put(b, 7, s, get(raw, 7, s));
      }
    }
    if (max >= 0xb) {
      for (int s = 0; s < CpuPolicy.NR_TOPO; s++) {
        int[] l = get(raw, 0xb, s);
        if (((l[2] >>> 8) & 0xff) == 0) {
          break;
        }
        put(b, 0xb, s, l);
      }
    }
    if (max >= 0xd) {
      int[] s0 = get(raw, 0xd, 0);
      int[] s1 = get(raw, 0xd, 1);
      put(b, 0xd, 0, s0);
      put(b, 0xd, 1, s1);
      long xstates = (Integer.toUnsignedLong(s0[3] | s1[3]) << 32)
          | Integer.toUnsignedLong(s0[0] | s1[2]);
      for (int s = 2; s < CpuPolicy.NR_XSTATE; s++) {
        if ((xstates & (1L << s)) != 0) {
          put(b, 0xd, s, get(raw, 0xd, s));
        }
      }
    }
    int[] e0 = get(raw, 0x80000000, 0);
    put(b, 0x80000000, CpuidLeaf.NO_SUBLEAF, e0);
    for (int i = 1; i <= Math.min(e0[0] & 0xffff, CpuPolicy.NR_EXTD - 1); i++) {
      put(b, 0x80000000 + i, CpuidLeaf.NO_SUBLEAF, get(raw, 0x80000000 + i, 0));
    }
    return b.archCaps(archCaps).build();
  }

  private static void put(CpuPolicy.Builder b, int leaf, int subleaf, int[] r) {
    b.leaf(leaf, subleaf, r[0], r[1], r[2], r[3]);
  }

  private static int[] get(Map<Long, int[]> raw, int leaf, int subleaf) {
    return raw.getOrDefault(key(leaf, subleaf), new int[4]);
  }

  private static long key(int leaf, int subleaf) {
    return Integer.toUnsignedLong(leaf) << 32 | Integer.toUnsignedLong(subleaf);
  }

  private static int hex(String s) {
    return Integer.parseUnsignedInt(s.substring(2), 16);
  }
}
