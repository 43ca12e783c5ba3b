package org.nudaq.server.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDataChunkWriter;
import org.duckdb.DuckDBFunctions;
import org.duckdb.DuckDBTableFunction;
import org.duckdb.DuckDBTableFunctionBindInfo;
import org.duckdb.DuckDBTableFunctionCallInfo;
import org.duckdb.DuckDBTableFunctionInitInfo;
import org.duckdb.DuckDBWritableVector;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.pipeline.EventFate;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.RejectReason;

/**
 * Writes an export as Parquet with an in-process DuckDB (JDBC driver; no Hadoop, no server):
 * each event batch goes into an in-memory table through a Java table function that DuckDB calls to
 * fill its column vectors ({@code INSERT INTO events SELECT * FROM nudaq_events()}: columnar, about
 * ten times faster than DuckDB's row appender here), and the table is copied to
 * {@code events/part-NNNNN.parquet} (zstd) and emptied every {@link #PART_ROWS} rows; the spectra and
 * tables become one Parquet file each. Every file carries the configuration and the format version
 * as Parquet key-value metadata. Layout: docs/export.md.
 *
 * <p>Memory: the JVM heap holds nothing per event beyond the batch (the function writes into
 * DuckDB's native vectors); DuckDB holds at most one part ({@code PART_ROWS × ~30} bytes) under its
 * {@code memory_limit} of {@value #MEMORY_LIMIT}, spilling to the export directory beyond it.
 * Single-threaded (DuckDB encodes with up to two threads of its own).
 */
final class ParquetWriter implements ExportWriter {
  /** Rows per events part file: 2^22 (about 4 × 10^6, ~25 MB of zstd Parquet). */
  static final int PART_ROWS = 1 << 22;
  static final String MEMORY_LIMIT = "512MB";

  private final Path dir;
  private final int partRows;
  private final DuckDBConnection db;
  /** The rows [{@link #from}, {@link #to}) of {@link #batch} are what {@code nudaq_events()} returns next. */
  private EventBatch batch;
  private int from;
  private int to;
  private Statement insert;
  private String detectorCase = "NULL";
  private String kvMetadata = "{}";
  private long rowsInPart;
  private int parts;

  ParquetWriter(Path dir, int partRows, List<EventPipeline.Source> sources, String configYaml) throws IOException {
    this.dir = dir;
    this.partRows = partRows;
    try {
      Files.createDirectories(dir.resolve("events"));
      Class.forName("org.duckdb.DuckDBDriver");
      db = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
      try (Statement s = db.createStatement()) {
        s.execute("SET memory_limit='" + MEMORY_LIMIT + "'");
        s.execute("SET threads=2");
        s.execute("SET temp_directory=" + literal(dir.resolve(".duckdb-tmp").toString()));
        s.execute("SET preserve_insertion_order=true");
        s.execute("CREATE TABLE events(time_ns BIGINT, board USMALLINT, channel USMALLINT, source SMALLINT, "
            + "energy_adc INTEGER, energy_kev DOUBLE, flags USMALLINT, reactor_state UTINYINT, reactor_power DOUBLE, fate UTINYINT)");
      }
      DuckDBFunctions.tableFunction().withName("nudaq_events").withFunction(new BatchFunction()).register(db);
      insert = db.createStatement();
    } catch (SQLException | ClassNotFoundException e) {
      throw new IOException("DuckDB: " + e.getMessage(), e);
    }
    StringBuilder c = new StringBuilder("CASE source");
    for (EventPipeline.Source s : sources) {
      c.append(" WHEN ").append(s.index()).append(" THEN ").append(literal(s.detector()));
    }
    detectorCase = sources.isEmpty() ? "NULL::VARCHAR" : c.append(" ELSE NULL END").toString();
    kvMetadata = "{nudaq_export_format: " + literal(ExportNames.FORMAT) + ", nudaq_export_version: '" + ExportNames.VERSION
        + "', config: " + literal(configYaml) + "}";
  }

