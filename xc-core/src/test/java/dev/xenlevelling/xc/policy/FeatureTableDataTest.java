package dev.xenlevelling.xc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's copy of the feature table (FeatureTableData, generated from the CSV resources by
 * src/build/GenerateFeatureTableData.java) is the CSV files, character for character: the CSVs
 * stay the single source of truth.
 */
class FeatureTableDataTest {
  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of(FeatureTableLoader.WORDS, FeatureTableData.WORDS),
        Arguments.of(FeatureTableLoader.FEATURES, FeatureTableData.FEATURES),
        Arguments.of(FeatureTableLoader.DEPS, FeatureTableData.DEPS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void generatedText_equalsResourceFile(String file, String[] chunks) throws IOException {
    String expected;
    try (InputStream in = FeatureTableLoader.class.getResourceAsStream(file)) {
      assertNotNull(in, file);
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(expected, FeatureTableLoader.text(chunks));
  }
}
