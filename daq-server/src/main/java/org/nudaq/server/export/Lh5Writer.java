package org.nudaq.server.export;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.pipeline.EventFate;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.GateReason;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.pipeline.RejectReason;

/**
 * Writes an export as LH5 (HDF5 with the LEGEND {@code datatype}/{@code units} conventions,
 * legend-exp/legend-data-format-specs hdf5.md) with jHDF: {@code events/events-NNNNN.lh5}, each
 * holding one {@code events} table of at most {@link #PART_ROWS} rows, and {@code export.lh5} with the
 * spectra (LH5 histograms), the tables and the configuration. Layout: docs/export.md.
 *
 * <p>Why parts: jHDF 0.13 writes a dataset from a complete in-memory array when the file is closed
 * (no appending to a chunked dataset), so bounded memory means bounded files. Readers concatenate
 * them (pygama's {@code lh5.read("events", files)}, or h5py in a loop).
 *
 * <p>Memory: the part's columns ({@code PART_ROWS × 30} bytes) plus jHDF's copy while it writes the
 * file. Single-threaded.
 */
final class Lh5Writer implements ExportWriter {
  /** Rows per events file: 2^21 (64 MB of columns). */
  static final int PART_ROWS = 1 << 21;
  /** HDF5 chunk length of the event columns, rows. */
  private static final int CHUNK_ROWS = 1 << 16;

  private final Path dir;
  private final boolean deflate;
  private final int partRows;
  private final long[] timeNs;
  private final short[] board;
  private final short[] channel;
  private final short[] source;
  private final int[] energyAdc;
  private final double[] energyKeV;
  private final short[] flags;
  private final byte[] reactorState;
  private final double[] reactorPower;
  private final byte[] fate;
  private int size;
  private int parts;

  /**
   * @param dir      the (temporary) export directory
   * @param deflate  compress the event columns (shuffle + deflate level 1)
   * @param partRows rows per events file
   */
  Lh5Writer(Path dir, boolean deflate, int partRows) throws IOException {
    this.dir = dir;
    this.deflate = deflate;
    this.partRows = partRows;
    Files.createDirectories(dir.resolve("events"));
    timeNs = new long[partRows];
    board = new short[partRows];
    channel = new short[partRows];
    source = new short[partRows];
    energyAdc = new int[partRows];
    energyKeV = new double[partRows];
    flags = new short[partRows];
    reactorState = new byte[partRows];
    reactorPower = new double[partRows];
    fate = new byte[partRows];
  }

  @Override
  public void events(EventBatch b) throws IOException {
    int from = 0;
    while (from < b.size) {
      int n = Math.min(b.size - from, partRows - size);
      System.arraycopy(b.timeNs, from, timeNs, size, n);
      System.arraycopy(b.energyAdc, from, energyAdc, size, n);
      System.arraycopy(b.energyKeV, from, energyKeV, size, n);
      System.arraycopy(b.reactorState, from, reactorState, size, n);
      System.arraycopy(b.reactorPower, from, reactorPower, size, n);
      System.arraycopy(b.fate, from, fate, size, n);
      for (int k = 0; k < n; k++) {
        board[size + k] = (short) b.board[from + k];
        channel[size + k] = (short) b.channel[from + k];
        source[size + k] = (short) b.source[from + k];
        flags[size + k] = (short) b.flags[from + k];
      }
      size += n;
      from += n;
      if (size == partRows) {
        writePart();
      }
    }
  }

