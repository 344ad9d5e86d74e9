package dev.xenlevelling.xl;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One validated {@code xl create}: the config file and the extra {@code KEY=VALUE} settings
 * parsed after it (later wins), as xl's main_create takes them.
 *
 * @param file the config file
 * @param settings the arguments with {@code =}, in order
 */
public record CreateRequest(String file, ImmutableList<String> settings) {
  /** Checks the fields. */
  public CreateRequest {
    checkNotNull(file, "file");
    checkNotNull(settings, "settings");
  }

  /**
   * Returns the request of {@code -f FILE} (if given) and the arguments: as xl's main_create,
   * the file by {@code -f}, else the first argument without {@code =}.
   *
   * @throws UsageException when two config files, or none, are given
   */
  public static CreateRequest of(Optional<String> fileOption, List<String> args)
      throws UsageException {
    String file = fileOption.orElse(null);
    List<String> settings = new ArrayList<>();
    for (String a : args) {
      if (a.indexOf('=') >= 0) {
        settings.add(a);
      } else if (file == null) {
        file = a;
      } else {
        throw new UsageException("more than one config file: " + file + ", " + a);
      }
    }
    if (file == null) {
      throw new UsageException("no config file given");
    }
    return new CreateRequest(file, ImmutableList.copyOf(settings));
  }

  /**
   * Returns the config file read and parsed, with the settings after it.
   *
   * @throws IOException when the file cannot be read
   * @throws ConfigException when the file or a setting is not valid xl.cfg
   */
  public DomainConfigFile read() throws IOException, ConfigException {
    // Byte-transparent, as libxlutil: any byte is text (a Latin-1 comment, \xff in a string).
    String text = ConfigParser.decode(Files.readAllBytes(Path.of(file)));
    return DomainConfigFile.parse(file, text, settings);
  }
}
