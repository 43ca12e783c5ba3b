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
  static List<ExportCheck.InputEvent> input;

  @BeforeAll
  static void record() throws Exception {
    daemon = SimulatedRuns.runToEnd(SimulatedRuns.gemma1Closure(0.3, 0.15, 0, 41), 0.6, dir.resolve("data"));
    journal = Daemon.journalDir(daemon.config(), dir.resolve("data"));
    input = ExportCheck.journalEvents(journal);
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

  private static void check(ExportReadback r, Exporter.Result result) {
    PipelineSnapshot online = daemon.snapshot();
    assertThat(result.accountingBalances()).isTrue();
    assertThat(r.eventFiles).as("event files").isGreaterThan(1);
    assertThat(result.events()).isEqualTo(online.totals().received()).isGreaterThan(10_000);
    String text = JournalSession.last(journal).configYaml();
    ExportCheck.check(r, online, JournalReplay.sessionConfig(JournalSession.last(journal)), text, input);
  }
}
