package org.nudaq.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PhysicsCommandTest {

  /** Runs a command line; returns exit code, stdout, stderr. */
  static String[] run(String... args) {
    CommandLine cl = MonitorMain.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void printsTheDocumentedJsonKeysAndTheEq6EstimateForGemmaOne() throws Exception {
    String[] r = run("physics", "--config", "../config/gemma-1.yaml", "--energies", "3,10,30", "--stepping", "--json");
    assertThat(r[0]).isEqualTo("0");
    JsonNode j = new ObjectMapper().readTree(r[1]);
    assertThat(j.get("flux").asDouble()).isEqualTo(2.7e13);
    assertThat(j.get("energiesKeV")).hasSize(3);
    assertThat(j.get("weak")).hasSize(3);
    assertThat(j.get("magneticMoment")).hasSize(3);
    assertThat(j.get("millicharge")).hasSize(3);
    assertThat(j.get("stepping").asBoolean()).isTrue();
    // eq. 6: sqrt(2.8 / (2·510.99895)) · 2.9e-11 = 0.052342 · 2.9e-11 = 1.5179e-12 → "1.5e-12"
    double q = j.get("thresholdEstimateQ").asDouble();
    assertThat(q).isCloseTo(Math.sqrt(2.8 / (2 * 510.99895)) * 2.9e-11, within(1e-16));
    assertThat(String.format("%.1e", q)).isEqualTo("1.5e-12");
    // At 10 keV the moment rate is ≈ 1.54e-2/T · (30/32 electrons, stepping) ≈ 1.4e-3 (physics.md rough check).
    assertThat(j.get("magneticMoment").get(1).asDouble()).isCloseTo(1.54e-2 / 10 * 30 / 32, within(1.5e-4));
  }

  @Test
  void freeElectronsGiveMoreRateThanSteppingBelowTheKShell() throws Exception {
    JsonNode free = new ObjectMapper().readTree(run("physics", "--config", "../config/gemma-1.yaml", "--energies", "5", "--free", "--json")[1]);
    JsonNode step = new ObjectMapper().readTree(run("physics", "--config", "../config/gemma-1.yaml", "--energies", "5", "--stepping", "--json")[1]);
    assertThat(free.get("stepping").asBoolean()).isFalse();
    // 5 keV is below the K shell (11.1 keV): 30 of 32 electrons scatter.
    assertThat(step.get("weak").get(0).asDouble() / free.get("weak").get(0).asDouble()).isCloseTo(30.0 / 32, within(1e-9));
  }

  @Test
  void readableTableNamesTheEstimate() {
    String[] r = run("physics", "--config", "../config/gemma-1.yaml", "--energies", "3");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).contains("|qν| < 1.5e-12 e0").contains("T [keV]");
  }

  @Test
  void badConfigurationExitsWithStatusTwoAndNamesTheKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, Files.readString(Path.of("../config/gemma-1.yaml")).replace("massKg: 1.5", "massKg: -1.5"));
    String[] r = run("physics", "--config", f.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains(f + ": detectors[0].massKg: must be > 0, got -1.5");
  }

  @Test
  void rejectsNonsenseEnergies() {
    String[] r = run("physics", "--config", "../config/gemma-1.yaml", "--energies", "-3");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--energies: each energy must be in (0, 1000] keV, got -3.0");
  }
}
