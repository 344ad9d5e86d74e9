package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xencpuid.Golden417.Run;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Bad input never crashes: whatever the command line, one exit code and no exception. */
class RobustnessTest {
  @Provide
  Arbitrary<List<String>> commandLines() {
    Arbitrary<String> arg = Arbitraries.strings()
        .withChars("-:=+ x0123456789abcdefhidvpjlz\t\u00e9")
        .ofMinLength(0).ofMaxLength(12);
    Arbitrary<String> option = Arbitraries.of("-h", "-i", "-d", "-v", "-p", "--policy",
        "--policy=", "--json", "--levelling", "--", "-", "--he", "--p=1", "info", "detail");
    return Arbitraries.oneOf(arg, option).list().ofMaxSize(6);
  }

  @Property(tries = 300)
  void run_anyCommandLine_exitsCleanly(@ForAll("commandLines") List<String> args) {
    Run r = TestHosts.run("xen-cpuid", NameTable.latest(), () -> {
      throw new XcException(Errno.ENOENT, Optional.empty(), "no host in this test");
    }, "n", args.toArray(new String[0]));
    assertTrue(r.rc() == 0 || r.rc() == 1, "rc " + r.rc());
    assertTrue(r.rc() == 0 || !r.stderr().isEmpty(), "a failure says why");
  }
}
