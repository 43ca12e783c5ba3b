package org.nudaq.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad invocation an operator can make, through the real entry points: the three modules' main
 * classes in their own JVM (this build's class path, as {@code ./nudaq} runs them) and the launcher's
 * own argument checks. Each must answer with one line naming the problem (and the file or option), a
 * non-zero exit status, and no stack trace. The launcher runs with {@code NUDAQ_CLASSPATH}, so it
 * never starts a Maven build from inside this one.
 */
class OperatorErrorsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String CONFIG = ROOT.resolve("config/gemma-1.yaml").toString();

  @TempDir static Path dir;
  private static Path emptyDir;
  private static Path notJson;
  private static Path notSpectrum;
  private static Path otherBinning;
  private static Path shortCounts;
  private static Path badYaml;

  @BeforeAll
  static void files() throws IOException {
    emptyDir = Files.createDirectories(dir.resolve("empty"));
    notJson = Files.writeString(dir.resolve("pom.json"), "<project/>\n");
    notSpectrum = Files.writeString(dir.resolve("object.json"), "{\"a\": 1}\n");
    String spectrum = """
        {"format": "nudaq-spectrum", "formatVersion": 1, "name": "on-after-gates", "detector": "hpge-1",
         "reactorState": "on", "stage": "after-gates", "takenAt": "2024-03-01T12:00:00Z",
         "binning": {"lowKeV": 2.8, "binWidthKeV": 0.1, "binCount": 10}, "massKg": 1.5,
         "liveTimeSeconds": 172800.0, "exposureKgDays": 3.0, "underflow": 41, "overflow": 3, "invalid": 0,
         "counts": [2, 0, 1, 1, 0, 3, 1, 0, 1, 0]}
        """;
    otherBinning = Files.writeString(dir.resolve("other-binning.json"), spectrum);
    shortCounts = Files.writeString(dir.resolve("short-counts.json"), spectrum.replace("[2, 0, 1, 1, 0, 3, 1, 0, 1, 0]", "[2, 0]"));
    badYaml = Files.writeString(dir.resolve("bad.yaml"), "experiment: x\nreactor: [\n");
  }

  /** A bad invocation and words its one-line answer must contain (naming the problem and the place). */
  record Case(List<String> args, List<String> expected) {
    static Case of(String args, String... expected) {
      return new Case(List.of(args.split(" ")), List.of(expected));
    }
  }

  @Test
  void monitorCommands() throws Exception {
    String missing = dir.resolve("missing-on.json").toString();
    checkAll("org.nudaq.monitor.cli.MonitorMain", List.of(
        Case.of("limits --config " + CONFIG + " --on " + missing + " --off " + missing,
            "nudaq limits: --on " + missing + ": no such file"),
        Case.of("limits --config " + CONFIG + " --on " + emptyDir + " --off " + emptyDir, "--on " + emptyDir, "directory"),
        Case.of("limits --config " + CONFIG + " --on " + notJson + " --off " + notJson, "--on " + notJson, "not valid JSON",
            "line 1, column 1"),
        Case.of("limits --config " + CONFIG + " --on " + notSpectrum + " --off " + notSpectrum, "--on " + notSpectrum, "format"),
        Case.of("limits --config " + CONFIG + " --on " + shortCounts + " --off " + shortCounts, "--on " + shortCounts, "counts"),
        Case.of("limits --config " + CONFIG + " --on " + otherBinning + " --off " + otherBinning, "--on " + otherBinning,
            "binning 10 bins", "differs from the configuration's"),
        Case.of("limits --config " + CONFIG, "Missing required options", "--on", "--off"),
        Case.of("limits --config " + CONFIG + " --on " + otherBinning + " --off " + otherBinning + " --calibration " + notSpectrum,
            "nudaq limits: --calibration " + notSpectrum + ": not a calibration report (no 'channels' list"),
        Case.of("limits --config /nonexistent.yaml --on x --off y", "/nonexistent.yaml: no such file"),
        Case.of("sensitivity --config " + badYaml, badYaml + ": not valid YAML at line 2"),
        Case.of("sensitivity --config " + CONFIG + " --on-hours -1", "--on-hours", "> 0"),
        Case.of("sensitivity --config " + CONFIG + " --on-hours many", "--on-hours", "'many'"),
        Case.of("physics --config " + CONFIG + " --energies abc", "nudaq physics:", "--energies", "'abc'"),
        Case.of("physics --config " + CONFIG + " --energies 5000", "--energies", "(0, 1000] keV"),
        Case.of("physics --bogus", "Unknown option: '--bogus'"),
        Case.of("nonsense", "nonsense")));
  }

  @Test
  void simulatorCommand() throws Exception {
    checkAll("org.nudaq.sim.cli.SimMain", List.of(
        Case.of("--config /nonexistent.yaml", "/nonexistent.yaml: no such file"),
        Case.of("--config " + CONFIG + " --accel fast", "nudaq sim:", "--accel", "'fast'"),
        Case.of("--config " + CONFIG + " --days -1", "--days must be > 0"),
        Case.of("--config " + CONFIG + " --days", "--days"),
        Case.of("--config " + CONFIG + " --schedule on:20,sideways:3", "--schedule", "'sideways:3'"),
        Case.of("--config " + CONFIG + " --faults bogus", "fault 'bogus'"),
        Case.of("--config " + CONFIG + " --replay /nonexistent", "no journal at /nonexistent: not a directory"),
        Case.of("--config " + CONFIG + " --replay " + emptyDir, "no journal at " + emptyDir + ": no metadata.cq4t"),
        Case.of("--config " + CONFIG + " --truth /nonexistent/truth.json --days 1", "--truth /nonexistent/truth.json",
            "no directory /nonexistent")));
  }

  @Test
  void portsInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      String gemma = Files.readString(Path.of(CONFIG));
      assertThat(gemma).contains("port: 9401", "port: 9470");
      Path busy = Files.writeString(dir.resolve("busy.yaml"),
          gemma.replace("port: 9401", "port: " + port).replace("port: 9470", "port: " + port));
      checkAll("org.nudaq.server.cli.ServerMain", List.of(
          Case.of("run --config " + busy + " --data " + dir.resolve("busy-data"),
              "nudaq run: cannot listen on 127.0.0.1:" + port, "http.port of " + busy, "in use")));
      checkAll("org.nudaq.sim.cli.SimMain", List.of(
          Case.of("--config " + busy, "nudaq sim: cannot listen for board 0 at 127.0.0.1:" + port, "in use")));
    }
  }

  @Test
  void daemonCommands() throws Exception {
    Path dataFile = Files.writeString(dir.resolve("a-file"), "not a directory\n");
    checkAll("org.nudaq.server.cli.ServerMain", List.of(
        Case.of("run --config /nonexistent.yaml", "/nonexistent.yaml: no such file"),
        Case.of("run --config " + badYaml, badYaml + ": not valid YAML"),
        Case.of("run --config " + CONFIG + " --data " + dataFile, "nudaq run:", dataFile.toString()),
        Case.of("run --bogus", "Unknown option: '--bogus'"),
        Case.of("replay --journal /nonexistent", "nudaq replay: no journal at /nonexistent: not a directory"),
        Case.of("replay --journal " + emptyDir, "nudaq replay: no journal at " + emptyDir + ": no metadata.cq4t"),
        Case.of("replay --journal " + emptyDir + " --from yesterday", "--from", "'yesterday' is not an ISO-8601 instant"),
        Case.of("replay", "--journal", "--compass"),
        Case.of("replay --compass " + emptyDir, "--compass needs --config"),
        Case.of("replay --compass /nonexistent --config " + CONFIG, "CoMPASS folder /nonexistent: no such file"),
        Case.of("replay --compass " + emptyDir + " --config " + CONFIG, "no CoMPASS .BIN or .CSV files in " + emptyDir),
        // Parallel replay (issue 19).
        Case.of("replay --journal " + emptyDir + " --all-sessions", "nudaq replay: no journal at " + emptyDir + ": no metadata.cq4t"),
        Case.of("replay --compass " + emptyDir + " --config " + CONFIG + " --all-sessions", "--all-sessions applies to --journal only"),
        Case.of("replay --journal " + emptyDir + " --threads 2", "nudaq replay: no journal at " + emptyDir + ": no metadata.cq4t"),
        Case.of("replay --journal " + emptyDir + " --threads -1", "--threads must be 0 (every core) or more, got -1"),
        Case.of("replay --journal " + emptyDir + " --all-sessions --threads -1", "--threads must be 0 (every core) or more, got -1"),
        Case.of("replay --journal " + emptyDir + " --all-sessions --session 2", "give --session N or --all-sessions, not both"),
        Case.of("replay --journal " + emptyDir + " --all-sessions --pace 2", "--all-sessions replays at --pace max only"),
        // Issue 17: recalibration from scratch is per session.
        Case.of("replay --journal " + emptyDir + " --all-sessions --recalibrate",
            "nudaq replay: --recalibrate applies to one session (--session N), not to --all-sessions")));
  }

  @Test
  void launcherArguments() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("precious.dat"), "not the demo's\n");
    List<Case> cases = List.of(
        Case.of("demo --days", "nudaq: demo: --days needs a value"),
        Case.of("demo --days --accel max", "--days needs a value"),
        Case.of("demo --config", "--config needs a value"),
        Case.of("demo --config /nonexistent.yaml", "demo: --config /nonexistent.yaml: no such file"),
        Case.of("demo --days soon", "--days", "'soon'"),
        Case.of("demo --accel 0", "--accel", "'0'"),
        Case.of("demo --data " + foreign, "--data " + foreign, "--keep"),
        Case.of("demo --bogus", "unknown option '--bogus'"),
        Case.of("bogus", "unknown command 'bogus'"),
        Case.of("jmh", "jmh", "MODULE"),
        Case.of("bench --peer --runs 0", "nudaq: bench: --runs needs a count >= 1"),
        Case.of("bench --peer --bogus", "nudaq: bench: unknown option '--bogus'"),
        // Through the launcher to a Java main: the same one-line answers.
        Case.of("limits --config " + CONFIG + " --on /nonexistent.json --off /nonexistent.json",
            "nudaq limits: --on /nonexistent.json: no such file"),
        Case.of("replay --journal /nonexistent", "no journal at /nonexistent: not a directory"));
    for (Case c : cases) {
      List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("nudaq").toString()));
      cmd.addAll(c.args());
      check(c, cmd);
    }
    assertThat(foreign.resolve("precious.dat")).as("a directory the demo did not make is never emptied").exists();
  }

  /** Each case in its own JVM; two at a time (JVM start-up dominates, and the machine has two cores). */
  private void checkAll(String main, List<Case> cases) {
    cases.parallelStream().forEach(c -> {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle")).toList());
      cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), main));
      cmd.addAll(c.args());
      try {
        check(c, cmd);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  /** Runs the command (working directory: the project root, like ./nudaq) and checks its answer. */
  private static void check(Case c, List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("NUDAQ_CLASSPATH", System.getProperty("java.class.path"));
    env.remove("NUDAQ_DEBUG");
    Process p = pb.start();
    p.getOutputStream().close();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String what = String.join(" ", c.args());
    assertThat(done).as("%s finished", what).isTrue();
    // The JVM's own logging (Chronicle announces itself at INFO) is not an answer; everything else is.
    List<String> lines = out.lines().filter(l -> !l.isBlank() && !l.matches("^\\[[^]]+\\] INFO .*")).toList();
    assertThat(p.exitValue()).as("exit status of %s; output:%n%s", what, out).isNotZero();
    assertThat(lines).as("one line for %s; output:%n%s", what, out).hasSize(1);
    assertThat(lines.get(0)).as(what).contains(c.expected());
    assertThat(out).as("no stack trace for %s", what).doesNotContain("Exception", "\tat ", "Caused by");
    assertThat(lines.get(0)).as("no key=value debris for %s", what).doesNotContainPattern("\\b(dir|detector|key|path|file)=");
  }
}
