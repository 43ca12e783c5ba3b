package org.nudaq.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockYaml} reads the shipped profiles without SnakeYAML (issue 19): wherever it takes a document
 * it must make exactly the tree of the loader's Jackson path (node types and key order included), and it
 * must decline every document Jackson rejects, so that the error messages stay Jackson's. Checked on the
 * profiles, on YAML's corner cases, and on thousands of damaged copies of the profiles (seeded: the same
 * copies at each run).
 */
class BlockYamlTest {
  private final ConfigLoader loader = new ConfigLoader();

  private static List<Path> profiles() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("../config"))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void everyShippedProfileIsReadWithoutJacksonIntoJacksonsTree() throws IOException {
    List<Path> profiles = profiles();
    assertThat(profiles).as("config/*.yaml").hasSizeGreaterThanOrEqualTo(3);
    for (Path p : profiles) {
      String text = Files.readString(p);
      JsonNode mine = BlockYaml.read(text);
      assertThat(mine).as(p + ": read without Jackson (the start-up the shipped profiles pay)").isNotNull();
      assertSameTree(p.toString(), mine, loader.readTreeWithJackson(text));
    }
  }

  @Test
  void cornerCasesAreJacksonsNodesOrDeclined() throws JsonProcessingException {
    String[] scalars = {"0", "-0", "7", "-7", "+7", "007", "0x1F", "0o17", "1_000", "2147483647", "2147483648", "-2147483648",
        "-2147483649", "999999999999999999", "9223372036854775807", "9223372036854775808", "1.5", "-0.0", "0.90", "1.",
        ".5", "1e5", "1E5", "2.7e13", "2.7e+13", "1.0E-3", "1e400", "4.9e-324", "6.02214076E23", ".inf", "-.inf", ".nan",
        "NaN", "Infinity", "e5", "true", "True", "TRUE", "tRue", "false", "on", "On", "ON", "oN", "off", "yes", "no", "Yes",
        "NO", "y", "n", "null", "Null", "NULL", "nUll", "~", "127.0.0.1", "10.0.0.1", "1.5.2", "1..2", "1:30", "2026-01-01",
        "2026-01-01T00:00:00Z", "hello world", "a,b", "a+b", "x.y", "fast-daily", "/tmp/x", "(a)", "50%", "'q'", "\"d\"",
        "''", "\"\"", "'it''s'", "\"a\\tb\"", "\"a # b\"", "'a # b'", "a # b", "a#b", "&a x", "*a", "!!str 5", "|", ">",
        "@x", "`x`", "%x", "é", "\"é\"", "a: b", "-", "- x", "?", "[]", "{}", "[a, b]", "[a,b]", "[a, [b, c]]", "{a: 1}",
        "{a: 1,b: 2}", "{a: 1, }", "[a, ]", "[a, , b]", "{a:1}", "{'a': 1}", "{a: }", "[\"x, y\", 'z']", "{a: [1, {b: on}]}"};
    int taken = 0;
    for (String v : scalars) {
      for (String doc : List.of("k: " + v + "\n", "k: [" + v + "]\n", "k: {a: " + v + "}\n", "k:\n  - " + v + "\n", "- " + v + "\n")) {
        taken += compare(doc) ? 1 : 0;
      }
    }
    assertThat(taken).as("documents read without Jackson").isGreaterThan(200);
    for (String doc : List.of("", "# only a comment\n", "\n\n", "a: 1\n", "a:\n", "a:\n  b:\n", "a:\n- 1\n- 2\n", "a:\n  - b: 1\n    c: 2\n  - d\n",
        "a: 1\r\nb: 2\r\n", "  a: 1\n  b: 2\n", "a: 1\nb:\n  c: 2\n d: 3\n", "a: 1\n  b: 2\n", "a: x\n  y\n", "---\na: 1\n",
        "a: 1\n...\n", "a: 1\n---\nb: 2\n", "a:\n\tb: 1\n", "a: [1,\n  2]\n", "a: \"x\n  y\"\n", "a: 1\na: 2\nb: 3\n",
        "a:\n  -\n    b: 1\n", "a:\n  - - 1\n", "a:\n  -   b: 1\n      c: 2\n", "hello\n", "- a\n- b\n", "a:\n  - b: 1\n   c: 2\n",
        "a: 1 # c\n# d\nb: 'x' # e\n", "on: 1\n", "k:\n- a:\n  - x\n  b: 1\n", "k:\n  - a:\n    - x\n    - {z: [1, 2.5, on]}\n    b: 1\n  - c\n", "a b: 1\n", "\"a\": 1\n", "a:  \n  b: 1\n", "a:\n  b: 1\nc:\n- 2\n")) {
      compare(doc);
    }
    for (String doc : List.of("a:\n  - b: 1\n    c: 2\n  - d\n", "k:\n- a:\n  - x\n  b: 1\n", "  a: 1\n  b: 2\n",
        "k:\n  - a:\n    - x\n    - {z: [1, 2.5, on]}\n    b: 1\n  - c\n", "a: 1 # c\n# d\nb: 'x' # e\n", "a: 1\r\nb: 2\r\n")) {
      assertThat(compare(doc)).as("read without Jackson:\n" + doc).isTrue();
    }
  }

  @Test
  void damagedProfilesAreJacksonsTreesOrDeclined() throws IOException {
    Random random = new Random(19);
    String palette = " ::--##''\"\"[]{},,..&*!|>\t0a1e\n\n";
    int taken = 0;
    int tried = 0;
    for (Path p : profiles()) {
      String[] lines = Files.readString(p).split("\n", -1);
      for (int k = 0; k < 400; k++) {
        List<String> copy = new ArrayList<>(List.of(lines));
        for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
          int at = random.nextInt(copy.size());
          String line = copy.get(at);
          int col = line.isEmpty() ? 0 : random.nextInt(line.length() + 1);
          switch (random.nextInt(6)) {
            case 0 -> copy.set(at, line.substring(0, col) + palette.charAt(random.nextInt(palette.length())) + line.substring(col));
            case 1 -> copy.set(at, col < line.length() ? line.substring(0, col) + line.substring(col + 1) : line);
            case 2 -> copy.set(at, " ".repeat(1 + random.nextInt(2)) + line);
            case 3 -> copy.set(at, line.startsWith("  ") ? line.substring(1 + random.nextInt(2)) : line);
            case 4 -> copy.add(at, line);
            default -> {
              if (at + 1 < copy.size()) {
                copy.set(at, copy.get(at + 1));
                copy.set(at + 1, line);
              }
            }
          }
        }
        tried++;
        taken += compare(String.join("\n", copy)) ? 1 : 0;
      }
    }
    assertThat(taken).as("damaged copies read without Jackson, of " + tried).isBetween(tried / 5, tried - tried / 20);
  }

  /** True when BlockYaml took the document; then Jackson must take it too, into the same tree. */
  private boolean compare(String doc) throws JsonProcessingException {
    JsonNode mine = BlockYaml.read(doc);
    if (mine == null) {
      return false;
    }
    JsonNode theirs;
    try {
      theirs = loader.readTreeWithJackson(doc);
    } catch (JsonProcessingException e) {
      fail("BlockYaml took a document Jackson rejects (" + e.getOriginalMessage() + "):\n" + doc);
      return false;
    }
    assertSameTree(doc, mine, theirs);
    return true;
  }

  /** Equal nodes of the same classes (an int node is not a long node), keys in the same order. */
  private static void assertSameTree(String what, JsonNode mine, JsonNode theirs) {
    assertThat(mine).as(what).isEqualTo(theirs);
    assertThat(mine.getClass()).as(what).isEqualTo(theirs.getClass());
    assertThat(mine.toString()).as(what).isEqualTo(theirs.toString());
    if (mine.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> a = mine.fields();
      Iterator<Map.Entry<String, JsonNode>> b = theirs.fields();
      while (a.hasNext()) {
        Map.Entry<String, JsonNode> x = a.next();
        Map.Entry<String, JsonNode> y = b.next();
        assertThat(x.getKey()).as(what).isEqualTo(y.getKey());
        assertSameTree(what, x.getValue(), y.getValue());
      }
    } else if (mine.isArray()) {
      for (int i = 0; i < mine.size(); i++) {
        assertSameTree(what, mine.get(i), theirs.get(i));
      }
    }
  }
}
