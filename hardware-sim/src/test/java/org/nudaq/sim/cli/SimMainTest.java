package org.nudaq.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimMainTest {
  @TempDir
  Path dir;

  private int run(StringWriter err, StringWriter out, String... args) {
    CommandLine cl = SimMain.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(out, true));
    return cl.execute(args);
  }

  @Test
  void versionPrintsTheBuildVersion() {
    StringWriter out = new StringWriter();
    assertThat(run(new StringWriter(), out, "--version")).isZero();
    assertThat(out.toString().strip()).matches("nudaq \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void configErrorPrintsTheMessageAndExitsWith2() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "detectors: []\n");
    StringWriter err = new StringWriter();
    assertThat(run(err, new StringWriter(), "--config", bad.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("detectors").contains("at least one detector");
  }

  @Test
  void badFaultSpecIsAUsageErrorNamingTheItem() {
    StringWriter err = new StringWriter();
    assertThat(run(err, new StringWriter(), "--config", "../config/gemma-1.yaml", "--faults", "corrupt=7")).isEqualTo(2);
    assertThat(err.toString()).contains("corrupt=7");
  }

  @Test
  void shortRunWithoutClientWritesTheGroundTruth() throws Exception {
    Path truth = dir.resolve("truth.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(err, out, "--config", "../config/gemma-1.yaml", "--port", "0", "--accel", "max", "--days", "0.0001",
        "--seed", "9", "--inject-mu", "3e-11", "--truth", truth.toString(), "--drain-seconds", "0");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("board 0 listening on 127.0.0.1:").contains("ground truth in");
    String json = Files.readString(truth);
    assertThat(json).contains("\"seed\" : 9").contains("\"injectedMuMuB\" : 3.0E-11").contains("\"acceptedTriggers\"");
  }

  @Test
  void scheduleOptionReplacesTheConfiguredCycle() throws Exception {
    Path truth = dir.resolve("truth.json");
    StringWriter err = new StringWriter();
    // 0.002 d (172.8 s) on, 0.001 d (86.4 s) off, run 0.004 d (345.6 s): ON 172.8 + 86.4 s, OFF 86.4 s.
    // (Short: with no client the board buffer must not fill.)
    int code = run(err, new StringWriter(), "--config", "../config/gemma-1.yaml", "--port", "0", "--accel", "max",
        "--days", "0.004", "--schedule", "on:0.002,off:0.001", "--truth", truth.toString(), "--drain-seconds", "0");
    assertThat(code).as(err.toString()).isZero();
    com.fasterxml.jackson.databind.JsonNode generator = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(truth.toFile()).get("generator");
    assertThat(generator.get("realTimeSecondsOn").asDouble()).isCloseTo(259.2, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(generator.get("realTimeSecondsOff").asDouble()).isCloseTo(86.4, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void badScheduleIsAUsageErrorNamingThePeriod() {
    StringWriter err = new StringWriter();
    assertThat(run(err, new StringWriter(), "--config", "../config/gemma-1.yaml", "--schedule", "on:20,maybe:3")).isEqualTo(2);
    assertThat(err.toString()).contains("--schedule: each period is on:DAYS or off:DAYS with DAYS > 0, got 'maybe:3'");
  }
}
