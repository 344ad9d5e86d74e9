package dev.xenlevelling.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code xl create}'s arguments, as xl's main_create takes them. */
class CreateRequestTest {
  @Test
  void of_firstArgumentWithoutEquals_isTheFile() throws Exception {
    CreateRequest r = CreateRequest.of(Optional.empty(), List.of("memory=64", "vm.cfg", "vcpus=2"));
    assertEquals("vm.cfg", r.file());
    assertEquals(List.of("memory=64", "vcpus=2"), r.settings());
  }

  @Test
  void of_fileOption_takesPrecedence_andASecondFileIsRefused() {
    UsageException e = assertThrows(UsageException.class,
        () -> CreateRequest.of(Optional.of("a.cfg"), List.of("b.cfg")));
    assertEquals("more than one config file: a.cfg, b.cfg", e.getMessage());
  }

  @Test
  void of_noFile_isRefused() {
    UsageException e = assertThrows(UsageException.class,
        () -> CreateRequest.of(Optional.empty(), List.of("memory=64")));
    assertEquals("no config file given", e.getMessage());
  }
}
