package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * One {@code cpuid=} setting for pasting into a domain config, and what an administrator must
 * know about it.
 *
 * @param form the xl.cfg syntax it is written in
 * @param items the libxl form's value without its quotes ({@code host,avx512f=0,...}), or the
 *     xend form's strings without their quotes ({@code 0x00000007,0:eax=...}), in order
 * @param notes sentences for the comment above the setting: why the form is the xend one when
 *     the libxl one was asked for, and what the setting cannot level (empty when nothing)
 */
public record CpuidLine(Form form, ImmutableList<String> items, ImmutableList<String> notes) {
  /** The two syntaxes of xl.cfg's {@code cpuid=} (xl.cfg(5)). */
  public enum Form {
    /** {@code cpuid = "host,NAME=VALUE,..."}: libxl_cpuid_parse_config. */
    LIBXL,
    /** {@code cpuid = [ "LEAF[,SUBLEAF]:eXx=STRING,...", ... ]}: libxl_cpuid_parse_config_xend. */
    XEND
  }

  /** Returns the setting as it is written in xl.cfg, without a newline. */
  public String setting() {
    if (form == Form.LIBXL) {
      return "cpuid = \"" + items.get(0) + "\"";
    }
    StringBuilder sb = new StringBuilder("cpuid = [ ");
    for (int i = 0; i < items.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append('"').append(items.get(i)).append('"');
    }
    return sb.append(" ]").toString();
  }
}
