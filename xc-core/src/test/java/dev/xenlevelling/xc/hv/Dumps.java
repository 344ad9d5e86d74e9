package dev.xenlevelling.xc.hv;

import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException;
import dev.xenlevelling.xc.hv.cpu.CpuSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The 29 real CPUID dumps copied into the test resources. */
public final class Dumps {
  public static final List<String> NAMES = List.of(
      "A10-5800K", "Atom-D510", "Atom-P5362", "Cooperlake", "Core-i5-4670T", "Core-i5-650",
      "Core-i5-6600", "Core-i7-2600", "Core-i7-3740QM", "Core-i7-5600U", "Core-i7-8550U",
      "Core2-E6850", "EPYC-7502-32-Core", "EPYC-7601-32-Core", "EPYC-7713-64-Core",
      "EPYC-9334-32-Core", "Hygon-C86-7185-32-core", "Ice-Lake-Server", "Opteron-2350",
      "Opteron-6234", "Xeon-E5-2650", "Xeon-E5-2650-v3", "Xeon-E5-2650-v4", "Xeon-E7-8890-v3",
      "Xeon-Gold-6148", "Xeon-Platinum-8268", "Xeon-W3520", "Xeon-X5460", "Xeon-w7-3465X");

  private Dumps() {}

  public static CpuDescription load(String name) {
    String res = "dumps/x86_64-cpuid-" + name + ".xml";
    try (InputStream in = Dumps.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + res);
      }
      return CpuSources.fromStream(res, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CpuSourceException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static Host boot(String name, String cmdline) {
    return Host.boot(new BootConfig(load(name), cmdline, Microcode.AS_DUMPED));
  }

  public static Host boot(String name, String cmdline, Microcode ucode) {
    return Host.boot(new BootConfig(load(name), cmdline, ucode));
  }
}
