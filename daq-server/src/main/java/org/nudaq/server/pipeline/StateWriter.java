package org.nudaq.server.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nudaq.monitor.spectrum.EnergySpectrum;

/**
 * A growable little-endian buffer the pipeline writes its complete state into (checkpoints,
 * docs/journal-and-replay.md). Reused from one snapshot to the next: it allocates only when the state
 * outgrows it (doubling), so steady-checkpoints allocate nothing.
 *
 * <p>Layout conventions shared with {@link StateReader}: arrays are an {@code i32} length then the
 * elements; booleans one byte; each component starts with a 4-byte section tag so that a reader out
 * of step fails at once, naming the section.
 *
 * <p>Single-threaded: the pipeline thread, or whoever owns the buffer after it.
 */
public final class StateWriter {
  private ByteBuffer buffer;
  /** Where the sums and the position-only fields are, when a segmented replay asks (issue 19); else null. */
  private StateLayout layout;

  /** @param initialCapacityBytes first capacity, bytes (grows as needed) */
  public StateWriter(int initialCapacityBytes) {
    buffer = ByteBuffer.allocate(Math.max(64, initialCapacityBytes)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Empties the buffer for the next snapshot (keeps its capacity). */
  public void clear() {
    buffer.clear();
    if (layout != null) {
      layout.clear();
    }
  }

  /**
   * From now on, records in {@code layout} which bytes are sums and which are positions only
   * ({@link StateLayout}); null stops it. Checkpoints do not: the bytes written are the same either way.
   */
  public void recordLayout(StateLayout layout) {
    this.layout = layout;
    if (layout != null) {
      layout.clear();
    }
  }

  // --- fields a segmented replay treats apart (issue 19; same bytes as the plain puts) --------------

  /** {@link #putLong} of a pure sum (a count, a time total): two segments' values add. */
  public void putSumLong(long v) {
    int at = position();
    putLong(v);
    mark(StateLayout.Kind.LONG_SUM, at);
  }

  /** {@link #putLongs} of pure sums, element by element. */
  public void putSumLongs(long[] a) {
    putInt(a.length);
    int at = position();
    putLongs(a, false);
    mark(StateLayout.Kind.LONG_SUM, at);
  }

  /** {@link #putDoubles} of floating-point sums: rounding depends on the order of the terms (see {@link StateLayout}). */
  public void putSumDoubles(double[] a) {
    putInt(a.length);
    int at = position();
    for (double v : a) {
      putDouble(v);
    }
    mark(StateLayout.Kind.DOUBLE_SUM, at);
  }

  /** {@link #putSpectrum} of a spectrum that only accumulates (its counts and counters are sums). */
  public void putSumSpectrum(EnergySpectrum s) {
    putInt(s.binning().binCount());
    int at = position();
    putSpectrumBody(s);
    mark(StateLayout.Kind.LONG_SUM, at);
  }

  /** {@link #putLongs} of sums waiting for a decision (see {@link StateLayout.Kind#PENDING}). */
  public void putPendingLongs(long[] a) {
    putInt(a.length);
    int at = position();
    putLongs(a, false);
    mark(StateLayout.Kind.PENDING, at);
  }

  /** {@link #putSpectrum} of a spectrum waiting for a decision (see {@link StateLayout.Kind#PENDING}). */
  public void putPendingSpectrum(EnergySpectrum s) {
    putInt(s.binning().binCount());
    int at = position();
    putSpectrumBody(s);
    mark(StateLayout.Kind.PENDING, at);
  }

  /** {@link #putInt} of a ring position or sequence number: says where, not what (not compared). */
  public void putPositionInt(int v) {
    int at = position();
    putInt(v);
    mark(StateLayout.Kind.POSITION, at);
  }

  /** {@link #putLong} of a ring position or sequence number (not compared). */
  public void putPositionLong(long v) {
    int at = position();
    putLong(v);
    mark(StateLayout.Kind.POSITION, at);
  }

  /** Starts bytes that hold history no longer needed ahead (not compared; ended by {@link #endHistory(int)}). */
  public int beginHistory() {
    return position();
  }

  /** Ends what {@link #beginHistory()} began. */
  public void endHistory(int begun) {
    mark(StateLayout.Kind.POSITION, begun);
  }

  private void mark(StateLayout.Kind kind, int from) {
    if (layout != null) {
      layout.add(kind, from, position());
    }
  }

  /** Bytes written since {@link #clear()}. */
  public int position() {
    return buffer.position();
  }

  /** The backing array; bytes {@code [0, position())} are the ones written. */
  public byte[] array() {
    return buffer.array();
  }

  /** The current capacity, bytes. */
  public int capacity() {
    return buffer.capacity();
  }

  private void ensure(int bytes) {
    if (buffer.remaining() < bytes) {
      long wanted = Math.max((long) buffer.capacity() * 2, (long) buffer.position() + bytes);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("checkpoint larger than 2 GiB, position=" + buffer.position());
      }
      ByteBuffer grown = ByteBuffer.allocate((int) wanted).order(ByteOrder.LITTLE_ENDIAN);
      buffer.flip();
      grown.put(buffer);
      buffer = grown;
    }
  }

  /** Starts a component: its 4-byte tag (ASCII, e.g. {@code 'MRGE'}). */
  public void section(int tag) {
    putInt(tag);
  }

  public void putByte(int v) {
    ensure(1);
    buffer.put((byte) v);
  }

  public void putBoolean(boolean v) {
    putByte(v ? 1 : 0);
  }

  public void putInt(int v) {
    ensure(4);
    buffer.putInt(v);
  }

  public void putLong(long v) {
    ensure(8);
    buffer.putLong(v);
  }

  /** A double by its raw bits (restored bit for bit, NaN payloads included). */
  public void putDouble(double v) {
    putLong(Double.doubleToRawLongBits(v));
  }

  /** An array of doubles: its length, then every element's raw bits. */
  public void putDoubles(double[] a) {
    putInt(a.length);
    for (double v : a) {
      putDouble(v);
    }
  }

  /** Writes {@code bytes[from, from + length)} as they are (no length prefix). */
  public void putBytes(byte[] bytes, int from, int length) {
    ensure(length);
    buffer.put(bytes, from, length);
  }

  /** An array: its length, then every element. */
  public void putLongs(long[] a) {
    putLongs(a, true);
  }

  private void putLongs(long[] a, boolean withLength) {
    if (withLength) {
      putInt(a.length);
    }
    ensure(8 * a.length);
    // A bulk copy through a view in the buffer's (little-endian) order: fast even before the JIT has
    // compiled this, which matters for code that runs once every few minutes.
    buffer.asLongBuffer().put(a);
    buffer.position(buffer.position() + 8 * a.length);
  }

  /**
   * A spectrum's content: its counts as {@link #putLongs} writes them, then the in-range, underflow, overflow
   * and invalid counters (its live time is not part of it: the pipeline books live time itself).
   */
  public void putSpectrum(EnergySpectrum s) {
    putInt(s.binning().binCount());
    putSpectrumBody(s);
  }

  private void putSpectrumBody(EnergySpectrum s) {
    int n = s.binning().binCount();
    ensure(8 * n);
    s.putCounts(buffer.asLongBuffer()); // bulk, in the buffer's little-endian order
    buffer.position(buffer.position() + 8 * n);
    putLong(s.inRangeCount());
    putLong(s.underflowCount());
    putLong(s.overflowCount());
    putLong(s.invalidCount());
  }

  public void putInts(int[] a) {
    putInt(a.length);
    ensure(4 * a.length);
    for (int v : a) {
      buffer.putInt(v);
    }
  }

  public void putBooleans(boolean[] a) {
    putInt(a.length);
    ensure(a.length);
    for (boolean v : a) {
      buffer.put((byte) (v ? 1 : 0));
    }
  }

  /** The int whose little-endian bytes are the four ASCII characters: a hex dump of a snapshot shows the name. */
  public static int tag(String fourAscii) {
    if (fourAscii.length() != 4) {
      throw new IllegalArgumentException("state section tag must be 4 ASCII characters, got tag=" + fourAscii);
    }
    return (fourAscii.charAt(0) & 0xFF) | (fourAscii.charAt(1) & 0xFF) << 8 | (fourAscii.charAt(2) & 0xFF) << 16
        | (fourAscii.charAt(3) & 0xFF) << 24;
  }
}
