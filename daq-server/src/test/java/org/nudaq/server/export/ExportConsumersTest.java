package org.nudaq.server.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.daemon.SimulatedRuns;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.replay.JournalReplay;

/**
 * The real simulator → the real daemon with its journal; the journal exported as LH5 and as Parquet;
 * each export read back by a consumer we did not write (h5py following the LH5 datatype conventions;
 * DuckDB's Node API) and compared with the daemon's online result and with the journal's events
 * decoded independently: every row, column, spectrum and table, exactly.
 */
class ExportConsumersTest {
  @TempDir
  static Path dir;
  static Daemon daemon;
  static Path journal;
  static ExportCheck.JournalInput input;

  @BeforeAll
  static void record() throws Exception {
    daemon = SimulatedRuns.runToEnd(SimulatedRuns.gemma1Closure(0.3, 0.15, 0, 41), 0.6, dir.resolve("data"));
    journal = Daemon.journalDir(daemon.config(), dir.resolve("data"));
    input = ExportCheck.journalInput(journal);
  }

  @Test
  void lh5ExportReadByH5pyEqualsTheOnlinePipelineExactly() throws Exception {
    Path out = dir.resolve("lh5");
    // Small parts, so the reader must concatenate several event files.
    Exporter.Result result = new Exporter(ExportFormat.LH5, true, null, 5_000)
        .export(new Exporter.JournalInput(journal, -1, null, null), null, out);
    check(ExportReadback.lh5(out), result);
  }

  @Test
  void parquetExportReadByDuckDbEqualsTheOnlinePipelineExactly() throws Exception {
    Path out = dir.resolve("parquet");
    Exporter.Result result = new Exporter(ExportFormat.PARQUET, true, null, 5_000)
        .export(new Exporter.JournalInput(journal, -1, null, null), null, out);
    ExportReadback r = ExportReadback.parquet(out);
    check(r, result);
    assertThat(r.raw.get("kv").get("nudaq_export_format").asText()).isEqualTo("nudaq-export");
    assertThat(r.raw.get("kv").get("config").asText()).isEqualTo(JournalSession.last(journal).configYaml());
    assertThat(r.raw.get("event_types").get("time_ns").asText()).isEqualTo("BIGINT");
    assertThat(r.raw.get("event_types").get("energy_kev").asText()).isEqualTo("DOUBLE");
    // the detector column is the channel's detector name
    for (int i = 0; i < r.source.length; i++) {
      String det = r.raw.get("events").get("detector").get(i).asText();
      assertThat(det).isEqualTo(daemon.config().digitizer().boards().get(0).channels().get(r.source[i]).detector());
    }
  }

  @Test
  void compassFolderExportedAsLh5EqualsTheImportAndTheFilesExactly() throws Exception {
    Path input = dir.resolve("compass");
    ExportFailuresTest.compassFolder(input, 20_000, 11);
    Path config = Path.of("../config/gemma-1.yaml");
    Path out = dir.resolve("compass-lh5");
    // A plant log with the power changing inside the folder's 0.2 s: 100% ON, 93% ON, OFF, 50% ON.
    java.time.Instant start = java.time.Instant.parse("2026-03-01T00:00:00Z");
    List<org.nudaq.server.reactor.ReactorTransition> timeline = List.of(
        new org.nudaq.server.reactor.ReactorTransition(start, org.nudaq.server.pipeline.ReactorState.ON, 1.0, 2),
        new org.nudaq.server.reactor.ReactorTransition(start.plusMillis(50), org.nudaq.server.pipeline.ReactorState.ON, 0.93, 3),
        new org.nudaq.server.reactor.ReactorTransition(start.plusMillis(100), org.nudaq.server.pipeline.ReactorState.OFF, 0.0, 4),
        new org.nudaq.server.reactor.ReactorTransition(start.plusMillis(150), org.nudaq.server.pipeline.ReactorState.ON, 0.5, 5));
    Exporter.Result result = new Exporter(ExportFormat.LH5, true, null, 7_000).export(
        new Exporter.CompassInput(input, new org.nudaq.server.compass.CompassImport.Options(null, timeline, start)), config, out);
    ExportReadback r = ExportReadback.lh5(out);
    // The records as written: CoMPASS time tags in ps of whole 4 ns ticks, flag 0x8000 = our pile-up (0x1).
    List<ExportCheck.InputEvent> records = new java.util.ArrayList<>();
    for (int ch = 0; ch < 2; ch++) {
      List<String> lines = java.nio.file.Files.readAllLines(input.resolve("Data_CH" + ch + ".CSV"));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(";");
        int flags = Integer.parseInt(f[5].substring(2), 16) == 0x8000 ? 0x1 : 0;
        records.add(new ExportCheck.InputEvent(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]) / 1000,
            Integer.parseInt(f[3]), flags));
      }
    }
    assertThat(result.events()).isEqualTo(40_000);
    assertThat(r.eventFiles).isEqualTo(6);
    ExportCheck.check(r, result.snapshot(), new org.nudaq.monitor.config.ConfigLoader().load(config),
        java.nio.file.Files.readString(config), records, java.util.Set.of(1.0, 0.93, 0.0, 0.5));
    // The power changes reached the events: each of the four powers is some row's power.
    java.util.Set<Double> rowPowers = new java.util.HashSet<>();
    for (double p : r.power) {
      if (!Double.isNaN(p)) {
        rowPowers.add(p);
      }
    }
    assertThat(rowPowers).containsExactlyInAnyOrder(1.0, 0.93, 0.0, 0.5);
    assertThat(r.raw.get("attrs").get("empty_tables").asText()).as("CoMPASS has no runs").contains("runs");
  }

  private static void check(ExportReadback r, Exporter.Result result) {
    PipelineSnapshot online = daemon.snapshot();
    assertThat(result.accountingBalances()).isTrue();
    assertThat(r.eventFiles).as("event files").isGreaterThan(1);
    assertThat(result.events()).isEqualTo(online.totals().received()).isGreaterThan(10_000);
    String text = JournalSession.last(journal).configYaml();
    ExportCheck.check(r, online, JournalReplay.sessionConfig(JournalSession.last(journal)), text, input.events(),
        input.statusPowers());
  }
}
