package org.nudaq.server.calibration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.nudaq.monitor.calibration.CalibrationCodec;
import org.nudaq.monitor.calibration.ChannelCalibrator;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.ResolutionCurve;
import org.nudaq.server.pipeline.StateFormatException;
import org.nudaq.server.pipeline.StateReader;
import org.nudaq.server.pipeline.StateWriter;

/**
 * The online calibration's state as a checkpoint section (docs/journal-and-replay.md "Calibration state"), so
 * that a restarted daemon calibrates on exactly as one that never stopped: without it the window (30 days of
 * spectra at nominal intensities) would start empty and no calibration could be made for up to a window.
 * Little-endian through {@link StateWriter}:
 * <pre>
 *   'CALS' i32 version (1)
 *   i32 channels, each: i32 boardId, i32 channel, i32 spectrumLength, f64[] linesKeV,
 *       scale: f64 offsetKeV, gainKeVPerAdc, offsetErrKeV, gainErrKeVPerAdc, covariance, chi2, i32 ndf,
 *              f64 quadraticKeVPerAdc2, quadraticErrKeVPerAdc2,
 *       resolution: f64 noiseKeV2, slopeKeV, u8 applied,
 *       i32 intervals, each: i64 startNs, i64 endNs, f64 gain, f64 gainErr, i64[spectrumLength] counts
 *   i32 pending intervals, each: i32 boardId, i32 channel, i64 fromNs, i64 toNs, i64[] counts
 *   i32 calibrations not yet journaled, each: i32 n, u8[n] CalibrationCodec body
 *   i32 applied epochs, each: i64 appliedAtDataTimeNs, i32 n, u8[n] CalibrationCodec body
 * </pre>
 * Immutable (the arrays are shared and never modified).
 *
 * @param channels     each channel's calibrator state
 * @param pending      intervals handed over but not yet fitted, oldest first
 * @param unjournaled  calibrations made but not yet journaled, oldest first
 * @param applied      the epochs applied (for the limits and the reports)
 */
