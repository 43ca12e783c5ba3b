package org.nudaq.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link ReplayArgs}, the replay's command line read without picocli: on every line it accepts it sets the
 * same fields to the same values as picocli's parse of the annotations; every line with anything it does
 * not read exactly like picocli goes to picocli; every option of the annotations is read by it or left to
 * picocli by name; an error of the command gets picocli's one-line message and exit status.
 */
class ReplayArgsTest {
  /** The options ReplayArgs leaves to picocli (instants: picocli's converter words their errors). */
  private static final Set<String> LEFT_TO_PICOCLI = Set.of("--from", "--to", "--run-start");

  @TempDir
  Path dir;

  private static String[] words(String line) {
    return line.split(" ");
  }

  private static ReplayCommand picocli(String... args) {
    CommandLine.ParseResult r = ServerMain.commandLine("replay").parseArgs(args);
    return (ReplayCommand) r.subcommand().commandSpec().userObject();
  }

  /** Every option field of the command, its mixin and its group, by class and name. */
  private static Map<String, Object> fields(ReplayCommand c) throws IllegalAccessException {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, c);
    put(m, c.recorded);
    put(m, c.recorded.input);
    return m;
  }

  private static void put(Map<String, Object> m, Object o) throws IllegalAccessException {
    for (Field f : o.getClass().getDeclaredFields()) {
      if (f.isAnnotationPresent(CommandLine.Option.class)) {
        f.setAccessible(true);
        m.put(o.getClass().getSimpleName() + "." + f.getName(), f.get(o));
      }
    }
  }

  @Test
  void setsTheSameFieldsAsPicocliOnEveryLineItReads() throws IllegalAccessException {
    List<String> lines = List.of(
        "replay --compass run-1e6 --config peer.yaml --reactor on --out /tmp/x",
        "replay --journal data/journal",
        "replay --compass d -c c.yaml",
        "replay --journal j --session 3 --pace 2 --threads 0 --json --recalibrate --out o",
        "replay --journal j --all-sessions --threads 12 --config c.yaml",
        "replay --out o --reactor-timeline t.csv --compass d --reactor off --threads 1 --session 10 --pace max",
        "replay --compass ./a/b/../c --config c.yaml --json");
    for (String line : lines) {
      ReplayCommand fast = ReplayArgs.parse(words(line));
      assertThat(fast).as("read without picocli: %s", line).isNotNull();
      assertThat(fields(fast)).as(line).isEqualTo(fields(picocli(words(line))));
    }
    // A path with a space (one argument) too.
    String[] spaced = {"replay", "--compass", "my run", "--config", "a b.yaml"};
    assertThat(fields(ReplayArgs.parse(spaced))).isEqualTo(fields(picocli(spaced)));
    assertThat(ReplayArgs.parse(spaced).recorded.compass()).isEqualTo(Path.of("my run"));
  }

  @Test
  void leavesToPicocliEveryLineItDoesNotReadExactlyLikeIt() {
    List<String> lines = List.of(
        "replay", "replay --help", "replay -h", "replay --version", "replay -V",
        "replay --compass=d", "replay --compass d --config=c.yaml", "replay --compass d -cc.yaml",
        "replay --compass d --threads -1", "replay --compass d --threads 010", "replay --compass d --threads +1",
        "replay --compass d --threads 2x", "replay --compass d --threads 9999999999",
        "replay --compass d --from 2026-01-01T00:00:00Z", "replay --journal j --to 2026-01-01T00:00:00Z",
        "replay --compass d --run-start 2026-01-01T00:00:00Z",
        "replay --compass d --json --json", "replay --compass d -c a --config b", "replay --compass d --out",
        "replay --compass d --journal j", "replay --compass d @args.txt", "replay --compass @d",
        "replay --compass d -- x", "replay --compass d extra", "replay --compass d --out --json",
        "replay --compass d --jso", "run --compass d", "help replay", "replay --compass d --pace -2");
    for (String line : lines) {
      assertThat(ReplayArgs.parse(words(line))).as("left to picocli: %s", line).isNull();
    }
    assertThat(ReplayArgs.parse(new String[] {"replay", "--compass", ""})).isNull();
    assertThat(ReplayArgs.parse(new String[0])).isNull();
  }

  @Test
  void everyOptionOfTheAnnotationsIsReadHereOrLeftToPicocliByName() {
    Set<String> read = new HashSet<>();
    List<String> wrongType = new ArrayList<>();
    for (Class<?> type : List.of(ReplayCommand.class, RecordedInputOptions.class, RecordedInputOptions.Input.class)) {
      for (Field f : type.getDeclaredFields()) {
        CommandLine.Option o = f.getAnnotation(CommandLine.Option.class);
        if (o == null) {
          continue;
        }
        for (String name : o.names()) {
          Set<String> kind = f.getType() == Path.class ? ReplayArgs.PATHS : f.getType() == String.class ? ReplayArgs.TEXTS
              : f.getType() == int.class ? ReplayArgs.INTS : f.getType() == boolean.class ? ReplayArgs.FLAGS : Set.of();
          if (kind.contains(name)) {
            read.add(name);
          } else if (!LEFT_TO_PICOCLI.contains(name)) {
            wrongType.add(name + " (" + f.getType().getSimpleName() + ")");
          }
        }
      }
    }
    assertThat(wrongType).as("options neither read by ReplayArgs with their field's type nor left to picocli").isEmpty();
    Set<String> known = new HashSet<>(ReplayArgs.PATHS);
    known.addAll(ReplayArgs.TEXTS);
    known.addAll(ReplayArgs.INTS);
    known.addAll(ReplayArgs.FLAGS);
    assertThat(read).as("ReplayArgs reads only the annotations' options").isEqualTo(known);
  }

  @Test
  void anErrorOfTheCommandGetsPicocliOneLineAndExitStatus() {
    String config = Path.of("..").toAbsolutePath().normalize().resolve("config/gemma-1.yaml").toString();
    String[] args = {"replay", "--compass", dir.resolve("nothing-here").toString(), "--config", config, "--out", dir.resolve("out").toString()};
    ReplayCommand c = ReplayArgs.parse(args);
    assertThat(c).isNotNull();
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status;
    try {
      System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
      status = ReplayArgs.execute(c);
    } finally {
      System.setErr(err);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(status).isEqualTo(2);
    assertThat(out.lines().toList()).hasSize(1);
    assertThat(out).startsWith("nudaq replay: ").contains("nothing-here").doesNotContain("Exception", "\tat ");
  }
}
