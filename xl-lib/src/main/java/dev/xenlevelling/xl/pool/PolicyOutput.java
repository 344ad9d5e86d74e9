package dev.xenlevelling.xl.pool;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.xenlevelling.xc.io.AtomicFiles;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xl.cpuid.XenRelease;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.LevelledPolicy;
import dev.xenlevelling.xl.level.PolicyText;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import dev.xenlevelling.xl.policyfile.PolicyFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The policy writer of {@code xl cpu-level}: the levelled policies as policy files (one per
 * vendor, {@code pool.amd.yaml}), JSON or cpuid= lines, to the output file or standard output.
 */
final class PolicyOutput {
  private PolicyOutput() {}

  /** Writes {@code policies} in the request's format; notes on the cpuid= lines to {@code notes}. */
  static void write(LevelRequest request, List<LevelledPolicy> policies, List<HostCpu> hosts,
      FeatureTable table, XenRelease xen, PrintWriter out, Consumer<String> notes)
      throws PolicyFileException, IOException {
    Optional<Path> file = request.output();
    if (request.format() == LevelRequest.Format.YAML) {
      // Every file is checked against the reader's limits before any is written or printed: a
      // policy xl would refuse to read is not produced (PolicyFile.MAX_HOSTS, MAX_BYTES).
      List<PolicyFile> files = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (LevelledPolicy p : policies) {
        PolicyFile pf = PolicyFile.fromLevelled(p, hosts, Instant.now(), request.command());
        files.add(pf);
        texts.add(pf.toYamlWithinLimits(file.map(f -> target(f, p, policies).toString())
            .orElse("standard output")));
      }
      for (int i = 0; i < files.size(); i++) {
        if (file.isPresent()) {
          files.get(i).write(target(file.get(), policies.get(i), policies));
        } else {
          if (policies.size() > 1) {
            out.println("---");
          }
          out.print(texts.get(i));
        }
      }
      return;
    }
    PolicyText text = new PolicyText(table);
    StringBuilder sb = new StringBuilder();
    if (request.format() == LevelRequest.Format.JSON) {
      sb.append(text.json(policies));
    } else {
      PolicyText.CpuidText t = text.cpuidConfig(policies, hosts,
          request.format() == LevelRequest.Format.XEND, request.only(), xen);
      sb.append(t.text());
      t.notes().forEach(notes);
    }
    if (file.isPresent()) {
      AtomicFiles.write(file.get().toAbsolutePath(), sb.toString().getBytes(UTF_8),
          AtomicFiles.READABLE);
    } else {
      out.print(sb);
    }
  }

  private static Path target(Path file, LevelledPolicy p, List<LevelledPolicy> policies) {
    return policies.size() == 1 ? file : perVendor(file, p);
  }

  /** Returns {@code file} with the vendor before its extension: {@code pool.amd.yaml}. */
  private static Path perVendor(Path file, LevelledPolicy p) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String named = dot > 0 ? n.substring(0, dot) + "." + p.vendor().key() + n.substring(dot)
        : n + "." + p.vendor().key();
    return file.resolveSibling(named);
  }
}
