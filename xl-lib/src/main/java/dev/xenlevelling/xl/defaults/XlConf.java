package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xl.config.Config;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.config.ConfigValue;
import dev.xenlevelling.xl.config.Position;
import dev.xenlevelling.xl.config.Setting;
import dev.xenlevelling.xl.cpuid.CpuidParseException;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import dev.xenlevelling.xl.domain.DomainConfigParser;
import dev.xenlevelling.xl.domain.GuestType;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU keys of xl's global configuration {@code xl.conf}, in its {@code vm.*} idiom (as
 * {@code vm.cpumask}, {@code vm.pv.cpumask}, {@code vm.hvm.cpumask}): {@code vm.cpuid},
 * {@code vm.pv.cpuid}, {@code vm.hvm.cpuid} (either cpuid= syntax), {@code vm.cpuid_policy}
 * (a policy file) and {@code vm.cpuid_policy_strict}. Every other key of xl.conf is xl's own
 * business and is ignored here, as xl ignores keys it does not know.
 *
 * @param file the file as named in messages
 * @param cpuid {@code vm.cpuid}: for every guest
 * @param pvCpuid {@code vm.pv.cpuid}: for PV guests
 * @param hvmCpuid {@code vm.hvm.cpuid}: for HVM and PVH guests (both get Xen's HVM policies)
 * @param policy {@code vm.cpuid_policy}: the policy file, relative to xl.conf's directory
 * @param strict {@code vm.cpuid_policy_strict}: refuse to create a domain under a stale policy
 * @param warnings one line per {@code vm.*} key that mentions cpuid but is none of these (a
 *     typo such as {@code vm.cpuid_polciy} would otherwise be ignored without a word)
 */
public record XlConf(
    String file,
    Optional<CpuidSetting> cpuid,
    Optional<CpuidSetting> pvCpuid,
    Optional<CpuidSetting> hvmCpuid,
    Optional<PolicyRef> policy,
    boolean strict,
    ImmutableList<String> warnings) {

  /** The CPU keys this reads. */
  static final ImmutableList<String> KEYS = ImmutableList.of("vm.cpuid", "vm.pv.cpuid",
      "vm.hvm.cpuid", "vm.cpuid_policy", "vm.cpuid_policy_strict");

  /** Returns the configuration with no warnings. */
  public XlConf(String file, Optional<CpuidSetting> cpuid, Optional<CpuidSetting> pvCpuid,
      Optional<CpuidSetting> hvmCpuid, Optional<PolicyRef> policy, boolean strict) {
    this(file, cpuid, pvCpuid, hvmCpuid, policy, strict, ImmutableList.of());
  }

  /** xl.conf's name in its directory. */
  public static final String FILE_NAME = "xl.conf";
  /** The directory of xl's configuration when {@code XEN_CONFIG_DIR} is not set. */
  public static final String DEFAULT_DIR = "/etc/xen";

  /**
   * A {@code vm.*cpuid} setting.
   *
   * @param key the key ({@code vm.hvm.cpuid})
   * @param position where its value starts
   * @param list the parsed setting
   */
  public record CpuidSetting(String key, Position position, CpuidPolicyList list) {}

  /**
   * The {@code vm.cpuid_policy} setting.
   *
   * @param path the policy file, resolved against xl.conf's directory
   * @param position where the value starts
   */
  public record PolicyRef(Path path, Position position) {}

  /** Returns the configuration of a host without xl.conf: no defaults. */
  public static XlConf none(String file) {
    return new XlConf(file, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), false);
  }

  /**
   * Returns xl's configuration directory for environment {@code env}: {@code XEN_CONFIG_DIR},
   * else {@code /etc/xen}. Real xl has the directory compiled in; the variable is this project's,
   * so a test or a user without root can point xl at another.
   */
  public static Path configDir(Map<String, String> env) {
    String dir = env.get("XEN_CONFIG_DIR");
    return Path.of(dir == null || dir.isEmpty() ? DEFAULT_DIR : dir);
  }

  /**
   * Returns the CPU keys of {@code dir/xl.conf}; no defaults when the file does not exist (as xl,
   * which then runs with its built-in defaults).
   *
   * @throws DefaultsException {@code XL_CONF} when the file cannot be read or is malformed
   */
  public static XlConf load(Path dir) throws DefaultsException {
    Path file = dir.resolve(FILE_NAME);
    String name = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return none(name);
    } catch (IOException e) {
      throw new DefaultsException(DefaultsException.Reason.XL_CONF,
          name + ": cannot read: " + e.getMessage(), e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DefaultsException(DefaultsException.Reason.XL_CONF,
          name + ": expected UTF-8 text", e);
    }
    return parse(name, text, dir);
  }

  /**
   * Returns the CPU keys of xl.conf text {@code text}, named {@code name} in messages, with
   * relative policy paths resolved against {@code dir}.
   *
   * @throws DefaultsException {@code XL_CONF} naming the file, line, column and key
   */
  public static XlConf parse(String name, String text, Path dir) throws DefaultsException {
    try {
      Config c = ConfigParser.parse(name, text);
      return new XlConf(name, cpuid(c, "vm.cpuid"), cpuid(c, "vm.pv.cpuid"),
          cpuid(c, "vm.hvm.cpuid"), policy(c, dir), strict(c), unknownCpuKeys(c));
    } catch (ConfigException e) {
      throw new DefaultsException(DefaultsException.Reason.XL_CONF, e.getMessage(), e);
    }
  }

  /**
   * Returns a warning per {@code vm.*} key containing {@code cpuid} that is not one of
   * {@link #KEYS}: xl ignores keys it does not know, but a misspelt CPU default silently not
   * applied is worth a line.
   */
  private static ImmutableList<String> unknownCpuKeys(Config c) {
    ImmutableList.Builder<String> w = ImmutableList.builder();
    for (Setting s : c.settings().values()) {
      String k = s.name();
      if (k.startsWith("vm.") && k.toLowerCase(java.util.Locale.ROOT).contains("cpuid")
          && !KEYS.contains(k)) {
        w.add("warning: " + s.position() + ": unknown key " + k + " ignored (xl.conf's CPU keys"
            + " are " + String.join(", ", KEYS) + ")");
      }
    }
    return w.build();
  }

  /** Returns whether any CPU default is set (a policy or a cpuid= key). */
  public boolean hasCpuDefaults() {
    return cpuid.isPresent() || pvCpuid.isPresent() || hvmCpuid.isPresent() || policy.isPresent();
  }

  /** Returns the {@code vm.<type>.cpuid} setting for a guest of {@code type}, if set. */
  public Optional<CpuidSetting> typeCpuid(GuestType type) {
    return type == GuestType.PV ? pvCpuid : hvmCpuid;
  }

  /** As the domain config's cpuid=: a list is the xend syntax, a string the libxl syntax. */
  private static Optional<CpuidSetting> cpuid(Config c, String key) throws ConfigException {
    Optional<Setting> s = c.get(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    ConfigValue v = s.get().value();
    try {
      CpuidPolicyList list;
      if (v instanceof ConfigValue.ListValue l) {
        List<String> strings = new ArrayList<>();
        for (ConfigValue item : l.items()) {
          if (!(item instanceof ConfigValue.Atom a)) {
            throw new ConfigException(item.position(), key
                + ": expected a string \"leaf[,subleaf]:eXx=...\" in the list, not a list");
          }
          strings.add(a.text());
        }
        list = CpuidParser.latest().parseXendList(strings);
      } else {
        list = CpuidParser.latest().parseLibxlString(((ConfigValue.Atom) v).text());
      }
      return Optional.of(new CpuidSetting(key, v.position(), list));
    } catch (CpuidParseException e) {
      throw new ConfigException(DomainConfigParser.itemPosition(v, e.item()),
          key + ": " + e.getMessage(), e);
    }
  }

  private static Optional<PolicyRef> policy(Config c, Path dir) throws ConfigException {
    Optional<Setting> s = c.get("vm.cpuid_policy");
    if (s.isEmpty()) {
      return Optional.empty();
    }
    ConfigValue v = s.get().value();
    if (!(v instanceof ConfigValue.Atom a) || a.number() || a.text().isEmpty()) {
      throw new ConfigException(v.position(),
          "vm.cpuid_policy: expected the policy file's path as a string (\"/etc/xen/pool.yaml\")");
    }
    return Optional.of(new PolicyRef(dir.resolve(a.text()), v.position()));
  }

  private static boolean strict(Config c) throws ConfigException {
    Optional<Setting> s = c.get("vm.cpuid_policy_strict");
    if (s.isEmpty()) {
      return false;
    }
    ConfigValue v = s.get().value();
    if (v instanceof ConfigValue.Atom a && a.number()
        && (a.text().equals("0") || a.text().equals("1"))) {
      return a.text().equals("1");
    }
    throw new ConfigException(v.position(), "vm.cpuid_policy_strict: expected 0 or 1, found "
        + (v instanceof ConfigValue.Atom a ? "\"" + a.text() + "\"" : "a list"));
  }
}
