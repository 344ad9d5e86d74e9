package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the command table has its options and its implementation (both built lazily). */
class CommandTableTest {
  static Stream<CommandSpec> commands() {
    return CommandTable.COMMANDS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyCommand_hasOptionsWithHelp_andAnImplementation(CommandSpec c) {
    assertTrue(c.options().hasOption("h"), c.name() + " has -h");
    assertNotSame(c.options(), c.options(), "built anew for each use");
    // cpuid-show -> CpuidShowCommand: the switch hands each name its own class.
    StringBuilder expected = new StringBuilder();
    for (String part : c.name().split("-")) {
      expected.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    Command impl = c.newCommand();
    assertEquals(expected + "Command", impl.getClass().getSimpleName());
    assertNotSame(impl, c.newCommand());
  }
}
