package org.nudaq.server.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.cli.ServerMain;
import picocli.CommandLine;

/**
 * Every kind of broken configuration stops `nudaq run` before anything starts: exit 2, a message
 * naming the file and the key, no port opened, no data directory created.
 */
class InvalidConfigurationTest {
  @TempDir
  Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** kind, text replaced in config/gemma-1.yaml, its replacement, the expected message after the file name. */
  static Stream<Arguments> brokenFiles() {
    return Stream.of(
        Arguments.of("negative mass", "massKg: 1.5", "massKg: -1.5", "detectors[0].massKg: must be > 0, got -1.5"),
        Arguments.of("unknown key", "distanceM: 13.9", "distanceM: 13.9\n  distanse: 3", "reactor.distanse: unknown key"),
        Arguments.of("wrong type", "thermalPowerMW: 3000", "thermalPowerMW: lots", "reactor.thermalPowerMW: must be a number, got 'lots'"),
        Arguments.of("bad board port", "port: 9401", "port: 99999", "digitizer.boards[0].port: is required, 1..65535, got 99999"),
        Arguments.of("duplicate channel", "{channel: 1, role: nai", "{channel: 0, role: nai",
            "digitizer.boards[0].channels[1].channel: duplicate channel 0 on board 0"),
        Arguments.of("bad veto window", "windowAfterNs: 2000", "windowAfterNs: -5",
            "veto.windowAfterNs: must be between 0 and 1000000000, got -5"),
        Arguments.of("bad choice", "reactorStateSource: digitizer", "reactorStateSource: guess",
            "gates.reactorStateSource: must be one of [control, digitizer], got 'guess'"),
        Arguments.of("broken YAML", "experiment: GEMMA-I", "experiment: [GEMMA-I", "not valid YAML at line"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void brokenConfigurationStopsTheDaemonBeforeAnythingStarts(String kind, String from, String to, String expected) throws Exception {
    int httpPort = freePort();
    String text = Files.readString(Path.of("../config/gemma-1.yaml"))
        .replace("  port: 9470", "  port: " + httpPort)
        .replace(from, to);
    Path config = dir.resolve("broken.yaml");
    Files.writeString(config, text);
    Path data = dir.resolve("data");

    CommandLine cl = ServerMain.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int code = cl.execute("run", "--config", config.toString(), "--data", data.toString());

    assertThat(code).as(kind).isEqualTo(2);
    assertThat(err.toString()).as(kind).contains(config.toString()).contains(expected);
    assertThat(Files.exists(data)).as("no data directory for %s", kind).isFalse();
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", httpPort));
      assertThat(probe.isBound()).as("the HTTP port stayed free for %s", kind).isTrue();
    }
  }

  @ParameterizedTest(name = "missing file")
  @CsvSource("no-such.yaml")
  void aMissingFileIsNamed(String name) {
    CommandLine cl = ServerMain.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    Path missing = dir.resolve(name);
    assertThat(cl.execute("run", "--config", missing.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(missing + ": no such file");
  }
}
