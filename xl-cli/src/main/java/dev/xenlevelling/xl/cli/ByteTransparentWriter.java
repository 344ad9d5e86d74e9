package dev.xenlevelling.xl.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * UTF-8 output that writes the lone surrogates U+DC80 to U+DCFF back as the bytes 0x80 to 0xff
 * they stand for (a config file's bytes that are not UTF-8: see {@code ConfigParser}), so that
 * xl prints config values byte for byte as the file has them, as the C xl does. Any other lone
 * surrogate is written as {@code ?}, as Java's UTF-8 encoder replaces it.
 */
final class ByteTransparentWriter extends Writer {
  private final OutputStream out;
  /** A high surrogate waiting for its low half, or 0. */
  private char pendingHigh;

  ByteTransparentWriter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    byte[] b = new byte[len * 4 + 4];
    int n = 0;
    for (int i = off; i < off + len; i++) {
      char c = buf[i];
      if (pendingHigh != 0) {
        char high = pendingHigh;
        pendingHigh = 0;
        if (Character.isLowSurrogate(c)) {
          n = utf8(b, n, Character.toCodePoint(high, c));
          continue;
        }
        b[n++] = '?';
      }
      if (Character.isHighSurrogate(c)) {
        pendingHigh = c;
      } else if (c >= 0xdc80 && c <= 0xdcff) {
        b[n++] = (byte) (c & 0xff);
      } else if (Character.isLowSurrogate(c)) {
        b[n++] = '?';
      } else {
        n = utf8(b, n, c);
      }
    }
    out.write(b, 0, n);
  }

  private static int utf8(byte[] b, int n, int cp) {
    if (cp < 0x80) {
      b[n++] = (byte) cp;
    } else if (cp < 0x800) {
      b[n++] = (byte) (0xc0 | cp >> 6);
      b[n++] = (byte) (0x80 | cp & 0x3f);
    } else if (cp < 0x10000) {
      b[n++] = (byte) (0xe0 | cp >> 12);
      b[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
      b[n++] = (byte) (0x80 | cp & 0x3f);
    } else {
      b[n++] = (byte) (0xf0 | cp >> 18);
      b[n++] = (byte) (0x80 | cp >> 12 & 0x3f);
      b[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
      b[n++] = (byte) (0x80 | cp & 0x3f);
    }
    return n;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (pendingHigh != 0) {
      pendingHigh = 0;
      out.write('?');
    }
    out.close();
  }
}
