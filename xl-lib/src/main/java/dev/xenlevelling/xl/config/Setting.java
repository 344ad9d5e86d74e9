package dev.xenlevelling.xl.config;

/**
 * One {@code key = value} of a config, after libxlutil's {@code +=} concatenation.
 *
 * @param name the key
 * @param value the value
 * @param position where the key is written (the last assignment's)
 */
public record Setting(String name, ConfigValue value, Position position) {}