public record CalibrationState(List<Channel> channels, List<Interval> pending, List<CalibrationCodec.Change> unjournaled,
    List<CalibrationHistory.AppliedEpoch> applied) {

  private static final int TAG = StateWriter.tag("CALS");
  /** Raise with any change of the layout above; a checkpoint of another version is refused, not misread. */
  public static final int VERSION = 1;
  /** Bounds a damaged count is checked against. */
  private static final int MAX_ITEMS = 1 << 20;
  private static final int MAX_SPECTRUM = 1 << 24;

  public CalibrationState {
    channels = List.copyOf(channels);
    pending = List.copyOf(pending);
    unjournaled = List.copyOf(unjournaled);
    applied = List.copyOf(applied);
  }

  /** One channel's calibrator state, with what it was made for (lines, spectrum length). */
  public record Channel(int boardId, int channel, double[] linesKeV, int spectrumLength, ChannelCalibrator.State state) {}

  /** One interval's raw spectrum as the pipeline handed it over (counts per ADC value over [fromNs, toNs)). */
  public record Interval(int boardId, int channel, long fromNs, long toNs, long[] counts) {}

  /** Nothing (no online calibration). */
  public static final CalibrationState EMPTY = new CalibrationState(List.of(), List.of(), List.of(), List.of());

  static void write(StateWriter out, Collection<Channel> channels, Collection<Interval> pending,
      Collection<CalibrationCodec.Change> unjournaled, List<CalibrationHistory.AppliedEpoch> applied) {
    out.section(TAG);
    out.putInt(VERSION);
    out.putInt(channels.size());
    for (Channel ch : channels) {
      ChannelCalibrator.State s = ch.state();
      out.putInt(ch.boardId());
      out.putInt(ch.channel());
      out.putInt(ch.spectrumLength());
      out.putDoubles(ch.linesKeV());
      EnergyScale k = s.scale();
      out.putDouble(k.offsetKeV());
      out.putDouble(k.gainKeVPerAdc());
      out.putDouble(k.offsetErrKeV());
      out.putDouble(k.gainErrKeVPerAdc());
      out.putDouble(k.covariance());
      out.putDouble(k.chi2());
      out.putInt(k.ndf());
      out.putDouble(k.quadraticKeVPerAdc2());
      out.putDouble(k.quadraticErrKeVPerAdc2());
      out.putDouble(s.resolution().noiseKeV2());
      out.putDouble(s.resolution().slopeKeV());
      out.putBoolean(s.applied());
      out.putInt(s.window().size());
      for (ChannelCalibrator.WindowInterval w : s.window()) {
        out.putLong(w.startNs());
        out.putLong(w.endNs());
        out.putDouble(w.gain());
        out.putDouble(w.gainErr());
        out.putLongs(w.counts());
      }
    }
    out.putInt(pending.size());
    for (Interval iv : pending) {
      out.putInt(iv.boardId());
      out.putInt(iv.channel());
      out.putLong(iv.fromNs());
      out.putLong(iv.toNs());
      out.putLongs(iv.counts());
    }
    out.putInt(unjournaled.size());
    for (CalibrationCodec.Change c : unjournaled) {
      byte[] b = CalibrationCodec.encode(c);
      out.putInt(b.length);
      out.putBytes(b, 0, b.length);
    }
    out.putInt(applied.size());
    for (CalibrationHistory.AppliedEpoch e : applied) {
      out.putLong(e.appliedAtDataTimeNs());
      byte[] b = CalibrationCodec.encode(e.change());
      out.putInt(b.length);
      out.putBytes(b, 0, b.length);
    }
  }

  /**
   * Reads a section {@link OnlineCalibration#saveState} wrote; changes nothing.
   *
   * @throws StateFormatException naming what is wrong and where
   */
  public static CalibrationState read(StateReader in) {
    in.section(TAG, "calibration");
    in.expectInt("calibration state version", VERSION);
    int n = in.getCount("calibration channels", MAX_ITEMS);
    List<Channel> channels = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int board = in.getInt();
      int channel = in.getInt();
      int length = in.getInt();
      double[] lines = new double[in.getCount("calibration lines", 1000)];
      readDoubles(in, lines);
      EnergyScale scale = new EnergyScale(in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble(),
          in.getDouble(), in.getInt(), in.getDouble(), in.getDouble());
      ResolutionCurve resolution = new ResolutionCurve(in.getDouble(), in.getDouble());
      boolean applied = in.getBoolean();
      int m = in.getCount("calibration window intervals", MAX_ITEMS);
      List<ChannelCalibrator.WindowInterval> window = new ArrayList<>(m);
      for (int j = 0; j < m; j++) {
        long start = in.getLong();
        long end = in.getLong();
        double gain = in.getDouble();
        double gainErr = in.getDouble();
        window.add(new ChannelCalibrator.WindowInterval(start, end, counts(in, "calibration window counts"), gain, gainErr));
      }
      channels.add(new Channel(board, channel, lines, length,
          new ChannelCalibrator.State(window, scale, resolution, applied)));
    }
    int p = in.getCount("calibration pending intervals", MAX_ITEMS);
    List<Interval> pending = new ArrayList<>(p);
    for (int i = 0; i < p; i++) {
      pending.add(new Interval(in.getInt(), in.getInt(), in.getLong(), in.getLong(), counts(in, "calibration pending counts")));
    }
    int u = in.getCount("calibrations not yet journaled", MAX_ITEMS);
    List<CalibrationCodec.Change> unjournaled = new ArrayList<>(u);
    for (int i = 0; i < u; i++) {
      unjournaled.add(change(in));
    }
    int a = in.getCount("calibration epochs applied", MAX_ITEMS);
    List<CalibrationHistory.AppliedEpoch> applied = new ArrayList<>(a);
    for (int i = 0; i < a; i++) {
      long at = in.getLong();
      applied.add(new CalibrationHistory.AppliedEpoch(change(in), at));
    }
    return new CalibrationState(channels, pending, unjournaled, applied);
  }

  private static void readDoubles(StateReader in, double[] into) {
    for (int i = 0; i < into.length; i++) {
      into[i] = in.getDouble();
    }
  }

  private static long[] counts(StateReader in, String what) {
    int at = in.offset();
    int n = in.getInt();
    if (n < 0 || n > MAX_SPECTRUM || 8L * n > in.remaining()) {
      throw new StateFormatException(what + ": length " + n + " with " + in.remaining() + " bytes left", at);
    }
    long[] c = new long[n];
    for (int i = 0; i < n; i++) {
      c[i] = in.getLong();
    }
    return c;
  }

  private static CalibrationCodec.Change change(StateReader in) {
    int at = in.offset();
    int n = in.getCount("calibration record length", 1 << 24);
    if (n > in.remaining()) {
      throw new StateFormatException("calibration record of " + n + " bytes, " + in.remaining() + " left", at);
    }
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) in.getByte();
    }
    try {
      return CalibrationCodec.decode(b, n);
    } catch (IllegalArgumentException e) {
      throw new StateFormatException(e.getMessage(), at);
    }
  }
}
