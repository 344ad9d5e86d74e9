package dev.xenlevelling.xl.config;

import com.google.common.collect.ImmutableMap;
import java.util.Optional;

/**
 * A parsed xl.cfg: its settings by key, in the order each key first appears, each holding the
 * value of its last assignment (libxlutil looks settings up newest first, so later wins).
 */
public final class Config {
  private static final Config EMPTY = new Config(ImmutableMap.of());

  private final ImmutableMap<String, Setting> settings;

  Config(ImmutableMap<String, Setting> settings) {
    this.settings = settings;
  }

  /** Returns the config with no setting. */
  public static Config empty() {
    return EMPTY;
  }

  /** Returns the settings by key, in first-appearance order. */
  public ImmutableMap<String, Setting> settings() {
    return settings;
  }

  /** Returns the setting of {@code key}, if the config has one. */
  public Optional<Setting> get(String key) {
    return Optional.ofNullable(settings.get(key));
  }
}
