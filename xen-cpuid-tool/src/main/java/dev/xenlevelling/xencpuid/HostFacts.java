package dev.xenlevelling.xencpuid;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything {@code xen-cpuid --json} dumps about one host, as plain values read from the
 * hypervisor; {@link JsonDump} formats it.
 *
 * @param hostName the (simulated) host's name
 * @param xenVersion the Xen version the hypervisor reports ({@code 4.17.7})
 * @param bootOptions Xen's command line as the host booted
 * @param vendor the vendor string of leaf 0 ({@code GenuineIntel})
 * @param family the family, with the extended family
 * @param model the model, with the extended model
 * @param stepping the stepping
 * @param basicMaxLeaf the host policy's leaf 0 eax
 * @param leaf7MaxSubleaf the host policy's leaf 7:0 eax
 * @param extdMaxLeaf the host policy's leaf 0x80000000 eax
 * @param maxPhysAddr physinfo's physical address width (0x80000008 eax[7:0])
 * @param xsave the host policy's xstate leaf: XCR0 and XSS masks and the size of the XSAVE area
 * @param nrFeatures Xen's featureset word count
 * @param featuresets the dynamic featuresets in sysctl index order, by their JSON key
 *     ({@link #DYNAMIC_KEYS}); empty where Xen answers EOPNOTSUPP (compiled out)
 * @param staticMasks libxc's static masks
 * @param levellingCaps the levelling caps, empty where Xen no longer reports them (4.22+)
 */
record HostFacts(
    String hostName,
    String xenVersion,
    String bootOptions,
    String vendor,
    int family,
    int model,
    int stepping,
    int basicMaxLeaf,
    int leaf7MaxSubleaf,
    int extdMaxLeaf,
    int maxPhysAddr,
    Xsave xsave,
    int nrFeatures,
    ImmutableMap<String, Optional<Featureset>> featuresets,
    ImmutableMap<StaticMask, Featureset> staticMasks,
    OptionalInt levellingCaps) {

  /**
   * The host's xstate leaf (0xd): which state components XCR0 and XSS may enable and how big
   * the XSAVE area is with all of XCR0's.
   *
   * @param xcr0 the XCR0 bits (0xd:0 edx:eax)
   * @param xss the XSS bits (0xd:1 edx:ecx)
   * @param maxSize the size of the area for every supported XCR0 component (0xd:0 ecx)
   */
  record Xsave(long xcr0, long xss, int maxSize) {}

  /** The JSON keys of the dynamic featuresets, in sysctl index order (0 raw ... 5 hvm_max). */
  static final ImmutableList<String> DYNAMIC_KEYS = HostFingerprint.KEYS;
}
