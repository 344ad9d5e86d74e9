package dev.xenlevelling.xc.hv.cpu;

import dev.xenlevelling.xc.policy.CpuidLeaf;

/**
 * The text of one CPUID leaf, {@code LLLLLLLL:SSSSSSSS -> AAAAAAAA:BBBBBBBB:CCCCCCCC:DDDDDDDD},
 * as a host profile's {@code cpuid} list and the state directory's JSON files hold it.
 */
public final class LeafText {
  /** The length of a leaf's text. */
  public static final int LENGTH = 56;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LeafText() {}

  /** Returns {@code l} as host.json and profiles write it (xen-cpuid -p's form, lower case). */
  public static String format(CpuidLeaf l) {
    char[] c = new char[LENGTH];
    hex8(c, 0, l.leaf());
    c[8] = ':';
    hex8(c, 9, l.subleaf());
    c[17] = ' ';
    c[18] = '-';
    c[19] = '>';
    c[20] = ' ';
    hex8(c, 21, l.a());
    c[29] = ':';
    hex8(c, 30, l.b());
    c[38] = ':';
    hex8(c, 39, l.c());
    c[47] = ':';
    hex8(c, 48, l.d());
    return new String(c);
  }

  /** Writes {@code v} as 8 lower-case hex digits, as {@code %08x} does. */
  public static void hex8(char[] c, int at, int v) {
    for (int i = 7; i >= 0; i--) {
      c[at + i] = HEX[v & 0xf];
      v >>>= 4;
    }
  }
}
