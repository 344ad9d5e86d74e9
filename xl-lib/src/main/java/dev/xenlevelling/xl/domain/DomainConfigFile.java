package dev.xenlevelling.xl.domain;

import dev.xenlevelling.xl.config.Config;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import java.util.List;

/**
 * A domain's configuration as xl reads it for {@code xl create}: a config file plus the
 * {@code KEY=VALUE} settings of the command line, parsed with the same grammar after the file
 * (later wins, {@code +=} appends), then given their meaning. The texts are kept so the
 * configuration can be parsed again later ({@code xl list -l}), as xl keeps its saved config.
 *
 * @param source the config file's name
 * @param text the config file's text, one character per byte ({@link ConfigParser#decode})
 * @param extra the command-line settings, one a line, one character per byte
 * @param config the meaning of both
 */
public record DomainConfigFile(String source, String text, String extra, DomainConfig config) {
  /** The source name xl gives the command-line settings in messages. */
  public static final String COMMAND_LINE = "command line";

  /**
   * Returns the domain configuration of {@code text} (file {@code source}, one character per
   * byte) and {@code settings} (characters, as the command line gives them).
   */
  public static DomainConfigFile parse(String source, String text, List<String> settings)
      throws ConfigException {
    StringBuilder extra = new StringBuilder();
    for (String s : settings) {
      extra.append(ConfigParser.fromChars(s)).append('\n');
    }
    return parse(source, text, extra.toString());
  }

  /**
   * Returns the domain configuration of {@code text} and {@code extra} (one setting a line), both
   * one character per byte.
   */
  public static DomainConfigFile parse(String source, String text, String extra)
      throws ConfigException {
    Config c = ConfigParser.parseDecoded(COMMAND_LINE, extra,
        ConfigParser.parseDecoded(source, text, Config.empty()));
    return new DomainConfigFile(source, text, extra,
        DomainConfigParser.parse(c, CpuidParser.latest()));
  }
}