  /** A SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  @Override
  public void events(EventBatch b) throws IOException {
    try {
      int pos = 0;
      while (pos < b.size) {
        int n = (int) Math.min(b.size - pos, partRows - rowsInPart);
        batch = b;
        from = pos;
        to = pos + n;
        insert.execute("INSERT INTO events SELECT * FROM nudaq_events()");
        if (from != to) {
          throw new IOException("DuckDB took " + (from - pos) + " of " + n + " rows from nudaq_events()");
        }
        pos += n;
        rowsInPart += n;
        if (rowsInPart == partRows) {
          writePart();
        }
      }
    } catch (SQLException e) {
      throw new IOException("DuckDB: " + e.getMessage(), e);
    } finally {
      batch = null;
    }
  }

  /**
   * {@code nudaq_events()}: the pending rows of the current batch, column by column into DuckDB's
   * vectors (up to the vector size, 2048 rows, per call). Single-threaded (one scan thread).
   */
  private final class BatchFunction implements DuckDBTableFunction<Object, Object, Object> {
    @Override
    public Object bind(DuckDBTableFunctionBindInfo info) {
      info.addResultColumn("time_ns", DuckDBColumnType.BIGINT);
      info.addResultColumn("board", DuckDBColumnType.USMALLINT);
      info.addResultColumn("channel", DuckDBColumnType.USMALLINT);
      info.addResultColumn("source", DuckDBColumnType.SMALLINT);
      info.addResultColumn("energy_adc", DuckDBColumnType.INTEGER);
      info.addResultColumn("energy_kev", DuckDBColumnType.DOUBLE);
      info.addResultColumn("flags", DuckDBColumnType.USMALLINT);
      info.addResultColumn("reactor_state", DuckDBColumnType.UTINYINT);
      info.addResultColumn("reactor_power", DuckDBColumnType.DOUBLE);
      info.addResultColumn("fate", DuckDBColumnType.UTINYINT);
      return Boolean.TRUE;
    }

    @Override
    public Object init(DuckDBTableFunctionInitInfo info) {
      info.setMaxThreads(1);
      return Boolean.TRUE;
    }

    @Override
    public long apply(DuckDBTableFunctionCallInfo info, DuckDBDataChunkWriter out) {
      EventBatch b = batch;
      int start = from;
      int n = (int) Math.min(to - start, out.capacity());
      DuckDBWritableVector time = out.vector(0);
      DuckDBWritableVector board = out.vector(1);
      DuckDBWritableVector channel = out.vector(2);
      DuckDBWritableVector source = out.vector(3);
      DuckDBWritableVector adc = out.vector(4);
      DuckDBWritableVector kev = out.vector(5);
      DuckDBWritableVector flags = out.vector(6);
      DuckDBWritableVector state = out.vector(7);
      DuckDBWritableVector power = out.vector(8);
      DuckDBWritableVector fate = out.vector(9);
      for (int r = 0; r < n; r++) {
        int i = start + r;
        time.setLong(r, b.timeNs[i]);
        board.setUint16(r, b.board[i]);
        channel.setUint16(r, b.channel[i]);
        source.setShort(r, (short) b.source[i]);
        adc.setInt(r, b.energyAdc[i]);
        kev.setDouble(r, b.energyKeV[i]);
        flags.setUint16(r, b.flags[i]);
        state.setUint8(r, b.reactorState[i]);
        power.setDouble(r, b.reactorPower[i]);
        fate.setUint8(r, b.fate[i]);
      }
      from = start + n;
      return n;
    }
  }

  private void writePart() throws SQLException {
    Path file = dir.resolve("events").resolve(String.format(Locale.ROOT, "part-%05d.parquet", parts));
    try (Statement s = db.createStatement()) {
      s.execute("COPY (SELECT time_ns, board, channel, source, " + detectorCase + " AS detector, energy_adc, energy_kev, "
          + "flags, reactor_state, reactor_power, fate FROM events) TO " + literal(file.toString())
          + " (FORMAT parquet, COMPRESSION zstd, KV_METADATA " + kvMetadata + ")");
      s.execute("TRUNCATE events");
    }
    parts++;
    rowsInPart = 0;
  }

