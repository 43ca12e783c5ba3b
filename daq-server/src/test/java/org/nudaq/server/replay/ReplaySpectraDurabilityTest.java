package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.spectrum.SpectraDirectory;
import org.nudaq.monitor.spectrum.SpectrumJson;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.cli.ServerMain;

/**
 * A replay's spectra are written without an fsync per file (its output is made again from its input), the
 * daemon's with one each; the files are the same either way. Observed with JFR's {@code jdk.FileForce} event
 * (each {@code FileChannel.force}), recorded in this JVM around the writes.
 */
class ReplaySpectraDurabilityTest {

  @Test
  void aReplayWritesItsSpectraWithoutForcingEachFileTheDaemonForcesEach(@TempDir Path dir) throws Exception {
    Path csv = Files.createDirectories(dir.resolve("csv"));
    Files.writeString(csv.resolve("Data_CH0@V1725_0_run.CSV"),
        "BOARD;CHANNEL;TIMETAG;ENERGY;ENERGYSHORT;FLAGS\n0;0;1000000;2000;1000;0x4000\n");
    Path replayOut = dir.resolve("replay");
    Path daemonLike = dir.resolve("daemon");
    List<RecordedEvent> forces;
    List<Path> daemonFiles;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.FileForce").withThreshold(Duration.ZERO).withStackTrace();
      recording.start();
      StringWriter err = new StringWriter();
      picocli.CommandLine cli = ServerMain.commandLine();
      cli.setOut(new PrintWriter(new StringWriter(), true));
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute("replay", "--compass", csv.toString(), "--config", "../config/gemma-1.yaml", "--reactor", "on",
          "--threads", "1", "--out", replayOut.toString());
      assertThat(code).as("%s", err).isZero();
      // The same spectra written as the daemon writes its own (SpectraDirectory's default).
      List<SpectrumSnapshot> spectra = new java.util.ArrayList<>();
      SpectrumJson json = new SpectrumJson();
      try (var files = Files.list(replayOut.resolve(SpectraDirectory.RUN_SPECTRA))) {
        for (Path f : files.sorted().toList()) {
          spectra.add(json.read(f));
        }
      }
      daemonFiles = SpectraDirectory.write(daemonLike, spectra);
      recording.stop();
      Path jfr = dir.resolve("forces.jfr");
      recording.dump(jfr);
      forces = RecordingFile.readAllEvents(jfr);
    }
    long replayForces = forces.stream().filter(e -> e.getString("path") != null
        && e.getString("path").startsWith(replayOut.toString())).count();
    long daemonForces = forces.stream().filter(e -> e.getString("path") != null
        && e.getString("path").startsWith(daemonLike.toString())).count();
    System.out.printf("spectra durability: %d files; fsyncs of the replay's %d, of the daemon's way %d%n", daemonFiles.size(),
        replayForces, daemonForces);
    assertThat(daemonFiles).hasSizeGreaterThanOrEqualTo(6);
    assertThat(daemonForces).as("the daemon's way: one fsync per spectrum file").isEqualTo(daemonFiles.size());
    assertThat(replayForces).as("a replay's spectra: no fsync").isZero();
    for (Path f : daemonFiles) {
      assertThat(Files.readString(f)).isEqualTo(
          Files.readString(replayOut.resolve(SpectraDirectory.RUN_SPECTRA).resolve(f.getFileName())));
    }
  }
}
