package dev.xenlevelling.xl.cpuid;

import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.util.Strtol;
import dev.xenlevelling.xl.cpuid.CpuidParseException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * libxl's {@code cpuid=} parsers with their exact semantics: {@code libxl_cpuid_parse_config}
 * for the string form, {@code libxl_cpuid_parse_config_xend} for the list form, and xl's
 * splitting of the string form ({@code xl_parse.c}).
 *
 * <p>Instances differ only in the name table: {@link #latest()} accepts the latest Xen's 331
 * names, {@link #xen417()} the 276 of Debian's Xen 4.17.7 (used to check against that real
 * libxl). Every other rule is the same in both.
 */
public final class CpuidParser {
  private static final CpuidParser LATEST = new CpuidParser(CpuidNameTable.latest());
  private static final CpuidParser XEN417 = new CpuidParser(CpuidNameTable.xen417());

  private final CpuidNameTable names;

  private CpuidParser(CpuidNameTable names) {
    this.names = names;
  }

  /** Returns the parser of the latest Xen. */
  public static CpuidParser latest() {
    return LATEST;
  }

  /** Returns the parser with Debian Xen 4.17.7's name table (its compatibility mode). */
  public static CpuidParser xen417() {
    return XEN417;
  }

  /** Returns the name table this parser uses. */
  public CpuidNameTable names() {
    return names;
  }

  /**
   * Returns the policy list of the string form {@code cpuid="host,NAME=VALUE,..."}.
   *
   * <p>As xl: the value is split with {@code strtok(",")} (empty words vanish), the first word
   * must be exactly {@code host}, and each other word is one item. An empty value gives an empty
   * list. Deliberate deviation: xl skips a bad item (or, for a bad first word, the whole
   * setting) and goes on; here the first bad item is an error.
   *
   * @throws CpuidParseException for a bad first word or the first bad item
   */
  public CpuidPolicyList parseLibxlString(String value) throws CpuidParseException {
    List<String> words = Arrays.stream(value.split(",")).filter(w -> !w.isEmpty()).toList();
    if (words.isEmpty()) {
      return CpuidPolicyList.empty();
    }
    if (!words.get(0).equals("host")) {
      throw new CpuidParseException(Reason.FIRST_WORD_NOT_HOST, value);
    }
    return parseLibxlItems(words.subList(1, words.size()));
  }

  /**
   * Returns the policy list of {@code items}, each parsed by libxl_cpuid_parse_config in order
   * (later items override earlier ones), stopping at the first bad one.
   *
   * @throws CpuidParseException for the first item libxl rejects
   */
  public CpuidPolicyList parseLibxlItems(List<String> items) throws CpuidParseException {
    CpuidPolicyList.Builder b = new CpuidPolicyList.Builder();
    for (String item : items) {
      parseLibxlItem(b, item);
    }
    return b.build();
  }

  /**
   * Returns the policy list of the list form's strings, each parsed by
   * libxl_cpuid_parse_config_xend in order, stopping at the first bad one.
   *
   * @throws CpuidParseException for the first string libxl rejects
   */
  public CpuidPolicyList parseXendList(List<String> strings) throws CpuidParseException {
    CpuidPolicyList.Builder b = new CpuidPolicyList.Builder();
    for (String s : strings) {
      parseXendString(b, s);
    }
    return b.build();
  }

  /** Mirrors libxl_cpuid_parse_config: errors in the order 1 (no '='), 2 (name), 3 (value). */
  void parseLibxlItem(CpuidPolicyList.Builder b, String item) throws CpuidParseException {
    int eq = item.indexOf('=');
    if (eq < 0) {
      throw new CpuidParseException(Reason.MISSING_EQUALS, item);
    }
    Optional<CpuidName> found = names.lookup(item.substring(0, eq));
    if (found.isEmpty()) {
      throw new CpuidParseException(Reason.UNKNOWN_NAME, item);
    }
    CpuidName name = found.get();
    String val = item.substring(eq + 1);
    if (name.kind() == CpuidName.Kind.MSR) {
      addMsr(b, name, val, item);
    } else {
      addCpuid(b, name, val, item);
    }
  }

  /**
   * Mirrors libxl's msr_add: only one character of {@code 01xks}, no number; {@code s} is
   * stored as {@code k}.
   */
  private static void addMsr(CpuidPolicyList.Builder b, CpuidName name, String val, String item)
      throws CpuidParseException {
    if (val.length() != 1 || "01xks".indexOf(val.charAt(0)) < 0) {
      throw new CpuidParseException(Reason.ILLEGAL_VALUE, item);
    }
    char c = val.charAt(0) == 's' ? 'k' : val.charAt(0);
    b.setMsrBit(name.leaf(), name.msrBit(), c);
  }

  /** Mirrors libxl's cpuid_add, with its family and model special cases. */
  private static void addCpuid(CpuidPolicyList.Builder b, CpuidName name, String val,
      String item) throws CpuidParseException {
    int len = name.length();
    char[] flags = new char[len];
    Strtol.Result num = Strtol.strtoul(val, 0);
    if (num.parsed(0)) {
      // As libxl: only the low `length` bits of the number are used, MSB first.
      for (int i = 0; i < len; i++) {
        flags[len - 1 - i] = ((num.value() >>> i) & 1) != 0 ? '1' : '0';
      }
    } else if (!val.isEmpty() && "xks".indexOf(val.charAt(0)) >= 0) {
      Arrays.fill(flags, val.charAt(0));
    } else {
      throw new CpuidParseException(Reason.ILLEGAL_VALUE, item);
    }
    char[] reg = b.register(name.leaf(), name.subleaf(), name.register());
    switch (name.kind()) {
      case FAMILY -> writeFamily(reg, name, flags, num.value());
      case MODEL -> {
        System.arraycopy(flags, 0, reg, 32 - 4 - 16, 4);
        System.arraycopy(flags, 4, reg, 32 - 4 - name.firstBit(), 4);
      }
      case FIELD -> System.arraycopy(flags, 0, reg, 32 - len - name.firstBit(), len);
      default -> throw new AssertionError(name);
    }
    b.setRegister(name.leaf(), name.subleaf(), name.register(), new String(reg));
  }

  /**
   * Writes the family as libxl does: below 16, the base nibble and an extended family of 0;
   * otherwise base {@code 1111} and an extended family whose top bit is bit 7 of the original
   * value and whose low 7 bits are those of value - 15 (so values above 0x8e come out garbled,
   * as in libxl). For {@code x}/{@code k}/{@code s} the number is 0: base nibble of that
   * character, extended family {@code 00000000}.
   */
  private static void writeFamily(char[] reg, CpuidName name, char[] flags, long num) {
    if (Long.compareUnsigned(num, 16) < 0) {
      System.arraycopy(flags, 4, reg, 32 - 4 - name.firstBit(), 4);
      System.arraycopy("00000000".toCharArray(), 0, reg, 32 - 8 - 20, 8);
    } else {
      long n = num - 15;
      System.arraycopy("1111".toCharArray(), 0, reg, 32 - 4 - name.firstBit(), 4);
      for (int i = 0; i < 7; i++) {
        flags[7 - i] = (n & 1) != 0 ? '1' : '0';
        n >>>= 1;
      }
      System.arraycopy(flags, 0, reg, 32 - 8 - 20, 8);
    }
  }

  /** Mirrors libxl_cpuid_parse_config_xend, quirks included (see oracle/README.md). */
  void parseXendString(CpuidPolicyList.Builder b, String str) throws CpuidParseException {
    Strtol.Result r = Strtol.strtoul(str, 0);
    if (!r.parsed(0)) {
      throw new CpuidParseException(Reason.ILLEGAL_LEAF, str);
    }
    int leaf = (int) r.value(); // as libxl: cut to uint32_t
    int subleaf = CpuidPolicyList.NO_SUBLEAF;
    int p = r.end();
    if (p < str.length() && str.charAt(p) == ',') {
      Strtol.Result s = Strtol.strtoul(str, p + 1);
      if (!s.parsed(p + 1)) {
        throw new CpuidParseException(Reason.ILLEGAL_SUBLEAF, str);
      }
      subleaf = (int) s.value();
      p = s.end();
    }
    if (p >= str.length() || str.charAt(p) != ':') {
      throw new CpuidParseException(Reason.MISSING_COLON, str);
    }
    b.touch(leaf, subleaf);
    p++;
    while (p < str.length()) {
      // Loose check, as libxl: str[0] == 'e', str[1] in a..d, str[2] == 'x', then up to '='.
      if (str.charAt(p) != 'e' || charAt(str, p + 2) != 'x') {
        throw new CpuidParseException(Reason.INVALID_REGISTER, str);
      }
      int reg = charAt(str, p + 1) - 'a';
      int eq = str.indexOf('=', p);
      if (reg < 0 || reg > 3 || eq < 0) {
        throw new CpuidParseException(Reason.INVALID_REGISTER, str);
      }
      int start = eq + 1;
      int comma = str.indexOf(',', start);
      int end = comma < 0 ? str.length() : comma;
      if (end - start != 32) {
        throw new CpuidParseException(Reason.BAD_LENGTH, str);
      }
      // As libxl: the characters are not checked here; libxc rejects bad ones when applying.
      b.setRegister(leaf, subleaf, Register.values()[reg], str.substring(start, end));
      if (comma < 0) {
        break;
      }
      p = comma + 1;
      while (p < str.length() && (str.charAt(p) == ' ' || str.charAt(p) == '\n')) {
        p++;
      }
    }
  }

  /** Returns {@code s.charAt(i)}, or NUL past the end (C's terminator). */
  private static char charAt(String s, int i) {
    return i < s.length() ? s.charAt(i) : '\0';
  }
}
