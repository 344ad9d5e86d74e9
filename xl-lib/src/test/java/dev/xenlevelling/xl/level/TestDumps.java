package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.hostdump.HostDumpException;
import dev.xenlevelling.xl.hostdump.HostDumps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The 29 real CPUID dumps (libvirt's {@code tests/cputestdata}, copied from shared/cpu-dumps) as
 * {@link HostCpu}s, for tests: the one loader of the dumps, with two views, {@link #booted()} (the
 * real boot) and {@link #all()}/{@link #host} (the approximation below, no boot).
 *
 * <p><b>An approximation, labelled as such:</b> until the simulated hypervisor boots a dump, the
 * default and max featuresets here are stand-ins: the raw CPUID featureset (words mapped as in
 * featureset-words.csv) ANDed with the static masks (PV_DEF/PV_MAX, HVM_HAP_DEF/HVM_HAP_MAX) and
 * sanitised. Xen's errata fix-ups and max/default adjustments
 * ({@code calculate_{pv,hvm}_{max,def}_policy} in xen/arch/x86/cpu-policy.c) are not applied. Limits are the raw ones clamped to Xen's array sizes.
 */
public final class TestDumps {
  static final ImmutableList<String> NAMES = ImmutableList.of(
      "A10-5800K", "Atom-D510", "Atom-P5362", "Cooperlake", "Core-i5-4670T", "Core-i5-650",
      "Core-i5-6600", "Core-i7-2600", "Core-i7-3740QM", "Core-i7-5600U", "Core-i7-8550U",
      "Core2-E6850", "EPYC-7502-32-Core", "EPYC-7601-32-Core", "EPYC-7713-64-Core",
      "EPYC-9334-32-Core", "Hygon-C86-7185-32-core", "Ice-Lake-Server", "Opteron-2350",
      "Opteron-6234", "Xeon-E5-2650-v3", "Xeon-E5-2650-v4", "Xeon-E5-2650", "Xeon-E7-8890-v3",
      "Xeon-Gold-6148", "Xeon-Platinum-8268", "Xeon-W3520", "Xeon-X5460", "Xeon-w7-3465X");

  private static final Map<String, HostCpu> CACHE = new HashMap<>();

  private TestDumps() {}

  /** Returns every dump as a host, in {@link #NAMES} order. */
  public static synchronized List<HostCpu> all() {
    return NAMES.stream().map(TestDumps::host).toList();
  }

  /** Returns the dump {@code x86_64-cpuid-NAME.xml} as a host named NAME (stand-in policies). */
  public static synchronized HostCpu host(String name) {
    return CACHE.computeIfAbsent(name, TestDumps::load);
  }

  /**
   * Returns every dump as a host booted through the simulated hypervisor (HostDumps reads a
   * libvirt dump by booting it, and caches the boot): Xen's real default and max featuresets, no
   * approximation; in {@link #NAMES} order.
   */
  static List<HostCpu> booted() {
    List<HostCpu> all = new ArrayList<>();
    for (String name : NAMES) {
      String path = "dumps/x86_64-cpuid-" + name + ".xml";
      try (InputStream in = TestDumps.class.getResourceAsStream(path)) {
        all.add(HostDumps.parse(path, name, in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (HostDumpException e) {
        throw new IllegalStateException(e);
      }
    }
    return all;
  }

  private static HostCpu load(String name) {
    byte[] bytes;
    try (InputStream in = TestDumps.class.getResourceAsStream("dumps/x86_64-cpuid-" + name + ".xml")) {
      if (in == null) {
        throw new IllegalArgumentException("no dump " + name);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      doc = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(bytes));
    } catch (Exception e) {
      throw new IllegalStateException("cannot parse dump " + name, e);
    }
    Map<Long, long[]> leaves = new HashMap<>();
    NodeList cpuids = doc.getElementsByTagName("cpuid");
    for (int i = 0; i < cpuids.getLength(); i++) {
      Element e = (Element) cpuids.item(i);
      long key = (hex(e, "eax_in") << 32) | hex(e, "ecx_in");
      leaves.put(key, new long[] {hex(e, "eax"), hex(e, "ebx"), hex(e, "ecx"), hex(e, "edx")});
    }
    Map<Long, long[]> msrs = new HashMap<>();
    NodeList ms = doc.getElementsByTagName("msr");
    for (int i = 0; i < ms.getLength(); i++) {
      Element e = (Element) ms.item(i);
      msrs.put(hex(e, "index"), new long[] {hex(e, "eax"), hex(e, "edx")});
    }
    FeatureTable t = FeatureTable.latest();
    int[] raw = new int[t.nrWords()];
    for (FeatureWord w : t.words()) {
      if (w.msr()) {
        long[] m = msrs.get((long) w.leaf());
        if (m != null) {
          raw[w.index()] = (int) (w.register() == Register.EAX ? m[0] : m[1]);
        }
        continue;
      }
      long[] regs = leaves.get(((long) w.leaf() & 0xffffffffL) << 32 | w.subleaf().orElse(0));
      if (regs != null) {
        raw[w.index()] = (int) regs[switch (w.register()) {
          case EAX -> 0;
          case EBX -> 1;
          case ECX -> 2;
          case EDX -> 3;
        }];
      }
    }
    Featureset rawFs = Featureset.of(raw);
    long[] l0 = leaves.get(0L);
    String vendorId = ascii(l0[1]) + ascii(l0[3]) + ascii(l0[2]);
    Vendor vendor = Vendor.ofIdString(vendorId)
        .orElseThrow(() -> new IllegalStateException(name + ": vendor " + vendorId));
    long[] l7 = leaves.get(7L << 32);
    long[] e0 = leaves.get(0x80000000L << 32);
    long[] e8 = leaves.get(0x80000008L << 32);
    long[] d0 = leaves.get(0xdL << 32);
    CpuLimits limits = new CpuLimits(
        java.util.OptionalLong.of(Math.min(l0[0], 0xd)),
        l7 == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((int) Math.min(l7[0], 2)),
        e0 == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Math.min(e0[0], 0x80000021L)),
        e8 == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((int) (e8[0] & 0xff)),
        d0 == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((int) d0[2]));
    String fp = "approx-raw-dump:" + Hashing.sha256().hashBytes(bytes).toString().substring(0, 16);
    return HostCpu.builder(name, vendor, fp)
        .guest(DomainType.PV, stand(t, rawFs, StaticMask.PV_DEF), stand(t, rawFs, StaticMask.PV_MAX), limits)
        .guest(DomainType.HVM, stand(t, rawFs, StaticMask.HVM_HAP_DEF),
            stand(t, rawFs, StaticMask.HVM_HAP_MAX), limits)
        .build();
  }

  /** Returns the stand-in for a Xen policy: {@code raw & mask}, sanitised. */
  static Featureset stand(FeatureTable t, Featureset raw, StaticMask mask) {
    return t.sanitise(raw.and(t.mask(mask)));
  }

  private static long hex(Element e, String attr) {
    return Long.parseLong(e.getAttribute(attr).substring(2), 16);
  }

  private static String ascii(long reg) {
    StringBuilder sb = new StringBuilder(4);
    for (int i = 0; i < 4; i++) {
      sb.append((char) ((reg >>> (8 * i)) & 0xff));
    }
    return sb.toString();
  }
}
