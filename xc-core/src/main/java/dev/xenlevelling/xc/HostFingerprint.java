package dev.xenlevelling.xc;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.Featureset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host's fingerprint: what identifies the features the host offers guests after it booted (its
 * CPU and microcode, Xen and Xen's command line), so a policy computed from the host can tell when
 * the host no longer matches it. Not a Xen concept: this project's own, shared by
 * {@code xen-cpuid --json} and {@code xl create}.
 *
 * <p>The value is {@code sha256:} and the SHA-256, in lower-case hex, of the UTF-8 text made of one
 * line {@code <key>=<words>} per dynamic featureset in sysctl index order ({@code <key>=-} where
 * Xen answers EOPNOTSUPP), then {@code boot_options=<cmdline>}, each line ending in a newline.
 * The keys are {@link #KEYS}; the words are xen-cpuid's {@code %08x:%08x:...}.
 */
public final class HostFingerprint {
  /** The keys of the dynamic featuresets, in sysctl index order (0 raw ... 5 hvm_max). */
  public static final ImmutableList<String> KEYS =
      ImmutableList.of("raw", "host", "pv_default", "hvm_default", "pv_max", "hvm_max");

  private HostFingerprint() {}

  /**
   * Returns the fingerprint of the host behind {@code xc}.
   *
   * @throws XcException if a featureset cannot be read (other than EOPNOTSUPP: compiled out)
   */
  public static String of(XcInterface xc) throws XcException {
    return of(dynamicSets(xc), xc.xenCommandline());
  }

  /**
   * Returns the six dynamic featuresets of the host behind {@code xc}, in sysctl index order;
   * empty where Xen answers EOPNOTSUPP (a guest type compiled out).
   *
   * @throws XcException for any other failure
   */
  public static ImmutableList<Optional<Featureset>> dynamicSets(XcInterface xc)
      throws XcException {
    ImmutableList.Builder<Optional<Featureset>> b = ImmutableList.builder();
    for (FeaturesetIndex i : FeaturesetIndex.values()) {
      try {
        b.add(Optional.of(xc.getCpuFeatureset(i)));
      } catch (XcException e) {
        if (e.errno() != Errno.EOPNOTSUPP) {
          throw e;
        }
        b.add(Optional.empty());
      }
    }
    return b.build();
  }

  /**
   * Returns the fingerprint of a host whose dynamic featuresets (in sysctl index order, empty
   * where compiled out) are {@code sets} and whose Xen command line is {@code bootOptions}.
   */
  public static String of(List<Optional<Featureset>> sets, String bootOptions) {
    checkArgument(sets.size() == KEYS.size(), "%s featuresets expected, got %s", KEYS.size(),
        sets.size());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < KEYS.size(); i++) {
      sb.append(KEYS.get(i)).append('=')
          .append(sets.get(i).map(Featureset::format).orElse("-")).append('\n');
    }
    sb.append("boot_options=").append(bootOptions).append('\n');
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder("sha256:");
      for (byte x : d) {
        hex.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has SHA-256", e);
    }
  }

  /**
   * Returns the name of the host of environment {@code env}: the last element of
   * {@code XENSIM_HOST} when it is set, else the name the kernel gives this machine (else
   * {@code localhost}).
   */
  public static String hostName(Map<String, String> env) {
    String dir = env.get("XENSIM_HOST");
    if (dir != null && !dir.isEmpty()) {
      Path last = Path.of(dir).getFileName();
      return last == null ? dir : last.toString();
    }
    try {
      String n = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      return n.isEmpty() ? "localhost" : n;
    } catch (IOException | RuntimeException e) {
      return "localhost";
    }
  }
}
