package dev.xenlevelling.xl.policyfile;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xl.cpuid.CpuidParseException;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;

/**
 * A {@code cpuid=} setting in a policy file, kept as text for the xl layer to parse with its
 * cpuid= parser (so errors in it are reported as xl reports a domain config's).
 *
 * @param syntax which of xl.cfg's two syntaxes it is in
 * @param items for {@link Syntax#LIBXL} one string ({@code "host,avx512f=0"}); for
 *     {@link Syntax#XEND} one string per leaf ({@code "0x00000001:ecx=xxxx..."})
 */
public record CpuidText(Syntax syntax, ImmutableList<String> items) {

  /** The two syntaxes of xl.cfg's {@code cpuid=}. */
  public enum Syntax {
    /** A string: {@code cpuid = "host,feature=value,..."}. */
    LIBXL,
    /** A list of strings: {@code cpuid = [ "leaf[,subleaf]:reg=bits,...", ... ]}. */
    XEND
  }

  /** Validates the shape. */
  public CpuidText {
    checkArgument(syntax != Syntax.LIBXL || items.size() == 1,
        "the libxl syntax is one string, not %s", items.size());
  }

  /**
   * Returns the text parsed by xl's cpuid= parser (latest Xen's names), as a domain config's.
   *
   * @throws CpuidParseException for the first bad item (a file read by {@link PolicyFile#read}
   *     has been checked already)
   */
  public CpuidPolicyList toPolicyList() throws CpuidParseException {
    return syntax == Syntax.LIBXL ? CpuidParser.latest().parseLibxlString(items.get(0))
        : CpuidParser.latest().parseXendList(items);
  }
}
