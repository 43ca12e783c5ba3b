package org.nudaq.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfigLoader#readTree} builds the YAML tree from the streaming parser (issue 19: no
 * ObjectMapper set-up at start): it must make exactly the tree {@code ObjectMapper.readTree} made
 * before, node types included (an int node is not a long node), for the shipped profiles and for
 * YAML's corner cases, and fail where it failed.
 */
class ConfigTreeTest {
  private final ConfigLoader loader = new ConfigLoader();
  private final ObjectMapper mapper = new ObjectMapper(new YAMLFactory());

  @Test
  void everyShippedProfileGivesTheSameTreeAsObjectMapper() throws IOException {
    List<Path> profiles;
    try (Stream<Path> s = Files.list(Path.of("../config"))) {
      profiles = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(profiles).as("config/*.yaml").hasSizeGreaterThanOrEqualTo(3);
    for (Path p : profiles) {
      String text = Files.readString(p);
      assertThat(loader.readTree(text)).as(p.toString()).isEqualTo(mapper.readTree(text));
    }
  }

  @Test
  void cornerCasesGiveTheSameNodesAsObjectMapper() throws IOException {
    String yaml = """
        ints: [0, -7, 2147483647, 2147483648, -9223372036854775808, 9223372036854775808, 0x1F, 0o17]
        floats: [1.5, -0.0, 2.7e+13, 1e400, 6.02214076E23]
        text: ["2.7e13", "yes", 'single', plain words, "", ~, null, true, false, on, off]
        nested:
          list:
            - {a: 1, b: [x, {c: d}]}
            - []
            - {}
          empty:
        duplicate: 1
        duplicate: 2
        anchor: &a {k: v}
        alias: *a
        multi: |
          line one
          line two
        """;
    JsonNode theirs = mapper.readTree(yaml);
    JsonNode mine = loader.readTree(yaml);
    assertThat(mine).isEqualTo(theirs);
    assertThat(mine.get("ints").get(1)).isInstanceOf(IntNode.class);
    assertThat(mine.get("ints").get(3)).isInstanceOf(LongNode.class);
    assertThat(mine.get("duplicate").intValue()).as("the later duplicate wins").isEqualTo(2);
  }

  @Test
  void anEmptyDocumentIsMissingAndBadYamlFailsAsBefore() throws IOException {
    assertThat(loader.readTree("")).isEqualTo(mapper.readTree(""));
    assertThat(loader.readTree("# only a comment\n")).isEqualTo(mapper.readTree("# only a comment\n"));
    for (String bad : List.of("reactor: {thermalPowerMW: 3000\n", "x: .inf\n", "a: b: c\n")) {
      assertThatThrownBy(() -> mapper.readTree(bad)).as(bad).isInstanceOf(JsonProcessingException.class);
      assertThatThrownBy(() -> loader.readTree(bad)).as(bad).isInstanceOf(JsonProcessingException.class);
    }
  }
}