  @Override
  public void finish(ExportTables t) throws IOException {
    try {
      if (rowsInPart > 0 || parts == 0) {
        writePart();
      }
      try (Statement s = db.createStatement()) {
        s.execute("DROP TABLE events");
        s.execute("CREATE TABLE fates(code UTINYINT, name VARCHAR, decision VARCHAR, reason VARCHAR)");
        for (EventFate f : EventFate.values()) {
          s.execute("INSERT INTO fates VALUES (" + f.code() + ", " + literal(ExportNames.fate(f)) + ", " + literal(f.decision())
              + ", " + literal(f.reason()) + ")");
        }
        s.execute("CREATE TABLE reactor_states(code UTINYINT, name VARCHAR)");
        s.execute("INSERT INTO reactor_states VALUES (0, 'off'), (1, 'on'), (2, 'unknown')");
        s.execute("CREATE TABLE channels(source SMALLINT, board USMALLINT, channel USMALLINT, hpge BOOLEAN, detector VARCHAR, "
            + "detector_index INTEGER, calibration DOUBLE[])");
        for (EventPipeline.Source c : t.sources()) {
          StringJoiner cal = new StringJoiner(",", "[", "]");
          for (double k : c.config().calibration()) {
            cal.add(Double.toString(k));
          }
          s.execute("INSERT INTO channels VALUES (" + c.index() + ", " + c.boardId() + ", " + c.channel() + ", " + c.hpge() + ", "
              + literal(c.detector()) + ", " + c.detectorIndex() + ", " + literal(cal.toString()) + "::DOUBLE[])");
        }
        writeAccounting(s, t.snapshot());
        writeLiveTime(s, t.snapshot());
        s.execute("CREATE TABLE reactor(time_ns BIGINT, reactor_state UTINYINT, reactor_power DOUBLE)");
        for (int i = 0; i < t.reactor().size; i++) {
          s.execute("INSERT INTO reactor VALUES (" + t.reactor().timeNs[i] + ", " + t.reactor().state[i] + ", "
              + Double.toString(t.reactor().powerFraction[i]) + ")");
        }
        s.execute("CREATE TABLE runs(wall_clock_epoch_ms BIGINT, running BOOLEAN, run_number BIGINT)");
        for (ExportTables.RunRecord r : t.runs()) {
          s.execute("INSERT INTO runs VALUES (" + r.wallClockEpochMs() + ", " + r.running() + ", " + r.runNumber() + ")");
        }
        s.execute("CREATE TABLE export(name VARCHAR, value VARCHAR)");
        s.execute("INSERT INTO export VALUES ('nudaq_export_format', " + literal(ExportNames.FORMAT) + "), ('nudaq_export_version', '"
            + ExportNames.VERSION + "'), ('input', " + literal(t.input()) + "), ('config_source', " + literal(t.configSource())
            + "), ('config', " + literal(t.configYaml()) + "), ('events', '" + t.events() + "'), ('event_files', '" + parts
            + "')");
      }
      writeSpectra(t.spectra());
      try (Statement s = db.createStatement()) {
        for (String table : List.of("fates", "reactor_states", "channels", "accounting", "livetime", "reactor", "runs", "export",
            "spectra")) {
          s.execute("COPY " + table + " TO " + literal(dir.resolve(table + ".parquet").toString())
              + " (FORMAT parquet, COMPRESSION zstd, KV_METADATA " + kvMetadata + ")");
        }
      }
      Files.writeString(dir.resolve("config.yaml"), t.configYaml());
    } catch (SQLException e) {
      throw new IOException("DuckDB: " + e.getMessage(), e);
    }
  }

