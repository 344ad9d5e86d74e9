package dev.xenlevelling.xc.hv.cpu;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException.Reason;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * This machine's CPU: CPUID read through Linux's {@code /dev/cpu/0/cpuid} where it is readable
 * (every leaf exact), else rebuilt from the {@code flags}, vendor, family/model/stepping and
 * address sizes of {@code /proc/cpuinfo} (feature bits only: the other leaves are synthesised).
 */
final class LocalCpu {
  /** Linux flag names that differ from Xen's (after {@code _} became {@code -}). */
  private static final ImmutableMap<String, String> LINUX_TO_XEN = ImmutableMap.<String, String>builder()
      .put("pni", "sse3").put("ht", "htt").put("pdpe1gb", "page1gb").put("tm", "tm1")
      .put("est", "eist").put("tsc-deadline-timer", "tsc-deadline").put("aes", "aesni")
      .put("fxsr-opt", "ffxsr").put("dbx", "dbext").put("cqm", "pqm").put("rdt-a", "pqe")
      .put("sha-ni", "sha").put("ds-cpl", "dscpl").put("perfctr-core", "perfctr-core")
      .put("pcommit", "pcommit").put("lahf-lm", "lahf-lm").put("cmp-legacy", "cmp-legacy")
      .put("cr8-legacy", "cr8-legacy").put("avx512-vnni", "avx512-vnni")
      .put("avx512-bitalg", "avx512-bitalg").put("avx512-vpopcntdq", "avx512-vpopcntdq")
      .put("avx512vbmi", "avx512-vbmi").put("avx512-vbmi2", "avx512-vbmi2")
      .put("md-clear", "md-clear").put("flush-l1d", "l1d-flush").put("arch-capabilities", "arch-caps")
      .put("spec-ctrl", "ibrsb").put("intel-stibp", "stibp").put("ssbd", "ssbd")
      .put("ibrs", "ibrs").put("amd-ibpb", "ibpb").put("ibpb", "ibpb").put("virt-ssbd", "virt-ssbd")
      .put("xsaveopt", "xsaveopt").put("nodeid-msr", "nodeid-msr").put("constant-tsc", "itsc")
      .buildOrThrow();

  private LocalCpu() {}

