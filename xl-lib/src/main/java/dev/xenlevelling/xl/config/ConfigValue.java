package dev.xenlevelling.xl.config;

import com.google.common.collect.ImmutableList;

/**
 * A value of an xl.cfg setting, as libxlutil keeps it: an atom (a quoted string or a number,
 * both kept as text) or a list of values.
 */
public sealed interface ConfigValue permits ConfigValue.Atom, ConfigValue.ListValue {
  /** Returns where the value starts. */
  Position position();

  /**
   * A string or number. libxlutil keeps both as text; {@code number} says how it was written.
   *
   * @param text the text (dequoted for a string)
   * @param number whether it was written as a bare number ({@code 128}, {@code 0x1f})
   * @param position where it starts
   */
  record Atom(String text, boolean number, Position position) implements ConfigValue {}

  /**
   * A list {@code [ ... ]}.
   *
   * @param items the items in order
   * @param position where the {@code [} is
   */
  record ListValue(ImmutableList<ConfigValue> items, Position position) implements ConfigValue {}
}
