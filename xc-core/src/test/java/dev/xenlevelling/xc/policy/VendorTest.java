package dev.xenlevelling.xc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VendorTest {

  static Stream<Arguments> known() {
    return Stream.of(
        Arguments.of("intel", Vendor.INTEL, "GenuineIntel"),
        Arguments.of("amd", Vendor.AMD, "AuthenticAMD"),
        Arguments.of("hygon", Vendor.HYGON, "HygonGenuine"),
        Arguments.of("centaur", Vendor.CENTAUR, "CentaurHauls"),
        Arguments.of("shanghai", Vendor.SHANGHAI, "  Shanghai  "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("known")
  void known_keyAndSignature_roundTrip(String key, Vendor v, String signature) {
    assertEquals(key, v.key());
    assertEquals(signature, v.signature());
    assertEquals(Optional.of(v), Vendor.ofKey(key));
    assertEquals(Optional.of(v), Vendor.ofIdString(signature));
  }

  @Test
  void unknown_isNeverLookedUpByKeyOrSignature() {
    // The leveller refuses a vendor Xen does not know: it gets an empty Optional, never UNKNOWN.
    assertEquals("unknown", Vendor.UNKNOWN.key());
    assertEquals(Optional.empty(), Vendor.ofKey("unknown"));
    assertEquals(Optional.empty(), Vendor.ofIdString(""));
    assertEquals(Optional.empty(), Vendor.ofIdString(Vendor.UNKNOWN.signature()));
    assertEquals(Optional.empty(), Vendor.ofIdString("GenuineIotel"));
    assertEquals(Optional.empty(), Vendor.ofIdString("Shanghai"));
    assertEquals(Optional.empty(), Vendor.ofKey("Intel"));
    assertEquals(Optional.empty(), Vendor.ofKey("genuineintel"));
  }

  @Test
  void declarationOrder_isTheOrderXlListsVendorsIn() {
    // Per-vendor policies (pool.intel.yaml, pool.amd.yaml, ...) and messages naming several
    // vendors follow it.
    assertEquals(List.of(Vendor.INTEL, Vendor.AMD, Vendor.HYGON, Vendor.CENTAUR, Vendor.SHANGHAI,
        Vendor.UNKNOWN), List.of(Vendor.values()));
  }
}
