package dev.xenlevelling.xl.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Xen releases as versions are written, and which libxl cpuid= names each accepts. */
class XenReleaseTest {
  static Stream<Arguments> versions() {
    return Stream.of(
        Arguments.of("latest", Optional.of("latest")),
        Arguments.of("4.17", Optional.of("4.17.0")),
        Arguments.of("4.17.7", Optional.of("4.17.7")),
        Arguments.of("4.17.7+13-g2445b30a44-0+deb12u1", Optional.of("4.17.7")),
        Arguments.of("4.18.0-rc2", Optional.of("4.18.0")),
        Arguments.of("4.22.0", Optional.of("4.22.0")),
        Arguments.of("4.23-unstable", Optional.of("latest")),
        Arguments.of("5.0", Optional.of("latest")),
        Arguments.of("4.16", Optional.of("4.16.0")),
        Arguments.of("4", Optional.empty()),
        Arguments.of("4.", Optional.empty()),
        Arguments.of("4.17.", Optional.empty()),
        Arguments.of("4.17.7.1", Optional.empty()),
        Arguments.of("4.17x", Optional.empty()),
        Arguments.of("v4.17", Optional.empty()),
        Arguments.of("", Optional.empty()),
        Arguments.of("4.1234567", Optional.empty()),
        Arguments.of("Latest", Optional.empty()));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("versions")
  void parse(String text, Optional<String> expected) {
    assertEquals(expected, XenRelease.parse(text).map(XenRelease::toString));
  }

  @Test
  void order_latestAboveEveryRelease_olderPicksTheOlder() {
    XenRelease a = XenRelease.of(4, 17, 7);
    XenRelease b = XenRelease.of(4, 18, 0);
    assertTrue(a.compareTo(b) < 0);
    assertEquals(a, b.older(a));
    assertEquals(b, XenRelease.LATEST.older(b));
    assertEquals(XenRelease.LATEST, XenRelease.LATEST.older(XenRelease.LATEST));
    assertFalse(XenRelease.of(4, 16, 0).namesKnown());
    assertTrue(XenRelease.of(4, 17, 0).namesKnown());
  }

  /** The counts read from each release tag's sources (oracle/libxl-names-by-release.py). */
  static Stream<Arguments> nameCounts() {
    return Stream.of(
        Arguments.of("4.16", 0), Arguments.of("4.17.0", 198), Arguments.of("4.17.1", 202),
        Arguments.of("4.17.2", 266), Arguments.of("4.17.7", 276), Arguments.of("4.18", 275),
        Arguments.of("4.19.0", 294), Arguments.of("4.20.0", 309), Arguments.of("4.21.2", 329),
        Arguments.of("4.22.0", 330), Arguments.of("latest", 331));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nameCounts")
  void forRelease_countsAsReadFromEachTag(String version, int names) {
    assertEquals(names,
        CpuidNameTable.forRelease(XenRelease.parse(version).orElseThrow()).names().size());
  }

  @Test
  void forRelease_4177_isExactlyWhatTheRealLibxlAccepted() {
    assertEquals(CpuidNameTable.xen417().names(),
        CpuidNameTable.forRelease(XenRelease.of(4, 17, 7)).names());
  }

  @Test
  void forRelease_examplesOfTheIssue() {
    CpuidNameTable x4177 = CpuidNameTable.forRelease(XenRelease.of(4, 17, 7));
    assertTrue(x4177.lookup("addr-msk-ext").isEmpty(), "4.17.7 refuses addr-msk-ext");
    assertTrue(CpuidNameTable.forRelease(XenRelease.of(4, 19, 0)).lookup("addr-msk-ext")
        .isPresent());
    CpuidNameTable x4170 = CpuidNameTable.forRelease(XenRelease.of(4, 17, 0));
    assertTrue(x4170.lookup("rdcl-no").isEmpty(), "no MSR names before 4.17.2");
    assertTrue(x4170.lookup("arch-caps").isPresent());
    assertTrue(x4170.lookup("lahfsahf").isPresent() && x4170.lookup("lahf-lm").isEmpty());
  }

  /**
   * Which releases have 18 and which 19 featureset words (the last {@code word N} comment of each
   * tag's cpufeatureset.h, + 1): xen-cpuid text tells the count, so a dump of that many words is
   * taken as the count's oldest release (4.17.2, 4.17.6; 4.18.0, 4.18.6 when it uses the later
   * names), whose names every release of the count must accept.
   */
  private static final List<String> WORDS_18 = List.of("4.17.2", "4.17.3", "4.17.4", "4.17.5",
      "4.18.0", "4.18.1", "4.18.2", "4.18.3", "4.18.4", "4.18.5", "4.19.0", "4.19.1", "4.19.2",
      "4.20.0");
  private static final List<String> WORDS_19 = List.of("4.17.6", "4.17.7", "4.18.6", "4.19.3",
      "4.19.4", "4.19.5", "4.19.6", "4.20.1", "4.20.2", "4.20.3", "4.20.4", "4.21.0", "4.21.1",
      "4.21.2", "4.22.0", "latest");

  @Test
  void oldestOfAWordCount_itsNamesAcceptedByEveryReleaseOfThatCount() {
    subset("4.17.2", WORDS_18);
    subset("4.17.6", WORDS_19);
    subset("4.18.0", WORDS_18.stream().filter(v -> !v.startsWith("4.17")).toList());
    subset("4.18.6", WORDS_19.stream().filter(v -> !v.startsWith("4.17")).toList());
  }

  private static void subset(String oldest, List<String> releases) {
    Set<String> base = names(oldest);
    for (String r : releases) {
      Set<String> missing = new HashSet<>(base);
      missing.removeAll(names(r));
      assertEquals(Set.of(), missing, oldest + "'s names that " + r + " lacks");
    }
  }

  private static Set<String> names(String version) {
    Set<String> out = new HashSet<>();
    CpuidNameTable.forRelease(XenRelease.parse(version).orElseThrow()).names()
        .forEach(n -> out.add(n.name()));
    return out;
  }
}