  /** Returns this machine's CPU. */
  static CpuDescription load() throws CpuSourceException {
    Optional<CpuDescription> dev = fromDevice(Path.of("/dev/cpu/0/cpuid"));
    if (dev.isPresent()) {
      return dev.get();
    }
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      return fromCpuinfo("local (/proc/cpuinfo)",
          Files.readString(cpuinfo, StandardCharsets.UTF_8), FeatureTable.latest());
    } catch (IOException e) {
      throw new CpuSourceException(Reason.UNREADABLE,
          "local: cannot read /dev/cpu/0/cpuid or /proc/cpuinfo: " + e.getMessage());
    }
  }

  /** Returns every leaf CPUID gives through the cpuid device, or empty if it is not readable. */
  static Optional<CpuDescription> fromDevice(Path dev) {
    if (!Files.isReadable(dev)) {
      return Optional.empty();
    }
    try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.READ)) {
      List<CpuidLeaf> leaves = new ArrayList<>();
      CpuidLeaf l0 = read(ch, 0, 0);
      int maxBasic = (int) Math.min(Integer.toUnsignedLong(l0.a()), 0x20);
      for (int leaf = 0; leaf <= maxBasic; leaf++) {
        switch (leaf) {
          case 4:
          case 0xb:
            for (int s = 0; s < 16; s++) {
              CpuidLeaf l = read(ch, leaf, s);
              leaves.add(l);
              if ((leaf == 4 ? l.a() & 0x1f : (l.c() >>> 8) & 0xff) == 0) {
                break;
              }
            }
            break;
          case 7:
            CpuidLeaf l70 = read(ch, 7, 0);
            leaves.add(l70);
            for (int s = 1; s <= Math.min(l70.a(), 8); s++) {
              leaves.add(read(ch, 7, s));
            }
            break;
          case 0xd:
            for (int s = 0; s < 63; s++) {
              CpuidLeaf l = read(ch, 0xd, s);
              if (s < 2 || !l.isZero()) {
                leaves.add(l);
              }
            }
            break;
          default:
            leaves.add(read(ch, leaf, 0));
        }
      }
      CpuidLeaf e0 = read(ch, 0x80000000, 0);
      leaves.add(e0);
      if ((e0.a() & 0xffff0000) == 0x80000000) {
        int maxExt = Math.min(e0.a(), 0x80000028);
        for (int leaf = 0x80000001; Integer.compareUnsigned(leaf, maxExt) <= 0; leaf++) {
          leaves.add(read(ch, leaf, 0));
        }
      }
      return Optional.of(new CpuDescription("local (/dev/cpu/0/cpuid)", brand(leaves),
          ImmutableList.copyOf(leaves), localMsrs()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static ImmutableSortedMap<Integer, Long> localMsrs() {
    TreeMap<Integer, Long> msrs = new TreeMap<>();
    Path dev = Path.of("/dev/cpu/0/msr");
    if (Files.isReadable(dev)) {
      try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.READ)) {
        for (int idx : new int[] {0xce, 0x10a}) {
          ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
          try {
            if (ch.read(b, idx) == 8) {
              msrs.put(idx, b.getLong(0));
            }
          } catch (IOException e) {
            // The MSR faults on this CPU (EIO): the CPU does not have it.
          }
        }
      } catch (IOException e) {
        // No msr driver: boot without MSR values, as for a dump without them.
      }
    }
    return ImmutableSortedMap.copyOf(msrs);
  }

  private static CpuidLeaf read(FileChannel ch, int leaf, int subleaf) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    long pos = (Integer.toUnsignedLong(subleaf) << 32) | Integer.toUnsignedLong(leaf);
    if (ch.read(b, pos) != 16) {
      throw new IOException("short read of CPUID leaf " + Integer.toHexString(leaf));
    }
    return new CpuidLeaf(leaf, subleaf, b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12));
  }

  private static String brand(List<CpuidLeaf> leaves) {
    StringBuilder sb = new StringBuilder();
    for (int leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
      for (CpuidLeaf l : leaves) {
        if (l.leaf() == leaf) {
          for (int r : new int[] {l.a(), l.b(), l.c(), l.d()}) {
            for (int i = 0; i < 4; i++) {
              char c = (char) ((r >>> (8 * i)) & 0xff);
              if (c != 0) {
                sb.append(c);
              }
            }
          }
        }
      }
    }
    return sb.toString().trim();
  }

  /**
   * Returns a CPU rebuilt from the text of /proc/cpuinfo (its first processor): the feature words
   * from {@code flags} (Linux names mapped to Xen's, unknown ones ignored), the vendor, family,
   * model and stepping into leaves 0 and 1, and the physical address size into 0x80000008.
   */
  static CpuDescription fromCpuinfo(String name, String text, FeatureTable table)
      throws CpuSourceException {
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        if (!fields.isEmpty()) {
          break;
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    String vendor = fields.get("vendor_id");
    String flags = fields.get("flags");
    if (vendor == null || flags == null || vendor.length() != 12) {
      throw new CpuSourceException(Reason.CONTENT,
          name + ": expected 'vendor_id' and 'flags' lines of an x86 /proc/cpuinfo");
    }
    int family = intField(fields, "cpu family");
    int model = intField(fields, "model");
    int stepping = intField(fields, "stepping");
    int[] words = new int[table.nrWords()];
    for (String flag : flags.split("\\s+")) {
      String n = flag.toLowerCase(Locale.ROOT).replace('_', '-');
      n = LINUX_TO_XEN.getOrDefault(n, n);
      Optional<Feature> f = table.byName(n);
      if (f.isPresent()) {
        words[f.get().word()] |= 1 << f.get().bit();
      }
    }
    boolean amd = vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine");
    CpuPolicy.Builder l = CpuPolicy.builder();
    byte[] v = vendor.getBytes(StandardCharsets.US_ASCII);
    l.leaf(0, CpuidLeaf.NO_SUBLEAF, 0xd, le(v, 0), le(v, 8), le(v, 4));
    int fam = Math.min(family, 0xf);
    int extFam = family > 0xf ? family - 0xf : 0;
    int eax = (stepping & 0xf) | ((model & 0xf) << 4) | (fam << 8) | (((model >> 4) & 0xf) << 16)
        | (extFam << 20);
    l.leaf(1, CpuidLeaf.NO_SUBLEAF, eax, 0x00010800, 0, 0);
    l.leaf(0x80000000, CpuidLeaf.NO_SUBLEAF, amd ? 0x80000021 : 0x80000008, 0, 0, 0);
    l.leaf(0x80000001, CpuidLeaf.NO_SUBLEAF, amd ? eax : 0, 0, 0, 0);
    int phys = 36;
    int virt = 48;
    String sizes = fields.get("address sizes");
    if (sizes != null) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+) bits physical, (\\d+) bits virtual").matcher(sizes);
      if (m.find()) {
        phys = Integer.parseInt(m.group(1));
        virt = Integer.parseInt(m.group(2));
      }
    }
    l.leaf(0x80000008, CpuidLeaf.NO_SUBLEAF, (phys & 0xff) | ((virt & 0xff) << 8), 0, 0, 0);
    CpuPolicy p = l.build().withFeatureset(Featureset.of(words), table);
    TreeMap<Integer, Long> msrs = new TreeMap<>();
    if (p.archCaps() != 0) {
      msrs.put(MsrEntry.ARCH_CAPS, p.archCaps());
    }
    return new CpuDescription(name, fields.getOrDefault("model name", ""), p.toLeaves(),
        ImmutableSortedMap.copyOf(msrs));
  }

  private static int intField(Map<String, String> fields, String key) throws CpuSourceException {
    try {
      return Integer.parseInt(fields.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      throw new CpuSourceException(Reason.CONTENT,
          "local: expected a number for '" + key + "' in /proc/cpuinfo, found '" + fields.get(key) + "'");
    }
  }

  private static int le(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }
}
