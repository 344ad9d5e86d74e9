package dev.xenlevelling.xc.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

/** The words of a Xen command line, split by hand as the regular expression split them. */
class BootOptionsWordsTest {
  @Property
  void words_asRegexSplitLessEmpties(
      @ForAll @StringLength(max = 40) @Chars({' ', '\t', '\n', '\u000b', '\f', '\r', '\u0001',
          '\u001f', '\u00a0', '\u2003', '=', ',', 'a', 'b'}) @CharRange(from = 'x', to = 'z')
          String cmdline) {
    List<String> byRegex = Arrays.stream(cmdline.trim().split("\\s+"))
        .filter(w -> !w.isEmpty()).toList();
    assertEquals(byRegex, BootOptions.words(cmdline));
  }
}
