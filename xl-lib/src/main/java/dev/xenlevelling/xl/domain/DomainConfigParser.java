package dev.xenlevelling.xl.domain;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.xenlevelling.xl.config.Config;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigValue;
import dev.xenlevelling.xl.config.Position;
import dev.xenlevelling.xl.config.Setting;
import dev.xenlevelling.xl.cpuid.CpuidParseException;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The meaning of xl.cfg keys (xl_parse.c's {@code parse_config_data}), one small method per key.
 *
 * <p>Deliberate deviation: where xl warns about a bad value and goes on with the default (a
 * number that does not parse, a bad cpuid= item), this is an error naming the file, line and
 * column, so nothing is created from a config that does not say what its author meant.
 */
public final class DomainConfigParser {
  /** The keys interpreted here; every other key is kept as written. */
  static final ImmutableSet<String> KEYS = ImmutableSet.of("name", "type", "builder", "memory",
      "maxmem", "vcpus", "maxvcpus", "hap", "nestedhvm", "pae", "tsc_mode", "disable_migrate", "cpuid");

  private static final long DEFAULT_MEMORY_MB = 32;

  private final Config config;
  private final List<String> warnings = new ArrayList<>();

  private DomainConfigParser(Config config) {
    this.config = config;
  }

  /** Returns the domain configuration of {@code config}, its cpuid= parsed by {@code cpuid}. */
  public static DomainConfig parse(Config config, CpuidParser cpuid) throws ConfigException {
    return new DomainConfigParser(config).build(cpuid);
  }

  private DomainConfig build(CpuidParser cpuidParser) throws ConfigException {
    GuestType type = type();
    String name = name();
    long memory = memory();
    long maxmem = maxmem(memory);
    int vcpus = vcpus();
    int maxVcpus = maxVcpus(vcpus);
    Optional<Boolean> hap = defbool("hap");
    Optional<Boolean> nested = defbool("nestedhvm");
    Optional<Boolean> pae = type == GuestType.HVM ? defbool("pae") : Optional.empty();
    Optional<TscMode> tsc = tscMode();
    Optional<Boolean> disableMigrate = defbool("disable_migrate");
    CpuidPolicyList cpuid = cpuid(cpuidParser);
    ImmutableMap.Builder<String, ConfigValue> other = ImmutableMap.builder();
    for (Setting s : config.settings().values()) {
      if (!KEYS.contains(s.name())) {
        other.put(s.name(), s.value());
      }
    }
    return new DomainConfig(Optional.of(name), type, memory, maxmem, vcpus, maxVcpus, hap, nested,
        pae, tsc, disableMigrate, cpuid, other.buildOrThrow(), ImmutableList.copyOf(warnings));
  }

  /**
   * Mirrors xl's parse_config_data: after the type, a config without a name is refused with
   * xl's words (also under {@code -N}, as xl parses before it looks at the dry run).
   */
  private String name() throws ConfigException {
    Optional<Setting> s = config.get("name");
    if (s.isEmpty()) {
      String file = config.settings().values().stream().findFirst()
          .map(x -> x.position().source()).orElse("");
      throw ConfigException.ofFile(file, "Domain name must be specified.");
    }
    return string(s.get());
  }

  /**
   * Mirrors xl: {@code builder} (deprecated: "hvm" or "generic") then {@code type}; a value is
   * accepted when it is a prefix of a type's name ({@code strncmp(buf, "hvm", strlen(buf))}),
   * tried in the order hvm, pv, pvh (so {@code p} is PV).
   */
  private GuestType type() throws ConfigException {
    GuestType type = GuestType.PV;
    Optional<Setting> builder = config.get("builder");
    if (builder.isPresent()) {
      warnings.add("The \"builder\" option is being deprecated, please use \"type\" instead");
      String b = string(builder.get());
      if ("hvm".startsWith(b)) {
        type = GuestType.HVM;
      } else if ("generic".startsWith(b)) {
        type = GuestType.PV;
      } else {
        throw invalid(builder.get(), "Invalid domain type " + b + ".");
      }
    }
    Optional<Setting> t = config.get("type");
    if (t.isPresent()) {
      String v = string(t.get());
      if ("hvm".startsWith(v)) {
        type = GuestType.HVM;
      } else if ("pv".startsWith(v)) {
        type = GuestType.PV;
      } else if ("pvh".startsWith(v)) {
        type = GuestType.PVH;
      } else {
        throw invalid(t.get(), "Invalid domain type " + v + ".");
      }
    }
    return type;
  }

  private long memory() throws ConfigException {
    Optional<Setting> s = config.get("memory");
    return s.isEmpty() ? DEFAULT_MEMORY_MB : number(s.get());
  }

  private long maxmem(long memory) throws ConfigException {
    Optional<Setting> s = config.get("maxmem");
    return s.isEmpty() ? memory : number(s.get());
  }

  private int vcpus() throws ConfigException {
    Optional<Setting> s = config.get("vcpus");
    if (s.isEmpty()) {
      return 1;
    }
    long n = number(s.get());
    if (n < 1 || n > 4096) {
      throw invalid(s.get(), "vcpus must be 1 to 4096, not " + n);
    }
    return (int) n;
  }

  /**
   * Mirrors xl: {@code maxvcpus} is how many vCPUs the domain can have ({@code max_vcpus}, while
   * {@code vcpus} says which are online: {@code avail_vcpus}); {@code vcpus} when not set (or
   * 0, which xl also takes as not set), and fewer than {@code vcpus} is xl's
   * "xl: maxvcpus &lt; vcpus".
   */
  private int maxVcpus(int vcpus) throws ConfigException {
    Optional<Setting> s = config.get("maxvcpus");
    long n = s.isEmpty() ? 0 : number(s.get());
    if (n == 0) {
      return vcpus;
    }
    if (n > 4096) {
      throw invalid(s.get(), "maxvcpus must be at most 4096, not " + n);
    }
    if (n < vcpus) {
      throw invalid(s.get(), "xl: maxvcpus < vcpus");
    }
    return (int) n;
  }

  /** Mirrors xl: tsc_mode as a name, or (deprecated) as its number 0 to 3. */
  private Optional<TscMode> tscMode() throws ConfigException {
    Optional<Setting> s = config.get("tsc_mode");
    if (s.isEmpty()) {
      return Optional.empty();
    }
    String v = string(s.get());
    Optional<Long> n = parseLong(v);
    if (n.isPresent()) {
      warnings.add("WARNING: specifying \"tsc_mode\" as an integer is deprecated. "
          + "Please use the named parameter variant.");
      if (n.get() < 0 || n.get() >= TscMode.values().length) {
        throw invalid(s.get(), "ERROR: invalid value " + n.get() + " for \"tsc_mode\"");
      }
      return Optional.of(TscMode.values()[n.get().intValue()]);
    }
    Optional<TscMode> m = TscMode.fromString(v);
    if (m.isEmpty()) {
      throw invalid(s.get(), "ERROR: invalid value \"" + v + "\" for \"tsc_mode\" (expected"
          + " default, always_emulate, native or native_paravirt)");
    }
    return m;
  }

  /**
   * Mirrors xl: a list is the xend form, a string the libxl form. Deliberate deviation: a bad
   * item is an error (xl prints it and creates the domain without it).
   */
  private CpuidPolicyList cpuid(CpuidParser parser) throws ConfigException {
    Optional<Setting> s = config.get("cpuid");
    if (s.isEmpty()) {
      return CpuidPolicyList.empty();
    }
    ConfigValue v = s.get().value();
    try {
      if (v instanceof ConfigValue.ListValue list) {
        List<String> strings = new ArrayList<>();
        for (ConfigValue item : list.items()) {
          if (!(item instanceof ConfigValue.Atom a)) {
            throw new ConfigException(item.position(),
                "cpuid: expected a string \"leaf[,subleaf]:eXx=...\" in the list, not a list");
          }
          strings.add(a.text());
        }
        return parser.parseXendList(strings);
      }
      return parser.parseLibxlString(((ConfigValue.Atom) v).text());
    } catch (CpuidParseException e) {
      throw new ConfigException(itemPosition(v, e.item()), e.getMessage(), e);
    }
  }

  /**
   * Returns where {@code item} is written in the cpuid= value: the list string that holds it, or
   * its place inside a string written without escapes (then the text is the source verbatim);
   * else the value's start.
   */
  public static Position itemPosition(ConfigValue v, String item) {
    if (v instanceof ConfigValue.ListValue list) {
      for (ConfigValue i : list.items()) {
        if (i instanceof ConfigValue.Atom a && a.text().equals(item)) {
          return a.position();
        }
      }
      return v.position();
    }
    String text = ((ConfigValue.Atom) v).text();
    boolean verbatim =
        text.chars().noneMatch(c -> c == '\\' || c == '"' || c == '\'' || c < 0x20);
    int at = -1;
    for (int i = text.indexOf(item); i >= 0; i = text.indexOf(item, i + 1)) {
      boolean start = i == 0 || text.charAt(i - 1) == ',';
      int end = i + item.length();
      if (start && (end == text.length() || text.charAt(end) == ',')) {
        at = i;
        break;
      }
    }
    if (!verbatim || at < 0) {
      return v.position();
    }
    Position p = v.position();
    return new Position(p.source(), p.line(), p.column() + 1 + at);
  }

  /** Mirrors xlu_cfg_get_defbool: a number, non-zero is true. */
  private Optional<Boolean> defbool(String key) throws ConfigException {
    Optional<Setting> s = config.get(key);
    return s.isEmpty() ? Optional.empty() : Optional.of(number(s.get()) != 0);
  }

  private static String string(Setting s) throws ConfigException {
    if (s.value() instanceof ConfigValue.Atom a) {
      return a.text();
    }
    throw new ConfigException(s.value().position(),
        "parameter `" + s.name() + "' is a list but should be a single value");
  }

  /** Mirrors xlu_cfg_get_long: strtol base 0 over the whole text. */
  private static long number(Setting s) throws ConfigException {
    String text = string(s);
    return parseLong(text).orElseThrow(() -> new ConfigException(s.value().position(),
        "parameter `" + s.name() + "' is not a valid number: expected a decimal, 0x hex or"
            + " 0 octal integer, got \"" + text + "\""));
  }

  /**
   * Returns strtol(text, &end, 0) if it consumed the whole text: leading blanks and one sign
   * allowed, then 0x hex, 0 octal or decimal digits, nothing after them.
   */
  static Optional<Long> parseLong(String text) {
    int i = 0;
    while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    String t = text.substring(i);
    boolean neg = false;
    if (!t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-')) {
      neg = t.charAt(0) == '-';
      t = t.substring(1);
    }
    int radix = 10;
    if (t.length() > 2 && (t.startsWith("0x") || t.startsWith("0X"))) {
      radix = 16;
      t = t.substring(2);
    } else if (t.length() > 1 && t.charAt(0) == '0') {
      radix = 8;
      t = t.substring(1);
    }
    final int r = radix;
    if (t.isEmpty() || !t.chars().allMatch(c -> c < 128 && Character.digit(c, r) >= 0)) {
      return Optional.empty();
    }
    try {
      long v = Long.parseLong(t, radix);
      return Optional.of(neg ? -v : v);
    } catch (NumberFormatException e) {
      return Optional.empty(); // out of range
    }
  }

  private static ConfigException invalid(Setting s, String message) {
    return new ConfigException(s.value().position(), message);
  }
}