  private void writeSpectra(List<SpectrumSnapshot> spectra) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE spectra(name VARCHAR, detector VARCHAR, reactor_state VARCHAR, stage VARCHAR, low_kev DOUBLE, "
          + "bin_width_kev DOUBLE, bin_count INTEGER, mass_kg DOUBLE, live_time_s DOUBLE, exposure_kg_d DOUBLE, underflow BIGINT, "
          + "overflow BIGINT, invalid BIGINT, counts BIGINT[])");
    }
    try (PreparedStatement p = db.prepareStatement("INSERT INTO spectra VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::BIGINT[])")) {
      for (SpectrumSnapshot sp : spectra) {
        StringJoiner counts = new StringJoiner(",", "[", "]");
        for (long c : sp.counts()) {
          counts.add(Long.toString(c));
        }
        p.setString(1, sp.labels().name());
        p.setString(2, sp.labels().detector());
        p.setString(3, sp.labels().reactorState());
        p.setString(4, sp.labels().stage());
        p.setDouble(5, sp.binning().lowKeV());
        p.setDouble(6, sp.binning().binWidthKeV());
        p.setInt(7, sp.binning().binCount());
        p.setDouble(8, sp.massKg());
        p.setDouble(9, sp.liveTimeSeconds());
        p.setDouble(10, sp.massKg() * sp.liveTimeSeconds() / 86400);
        p.setLong(11, sp.underflowCount());
        p.setLong(12, sp.overflowCount());
        p.setLong(13, sp.invalidCount());
        p.setString(14, counts.toString());
        p.execute();
      }
    }
  }

  private static void writeAccounting(Statement s, PipelineSnapshot snapshot) throws SQLException {
    StringBuilder cols = new StringBuilder("source SMALLINT, board USMALLINT, channel USMALLINT, received BIGINT, accepted BIGINT, vetoed BIGINT");
    for (RejectReason r : RejectReason.values()) {
      cols.append(", rejected_").append(ExportNames.key(r.name())).append(" BIGINT");
    }
    for (GateReason g : GateReason.values()) {
      cols.append(", gated_").append(ExportNames.key(g.name())).append(" BIGINT");
    }
    cols.append(", pending BIGINT, lost_triggers_flagged BIGINT, lost_triggers_reported BIGINT");
    s.execute("CREATE TABLE accounting(" + cols + ")");
    List<PipelineSnapshot.ChannelSnapshot> chans = snapshot.channels();
    for (int i = 0; i < chans.size(); i++) {
      PipelineSnapshot.ChannelSnapshot c = chans.get(i);
      StringJoiner v = new StringJoiner(", ", "(", ")");
      v.add(Integer.toString(i)).add(Integer.toString(c.boardId())).add(Integer.toString(c.channel()))
          .add(Long.toString(c.received())).add(Long.toString(c.accepted())).add(Long.toString(c.vetoed()));
      for (RejectReason r : RejectReason.values()) {
        v.add(Long.toString(c.rejected().get(r)));
      }
      for (GateReason g : GateReason.values()) {
        v.add(Long.toString(c.gated().get(g)));
      }
      v.add(Long.toString(c.pending())).add(Long.toString(c.lostTriggersFlagged())).add(Long.toString(c.lostTriggersReported()));
      s.execute("INSERT INTO accounting VALUES " + v);
    }
  }

  private static void writeLiveTime(Statement s, PipelineSnapshot snapshot) throws SQLException {
    ExportNames.LiveTimeRows r = ExportNames.liveTimeRows(snapshot);
    s.execute("CREATE TABLE livetime(detector VARCHAR, detector_index INTEGER, reactor_state UTINYINT, "
        + "live_time_before_gates_s DOUBLE, live_time_after_gates_s DOUBLE, exposure_after_gates_kg_d DOUBLE)");
    for (int i = 0; i < r.detectorIndex().length; i++) {
      s.execute("INSERT INTO livetime VALUES (" + literal(snapshot.detectors().get((int) r.detectorIndex()[i]).detector()) + ", "
          + r.detectorIndex()[i] + ", " + r.reactorState()[i] + ", " + exact(r.beforeGatesSeconds()[i]) + ", "
          + exact(r.afterGatesSeconds()[i]) + ", " + exact(r.exposureKgDays()[i]) + ")");
    }
  }

  /** A double as a SQL DOUBLE literal that reads back to the same bits (shortest repr, typed). */
  private static String exact(double v) {
    return "'" + v + "'::DOUBLE";
  }

  @Override
  public void close() throws IOException {
    try {
      if (insert != null) {
        insert.close();
      }
      db.close();
    } catch (SQLException e) {
      throw new IOException("DuckDB: " + e.getMessage(), e);
    }
  }
}
