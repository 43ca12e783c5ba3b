package org.nudaq.monitor.calibration;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a journal CALIBRATION record ({@code JournalRecordLayout.TYPE_CALIBRATION}), written and read
 * here so that the daemon's journal writer, its reader and anything else agree byte for byte. Little-endian:
 * <pre>
 *   i32 boardId, i32 channel, u8 status (CalibrationStatus ordinal), i64 atNs, i64 windowStartNs,
 *   f64 offsetKeV, f64 gainKeVPerAdc, f64 offsetErrKeV, f64 gainErrKeVPerAdc, f64 covariance, f64 chi2, i32 ndf,
 *   f64 fwhmNoiseKeV2, f64 fwhmSlopeKeV, f64 maxShiftKeV, i32 lines,
 *   lines × (f64 energyKeV, positionAdc, positionErrAdc, sigmaAdc, sigmaErrAdc, netCounts, netCountsErr, chi2, i32 ndf),
 *   i32 message length, utf8 message,
 *   then only for a scale with a quadratic term ({@code calibration.terms: quadratic}):
 *   u8 extension 1, f64 quadraticKeVPerAdc2, f64 quadraticErrKeVPerAdc2
 * </pre>
 * A linear calibration's body is byte for byte what versions without the extension wrote, so old journals
 * replay unchanged; a body that ends after the message is linear (those versions ignore bytes after it).
 * Stateless, thread-safe.
 */
public final class CalibrationCodec {
  private CalibrationCodec() {}

  /** The extension byte after the message of a scale with a quadratic term. */
  static final byte EXTENSION_QUADRATIC = 1;

  /** A calibration of one channel. */
  public record Change(int boardId, int channel, Calibration calibration) {}

  public static byte[] encode(Change c) {
    Calibration k = c.calibration();
    byte[] msg = k.message().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 1 + 8 + 8 + 6 * 8 + 4 + 3 * 8 + 4 + k.lines().size() * (8 * 8 + 4) + 4 + msg.length
        + (k.scale().quadratic() ? 1 + 2 * 8 : 0)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(c.boardId()).putInt(c.channel()).put((byte) k.status().ordinal()).putLong(k.atNs()).putLong(k.windowStartNs());
    EnergyScale s = k.scale();
    b.putDouble(s.offsetKeV()).putDouble(s.gainKeVPerAdc()).putDouble(s.offsetErrKeV()).putDouble(s.gainErrKeVPerAdc())
        .putDouble(s.covariance()).putDouble(s.chi2()).putInt(s.ndf());
    b.putDouble(k.resolution().noiseKeV2()).putDouble(k.resolution().slopeKeV()).putDouble(k.maxShiftKeV());
    b.putInt(k.lines().size());
    for (LineFit l : k.lines()) {
      b.putDouble(l.energyKeV()).putDouble(l.positionAdc()).putDouble(l.positionErrAdc()).putDouble(l.sigmaAdc())
          .putDouble(l.sigmaErrAdc()).putDouble(l.netCounts()).putDouble(l.netCountsErr()).putDouble(l.chi2()).putInt(l.ndf());
    }
    b.putInt(msg.length).put(msg);
    if (s.quadratic()) {
      b.put(EXTENSION_QUADRATIC).putDouble(s.quadraticKeVPerAdc2()).putDouble(s.quadraticErrKeVPerAdc2());
    }
    return b.array();
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a calibration body (names what is wrong)
   */
  public static Change decode(byte[] data, int length) {
    ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int board = b.getInt();
      int channel = b.getInt();
      int st = b.get() & 0xFF;
      CalibrationStatus[] all = CalibrationStatus.values();
      if (st >= all.length) {
        throw new IllegalArgumentException("calibration record: status " + st + " unknown");
      }
      long at = b.getLong();
      long from = b.getLong();
      EnergyScale s = new EnergyScale(b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(),
          b.getDouble(), b.getInt());
      ResolutionCurve r = new ResolutionCurve(b.getDouble(), b.getDouble());
      double shift = b.getDouble();
      int n = b.getInt();
      if (n < 0 || n > 1000) {
        throw new IllegalArgumentException("calibration record: " + n + " lines");
      }
      List<LineFit> lines = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        lines.add(new LineFit(b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(),
            b.getDouble(), b.getDouble(), b.getInt()));
      }
      int m = b.getInt();
      if (m < 0 || m > b.remaining()) {
        throw new IllegalArgumentException("calibration record: message of " + m + " bytes, " + b.remaining() + " left");
      }
      byte[] msg = new byte[m];
      b.get(msg);
      if (b.hasRemaining()) {
        int ext = b.get() & 0xFF;
        if (ext != EXTENSION_QUADRATIC) {
          throw new IllegalArgumentException("calibration record: extension " + ext + " after the message unknown");
        }
        s = new EnergyScale(s.offsetKeV(), s.gainKeVPerAdc(), s.offsetErrKeV(), s.gainErrKeVPerAdc(), s.covariance(),
            s.chi2(), s.ndf(), b.getDouble(), b.getDouble());
      }
      if (!(s.gainKeVPerAdc() > 0) || !Double.isFinite(s.offsetKeV())) {
        throw new IllegalArgumentException("calibration record: gain " + s.gainKeVPerAdc() + " offset " + s.offsetKeV());
      }
      return new Change(board, channel, new Calibration(all[st], at, from, s, r, lines, shift,
          new String(msg, java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("calibration record: truncated at byte " + b.position() + " of " + length);
    }
  }
}
