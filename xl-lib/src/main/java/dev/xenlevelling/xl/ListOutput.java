package dev.xenlevelling.xl;

import dev.xenlevelling.xl.domain.DomainConfig;
import dev.xenlevelling.xl.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code xl list} prints: real xl's columns (Name, ID, Mem, VCPUs, State, Time(s)), or with
 * {@code -l} a JSON array of {@code {"domid": N, "config": {...}}}.
 *
 * <p>The simulation keeps no memory, vCPU or CPU-time accounting in the hypervisor: Mem and VCPUs
 * are the configured values (0 for dom0, which xl did not create) and Time(s) is 0.0.
 */
public final class ListOutput {
  private ListOutput() {}

  /** Returns xl_list.c's header, as it prints it: tabs before State and Time(s). */
  public static String header() {
    return "Name                                        ID   Mem VCPUs\tState\tTime(s)";
  }

  /** Returns xl's line: {@code "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f"}. */
  public static String line(DomainListing d) {
    long mem = d.record().map(DomainRecord::memoryMb).orElse(0L);
    int vcpus = d.record().map(DomainRecord::vcpus).orElse(0);
    String state = (d.info().paused() ? "-" : "r") + "-" + (d.info().paused() ? "p" : "-")
        + "---";
    // Built by hand, not with String.format (start-up rule 1, docs/performance.md). The time is
    // always 0.0 here.
    StringBuilder sb = new StringBuilder(80);
    sb.append(d.name());
    pad(sb, 40 - d.name().length());
    sb.append(' ');
    right(sb, Integer.toString(d.info().domid()), 5);
    sb.append(' ');
    right(sb, Long.toString(mem), 5);
    sb.append(' ');
    right(sb, Integer.toString(vcpus), 5);
    sb.append("     ").append(state).append("  ");
    right(sb, "0.0", 8);
    return sb.toString();
  }

  /** Appends {@code s} right-aligned in {@code width} columns, as {@code %WIDTHd} does. */
  private static void right(StringBuilder sb, String s, int width) {
    pad(sb, width - s.length());
    sb.append(s);
  }

  private static void pad(StringBuilder sb, int n) {
    for (int i = 0; i < n; i++) {
      sb.append(' ');
    }
  }

  /**
   * Returns {@code xl list -l}'s JSON of {@code domains}: each domain's configuration as libxl's
   * JSON, or for dom0 (no configuration) its type and name.
   */
  public static String longJson(Libxl libxl, List<DomainListing> domains)
      throws LibxlException {
    List<Object> out = new ArrayList<>();
    for (DomainListing d : domains) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("domid", (long) d.info().domid());
      Optional<DomainConfig> config = libxl.config(d);
      if (config.isPresent()) {
        m.put("config", config.get().toJsonTree());
      } else {
        Map<String, Object> cInfo = new LinkedHashMap<>();
        cInfo.put("type", Libxl.typeName(d));
        cInfo.put("name", d.name());
        m.put("config", Map.of("c_info", cInfo));
      }
      out.add(m);
    }
    return Json.pretty(out);
  }
}
