package dev.xenlevelling.xl.domain;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xl.config.ConfigValue;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A domain's configuration: the xl.cfg keys that change the CPUID policy, typed, plus every other
 * key kept as written (xl_parse.c's job, as {@code libxl_domain_config}).
 *
 * @param name the domain's name ({@code name}); empty if not given (only {@code -N} allows that)
 * @param type the domain type ({@code type}, or the legacy {@code builder}); PV by default
 * @param memoryMb the initial memory in MiB ({@code memory}); libxl's default is 32
 * @param maxMemMb the maximum memory in MiB ({@code maxmem}); {@code memoryMb} by default
 * @param vcpus the number of vCPUs online at start ({@code vcpus}); 1 by default
 * @param maxVcpus the number of vCPUs the domain can have ({@code maxvcpus}); {@code vcpus} by
 *     default, never fewer
 * @param hap whether to use hardware-assisted paging ({@code hap}); empty: libxl decides (yes)
 * @param nestedHvm whether vmx/svm are offered ({@code nestedhvm}); empty: no
 * @param pae whether an HVM guest sees PAE ({@code pae}); empty: yes
 * @param tscMode the TSC mode ({@code tsc_mode}); empty: default
 * @param disableMigrate whether the domain may not migrate ({@code disable_migrate}); empty: no
 * @param cpuid the parsed {@code cpuid=} (empty list when not set)
 * @param otherSettings every other key, in file order, with its value as written
 * @param warnings xl's warnings about the config (deprecated keys and forms), in order
 */
public record DomainConfig(
    Optional<String> name,
    GuestType type,
    long memoryMb,
    long maxMemMb,
    int vcpus,
    int maxVcpus,
    Optional<Boolean> hap,
    Optional<Boolean> nestedHvm,
    Optional<Boolean> pae,
    Optional<TscMode> tscMode,
    Optional<Boolean> disableMigrate,
    CpuidPolicyList cpuid,
    ImmutableMap<String, ConfigValue> otherSettings,
    ImmutableList<String> warnings) {

  /**
   * Returns this configuration with {@code list} as its cpuid= (the merge of the host-wide
   * defaults with the domain's own, as {@code xl -N create} prints it).
   */
  public DomainConfig withCpuid(CpuidPolicyList list) {
    return new DomainConfig(name, type, memoryMb, maxMemMb, vcpus, maxVcpus, hap, nestedHvm, pae,
        tscMode, disableMigrate, list, otherSettings, warnings);
  }

  /** Returns whether vmx/svm are offered (nestedhvm, default off). */
  public boolean nestedHvmEnabled() {
    return nestedHvm.orElse(false);
  }

  /** Returns whether PAE is offered to an HVM guest (default on). */
  public boolean paeEnabled() {
    return pae.orElse(true);
  }

  /**
   * Returns whether the guest gets an invariant TSC, as libxl computes {@code itsc}:
   * {@code disable_migrate || tsc_mode == always_emulate}.
   */
  public boolean invariantTsc() {
    return disableMigrate.orElse(false) || tscMode.orElse(TscMode.DEFAULT) == TscMode.ALWAYS_EMULATE;
  }

  /**
   * Returns the configuration as the JSON tree {@code xl -N create} prints: libxl's
   * {@code libxl_domain_config} layout ({@code c_info}, {@code b_info}, fields left at their
   * default omitted, defbools as {@code "True"}/{@code "False"}), whose {@code b_info.cpuid} is
   * exactly libxl's cpuid JSON; plus {@code xl_other_settings}, this project's addition, with the
   * keys it does not interpret.
   */
  public Map<String, Object> toJsonTree() {
    Map<String, Object> cInfo = new LinkedHashMap<>();
    cInfo.put("type", type.jsonName());
    hap.ifPresent(v -> cInfo.put("hap", defbool(v)));
    name.ifPresent(v -> cInfo.put("name", v));

    Map<String, Object> bInfo = new LinkedHashMap<>();
    bInfo.put("max_vcpus", (long) maxVcpus);
    List<Object> avail = new ArrayList<>();
    for (long i = 0; i < vcpus; i++) {
      avail.add(i);
    }
    bInfo.put("avail_vcpus", avail);
    bInfo.put("max_memkb", maxMemMb * 1024);
    bInfo.put("target_memkb", memoryMb * 1024);
    tscMode.ifPresent(v -> bInfo.put("tsc_mode", v.libxlName()));
    if (!cpuid.isEmpty()) {
      bInfo.put("cpuid", cpuid.toJsonTree());
    }
    disableMigrate.ifPresent(v -> bInfo.put("disable_migrate", defbool(v)));
    nestedHvm.ifPresent(v -> bInfo.put("nested_hvm", defbool(v)));
    Map<String, Object> typeInfo = new LinkedHashMap<>();
    if (type == GuestType.HVM) {
      pae.ifPresent(v -> typeInfo.put("pae", defbool(v)));
    }
    bInfo.put("type." + type.jsonName(), typeInfo);

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("c_info", cInfo);
    root.put("b_info", bInfo);
    if (!otherSettings.isEmpty()) {
      Map<String, Object> other = new LinkedHashMap<>();
      otherSettings.forEach((k, v) -> other.put(k, toJson(v)));
      root.put("xl_other_settings", other);
    }
    return root;
  }

  private static String defbool(boolean v) {
    return v ? "True" : "False";
  }

  private static Object toJson(ConfigValue v) {
    if (v instanceof ConfigValue.Atom a) {
      return a.text();
    }
    List<Object> items = new ArrayList<>();
    for (ConfigValue item : ((ConfigValue.ListValue) v).items()) {
      items.add(toJson(item));
    }
    return items;
  }
}