  private void writePart() throws IOException {
    Path file = dir.resolve("events").resolve(String.format(Locale.ROOT, "events-%05d.lh5", parts));
    int n = size;
    try (WritableHdfFile f = HdfFile.write(file)) {
      WritableGroup t = table(f, "events", "time", "board", "channel", "source", "energy_adc", "energy", "flags",
          "reactor_state", "reactor_power", "fate");
      column(t, "time", Arrays.copyOf(timeNs, n), false, "ns");
      column(t, "board", Arrays.copyOf(board, n), true, null);
      column(t, "channel", Arrays.copyOf(channel, n), true, null);
      column(t, "source", Arrays.copyOf(source, n), false, null);
      column(t, "energy_adc", Arrays.copyOf(energyAdc, n), false, null);
      column(t, "energy", Arrays.copyOf(energyKeV, n), false, "keV");
      column(t, "flags", Arrays.copyOf(flags, n), true, null);
      column(t, "reactor_state", Arrays.copyOf(reactorState, n), true, null).putAttribute("codes", REACTOR_CODES);
      column(t, "reactor_power", Arrays.copyOf(reactorPower, n), false, null).putAttribute("description", POWER_MEANING);
      column(t, "fate", Arrays.copyOf(fate, n), true, null).putAttribute("codes", FATE_CODES);
    } catch (RuntimeException e) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      parts++;
      size = 0;
    }
  }

  /**
   * jHDF 0.13 can write neither a zero-length dataset nor a group without members (h5py then reports
   * "bad object header version number"), so a table without rows is left out and named in the
   * file's {@code empty_tables} attribute (docs/export.md).
   */
  private final List<String> emptyTables = new ArrayList<>();

  /** A full part reuses the arrays; the last one is cut to size (jHDF writes the whole array). */
  private WritableDataset column(WritableGroup table, String name, Object data, boolean unsigned, String units) {
    int n = java.lang.reflect.Array.getLength(data);
    DatasetCreationOptions.Builder o = DatasetCreationOptions.builder();
    if (unsigned) {
      o.unsigned();
    }
    if (deflate && n > 0) {
      o.chunkDimensions(Math.min(n, CHUNK_ROWS)).shuffle().deflate(1);
    }
    WritableDataset d = table.putDataset(name, data, o.build());
    d.putAttribute("datatype", "array<1>{real}");
    if (units != null) {
      d.putAttribute("units", units);
    }
    return d;
  }

  private static WritableGroup table(WritableGroup parent, String name, String... columns) {
    WritableGroup g = parent.putGroup(name);
    g.putAttribute("datatype", "table{" + String.join(",", columns) + "}");
    return g;
  }

  private static WritableGroup struct(WritableGroup parent, String name, String... fields) {
    WritableGroup g = parent.putGroup(name);
    g.putAttribute("datatype", "struct{" + String.join(",", fields) + "}");
    return g;
  }

  private static void scalar(WritableGroup parent, String name, Object value, String units) {
    WritableDataset d = parent.putDataset(name, value);
    d.putAttribute("datatype", value instanceof Boolean ? "bool" : "real");
    if (units != null) {
      d.putAttribute("units", units);
    }
  }

  private static void array(WritableGroup parent, String name, Object data, String units) {
    WritableDataset d = parent.putDataset(name, data);
    d.putAttribute("datatype", "array<1>{real}");
    if (units != null) {
      d.putAttribute("units", units);
    }
  }

  /** What the reactor_power and reactor/power columns hold (dimensionless, so no units attribute). */
  private static final String POWER_MEANING = "thermal power, fraction of nominal";

  /** "0=off,1=on,2=unknown": the codes of the reactor_state columns. */
  static final String REACTOR_CODES = codes(ReactorState.values().length, i -> ReactorState.of(i).name().toLowerCase(Locale.ROOT));
  /** "0=accepted,1=vetoed,...": the codes of the fate column (decision_reason names of {@link EventFate}). */
  static final String FATE_CODES = codes(EventFate.values().length, i -> ExportNames.fate(EventFate.ofCode(i)));

  private static String codes(int n, java.util.function.IntFunction<String> name) {
    StringJoiner j = new StringJoiner(",");
    for (int i = 0; i < n; i++) {
      j.add(i + "=" + name.apply(i));
    }
    return j.toString();
  }

  @Override
  public void finish(ExportTables tables) throws IOException {
    if (size > 0) {
      writePart();
    }
    Path file = dir.resolve("export.lh5");
    try (WritableHdfFile f = HdfFile.write(file)) {
      f.putAttribute("nudaq_export_format", ExportNames.FORMAT);
      f.putAttribute("nudaq_export_version", (long) ExportNames.VERSION);
      f.putAttribute("config", tables.configYaml());
      f.putAttribute("config_source", tables.configSource());
      f.putAttribute("input", tables.input());
      f.putAttribute("events", tables.events());
      f.putAttribute("event_files", (long) parts);
      writeSpectra(f, tables.spectra());
      writeChannels(f, tables.sources());
      writeAccounting(f, tables.snapshot());
      writeLiveTime(f, tables.snapshot());
      writeReactor(f, tables.reactor());
      writeRuns(f, tables.runs());
      f.putAttribute("empty_tables", String.join(",", emptyTables));
    } catch (RuntimeException e) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeSpectra(WritableGroup f, List<SpectrumSnapshot> spectra) {
    String[] names = spectra.stream().map(s -> ExportNames.key(s.labels().name())).toArray(String[]::new);
    WritableGroup all = struct(f, "spectra", names);
    for (int i = 0; i < spectra.size(); i++) {
      SpectrumSnapshot s = spectra.get(i);
      WritableGroup g = struct(all, names[i], "hist", "live_time", "mass", "exposure", "underflow", "overflow", "invalid");
      g.putAttribute("name", s.labels().name());
      g.putAttribute("detector", s.labels().detector());
      g.putAttribute("reactor_state", s.labels().reactorState());
      g.putAttribute("stage", s.labels().stage());
      WritableGroup hist = struct(g, "hist", "binning", "weights", "isdensity");
      WritableGroup axis = struct(struct(hist, "binning", "axis_1"), "axis_1", "binedges", "closedleft");
      WritableGroup edges = struct(axis, "binedges", "first", "last", "step");
      edges.putAttribute("units", "keV");
      scalar(edges, "first", s.binning().lowKeV(), "keV");
      scalar(edges, "last", s.binning().highKeV(), "keV");
      scalar(edges, "step", s.binning().binWidthKeV(), "keV");
      scalar(axis, "closedleft", true, null);
      scalar(hist, "isdensity", false, null);
      array(hist, "weights", s.counts(), null);
      scalar(g, "live_time", s.liveTimeSeconds(), "s");
      scalar(g, "mass", s.massKg(), "kg");
      scalar(g, "exposure", s.massKg() * s.liveTimeSeconds() / 86400, "kg*d");
      scalar(g, "underflow", s.underflowCount(), null);
      scalar(g, "overflow", s.overflowCount(), null);
      scalar(g, "invalid", s.invalidCount(), null);
    }
  }

  private static void writeChannels(WritableGroup f, List<EventPipeline.Source> sources) {
    int n = sources.size();
    long[] src = new long[n];
    long[] board = new long[n];
    long[] channel = new long[n];
    byte[] hpge = new byte[n];
    long[] detectorIndex = new long[n];
    long[] cumulative = new long[n];
    List<Double> flat = new ArrayList<>();
    StringJoiner names = new StringJoiner(",");
    for (EventPipeline.Source s : sources) {
      int i = s.index();
      src[i] = i;
      board[i] = s.boardId();
      channel[i] = s.channel();
      hpge[i] = (byte) (s.hpge() ? 1 : 0);
      detectorIndex[i] = s.detectorIndex();
      for (double c : s.config().calibration()) {
        flat.add(c);
      }
      cumulative[i] = flat.size();
      names.add(i + "=" + s.detector());
    }
    WritableGroup t = table(f, "channels", "source", "board", "channel", "hpge", "detector_index", "calibration");
    t.putAttribute("detector_names", names.toString());
    array(t, "source", src, null);
    array(t, "board", board, null);
    array(t, "channel", channel, null);
    WritableDataset h = t.putDataset("hpge", hpge);
    h.putAttribute("datatype", "array<1>{bool}");
    array(t, "detector_index", detectorIndex, null);
    WritableGroup cal = t.putGroup("calibration");
    cal.putAttribute("datatype", "array<1>{array<1>{real}}");
    cal.putAttribute("description", "keV = sum_k c_k * adc^k, coefficients c_0, c_1, ...");
    array(cal, "flattened_data", flat.stream().mapToDouble(Double::doubleValue).toArray(), null);
    array(cal, "cumulative_length", cumulative, null);
  }

  private static void writeAccounting(WritableGroup f, PipelineSnapshot snapshot) {
    List<PipelineSnapshot.ChannelSnapshot> chans = snapshot.channels();
    int n = chans.size();
    List<String> cols = new ArrayList<>(List.of("source", "received", "accepted", "vetoed"));
    for (RejectReason r : RejectReason.values()) {
      cols.add("rejected_" + ExportNames.key(r.name()));
    }
    for (GateReason g : GateReason.values()) {
      cols.add("gated_" + ExportNames.key(g.name()));
    }
    cols.addAll(List.of("pending", "lost_triggers_flagged", "lost_triggers_reported"));
    WritableGroup t = table(f, "accounting", cols.toArray(String[]::new));
    t.putAttribute("unknown_channel_events", snapshot.totals().rejected().get(RejectReason.UNKNOWN_CHANNEL)
        - chans.stream().mapToLong(c -> c.rejected().get(RejectReason.UNKNOWN_CHANNEL)).sum());
    long[][] v = new long[cols.size()][n];
    for (int i = 0; i < n; i++) {
      PipelineSnapshot.ChannelSnapshot c = chans.get(i);
      int k = 0;
      v[k++][i] = i;
      v[k++][i] = c.received();
      v[k++][i] = c.accepted();
      v[k++][i] = c.vetoed();
      for (RejectReason r : RejectReason.values()) {
        v[k++][i] = c.rejected().get(r);
      }
      for (GateReason g : GateReason.values()) {
        v[k++][i] = c.gated().get(g);
      }
      v[k++][i] = c.pending();
      v[k++][i] = c.lostTriggersFlagged();
      v[k][i] = c.lostTriggersReported();
    }
    for (int k = 0; k < cols.size(); k++) {
      array(t, cols.get(k), v[k], null);
    }
  }

  private static void writeLiveTime(WritableGroup f, PipelineSnapshot snapshot) {
    ExportNames.LiveTimeRows rows = ExportNames.liveTimeRows(snapshot);
    WritableGroup t = table(f, "livetime", "detector_index", "reactor_state", "live_time_before_gates",
        "live_time_after_gates", "exposure_after_gates");
    t.putAttribute("detector_names", rows.detectorNames());
    array(t, "detector_index", rows.detectorIndex(), null);
    WritableDataset st = t.putDataset("reactor_state", rows.reactorState());
    st.putAttribute("datatype", "array<1>{real}");
    st.putAttribute("codes", REACTOR_CODES);
    array(t, "live_time_before_gates", rows.beforeGatesSeconds(), "s");
    array(t, "live_time_after_gates", rows.afterGatesSeconds(), "s");
    array(t, "exposure_after_gates", rows.exposureKgDays(), "kg*d");
  }

  private void writeReactor(WritableGroup f, ReactorTable r) {
    if (r.size == 0) {
      emptyTables.add("reactor");
      return;
    }
    WritableGroup t = table(f, "reactor", "time", "state", "power");
    array(t, "time", Arrays.copyOf(r.timeNs, r.size), "ns");
    WritableDataset st = t.putDataset("state", Arrays.copyOf(r.state, r.size));
    st.putAttribute("datatype", "array<1>{real}");
    st.putAttribute("codes", REACTOR_CODES);
    WritableDataset pw = t.putDataset("power", Arrays.copyOf(r.powerFraction, r.size));
    pw.putAttribute("datatype", "array<1>{real}");
    pw.putAttribute("description", POWER_MEANING);
  }

  private void writeRuns(WritableGroup f, List<ExportTables.RunRecord> runs) {
    int n = runs.size();
    if (n == 0) {
      emptyTables.add("runs");
      return;
    }
    long[] wall = new long[n];
    byte[] running = new byte[n];
    long[] number = new long[n];
    for (int i = 0; i < n; i++) {
      wall[i] = runs.get(i).wallClockEpochMs();
      running[i] = (byte) (runs.get(i).running() ? 1 : 0);
      number[i] = runs.get(i).runNumber();
    }
    WritableGroup t = table(f, "runs", "wall_clock", "running", "run_number");
    array(t, "wall_clock", wall, "ms");
    WritableNode r = t.putDataset("running", running);
    r.putAttribute("datatype", "array<1>{bool}");
    array(t, "run_number", number, null);
  }

  @Override
  public void close() {
    // nothing held open between parts
  }
}
