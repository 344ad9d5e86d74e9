package dev.xenlevelling.xl.cpuid;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Optional;

/**
 * A Xen release as far as libxl's {@code cpuid=} names depend on it: a stable line
 * ({@code 4.17}, {@code 4.18}, ...) and a patch level, or the latest Xen (whose table
 * {@code libxl-cpuid-names.csv} is).
 *
 * <p>Which names each release's libxl accepts is the {@code libxl_since} column of that table,
 * read from every RELEASE tag's {@code libxl_cpuid.c} and {@code cpufeatureset.h}
 * ({@code oracle/libxl-names-by-release.py}). Stable releases took new names by backport, so the
 * order of releases is not the order of their name sets: 4.17.7 accepts names 4.18.0 does not.
 * A release named without its patch level ({@code 4.18}) is taken as the line's first release
 * ({@code 4.18.0}), whose names every later release of the line still accepts.
 *
 * @param major the major version (4)
 * @param minor the minor version (17 for 4.17)
 * @param patch the patch level (7 for 4.17.7)
 * @param latest whether this stands for the latest Xen (any version above the newest known line)
 */
public record XenRelease(int major, int minor, int patch, boolean latest)
    implements Comparable<XenRelease> {
  /** The latest Xen: every name of the table. */
  public static final XenRelease LATEST = new XenRelease(Integer.MAX_VALUE, 0, 0, true);
  /** The newest stable line the table knows by release; anything above it is {@link #LATEST}. */
  static final XenRelease NEWEST_LINE = new XenRelease(4, 22, 0, false);
  /** The oldest line whose libxl names the table knows (older ones: the xend form only). */
  static final XenRelease OLDEST_LINE = new XenRelease(4, 17, 0, false);

  /** Validates the numbers. */
  public XenRelease {
    checkArgument(major >= 0 && minor >= 0 && patch >= 0, "negative version %s.%s.%s", major,
        minor, patch);
  }

  /** Returns release {@code major.minor.patch}, or {@link #LATEST} above the newest known line. */
  public static XenRelease of(int major, int minor, int patch) {
    XenRelease r = new XenRelease(major, minor, patch, false);
    return r.line().compareTo(NEWEST_LINE) > 0 ? LATEST : r;
  }

  /**
   * Returns the release {@code text} names: {@code latest}, {@code MAJOR.MINOR} (the line's first
   * release), {@code MAJOR.MINOR.PATCH}, or a version as Xen reports it ({@code xen_version} of
   * {@code xl info}: {@code 4.17.7+13-g2445b30a44-0+deb12u1}, {@code 4.23-unstable},
   * {@code 4.18.0-rc2}: what follows the numbers is ignored); empty when it is none of these.
   */
  public static Optional<XenRelease> parse(String text) {
    if (text.equals("latest")) {
      return Optional.of(LATEST);
    }
    int[] n = new int[3];
    int parts = 0;
    int i = 0;
    while (true) {
      int start = i;
      while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'
          && i - start < 6) {
        n[parts] = n[parts] * 10 + (text.charAt(i) - '0');
        i++;
      }
      if (i == start) {
        return Optional.empty();
      }
      parts++;
      if (parts < 3 && i < text.length() && text.charAt(i) == '.') {
        i++;
        continue;
      }
      break;
    }
    if (parts < 2 || (i < text.length()
        && (text.charAt(i) == '.' || Character.isLetterOrDigit(text.charAt(i))))) {
      return Optional.empty();
    }
    return Optional.of(of(n[0], n[1], n[2]));
  }

  /** Returns the first release of this release's stable line ({@code 4.17.0} for 4.17.7). */
  public XenRelease line() {
    return latest ? this : new XenRelease(major, minor, 0, false);
  }

  /** Returns the line as {@code 4.17}, the key of the {@code libxl_since} column. */
  String lineKey() {
    return major + "." + minor;
  }

  /** Returns whether the table knows which names this release's libxl accepts (4.17.0 on). */
  public boolean namesKnown() {
    return latest || compareTo(OLDEST_LINE) >= 0;
  }

  /** Returns the older of this and {@code other}. */
  public XenRelease older(XenRelease other) {
    return compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(XenRelease o) {
    if (latest || o.latest) {
      return Boolean.compare(latest, o.latest);
    }
    int c = Integer.compare(major, o.major);
    c = c != 0 ? c : Integer.compare(minor, o.minor);
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  /** Returns {@code latest} or {@code MAJOR.MINOR.PATCH}. */
  @Override
  public String toString() {
    return latest ? "latest" : major + "." + minor + "." + patch;
  }
}
