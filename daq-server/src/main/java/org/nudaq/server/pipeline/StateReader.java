package org.nudaq.server.pipeline;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nudaq.monitor.spectrum.EnergySpectrum;

/**
 * Reads what {@link StateWriter} wrote, checking as it goes: section tags, array lengths against the
 * arrays of the pipeline being restored (a pipeline of another shape, i.e. another configuration,
 * fails with the name of the array), and the end of the buffer. Every failure is a
 * {@link StateFormatException} saying where ("at byte 0x… of the pipeline state").
 *
 * <p>Single-threaded.
 */
public final class StateReader {
  private final ByteBuffer buffer;
  private final int start;

  /** Reads {@code bytes[offset, offset + length)}. */
  public StateReader(byte[] bytes, int offset, int length) {
    this.buffer = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    this.start = offset;
  }

  /** Offset from the start of the state, bytes. */
  public int offset() {
    return buffer.position() - start;
  }

  /** Bytes not read yet. */
  public int remaining() {
    return buffer.remaining();
  }

  private StateFormatException fail(String what) {
    return new StateFormatException(what, offset());
  }

  /** Checks that the next component is the one expected. */
  public void section(int tag, String name) {
    int at = offset();
    int found = getInt();
    if (found != tag) {
      throw new StateFormatException("expected section " + name + " (tag 0x" + Integer.toHexString(tag) + "), found tag 0x"
          + Integer.toHexString(found), at);
    }
  }

  public int getByte() {
    try {
      return buffer.get() & 0xFF;
    } catch (BufferUnderflowException e) {
      throw fail("truncated: 1 byte expected");
    }
  }

  public boolean getBoolean() {
    int v = getByte();
    if (v > 1) {
      throw new StateFormatException("boolean expected, got " + v, offset() - 1);
    }
    return v == 1;
  }

  public int getInt() {
    try {
      return buffer.getInt();
    } catch (BufferUnderflowException e) {
      throw fail("truncated: 4 bytes expected, " + buffer.remaining() + " remain");
    }
  }

  public long getLong() {
    try {
      return buffer.getLong();
    } catch (BufferUnderflowException e) {
      throw fail("truncated: 8 bytes expected, " + buffer.remaining() + " remain");
    }
  }

  /** A double written by {@link StateWriter#putDouble}. */
  public double getDouble() {
    return Double.longBitsToDouble(getLong());
  }

  /** An array written by {@link StateWriter#putDoubles}, into an array of the same length. */
  public void getDoubles(String what, double[] into) {
    length(what, into.length);
    for (int i = 0; i < into.length; i++) {
      into[i] = getDouble();
    }
  }

  /** A count written by the state, checked to lie in [0, max]. */
  public int getCount(String what, int max) {
    int at = offset();
    int n = getInt();
    if (n < 0 || n > max) {
      throw new StateFormatException(what + "=" + n + " outside [0, " + max + "]", at);
    }
    return n;
  }

  /** An int that must equal {@code expected} in this pipeline (a size or a setting of its configuration). */
  public void expectInt(String what, int expected) {
    int at = offset();
    int n = getInt();
    if (n != expected) {
      throw new StateFormatException(what + "=" + n + " in the checkpoint, " + expected + " in this pipeline (another configuration?)", at);
    }
  }

  /** A long that must equal {@code expected} in this pipeline. */
  public void expectLong(String what, long expected) {
    int at = offset();
    long n = getLong();
    if (n != expected) {
      throw new StateFormatException(what + "=" + n + " in the checkpoint, " + expected + " in this pipeline (another configuration?)", at);
    }
  }

  private void length(String what, int expected) {
    int at = offset();
    int n = getInt();
    if (n != expected) {
      throw new StateFormatException(what + ": length " + n + " in the checkpoint, " + expected
          + " in this pipeline (another configuration?)", at);
    }
    if ((long) n > buffer.remaining()) {
      throw new StateFormatException(what + ": truncated, length " + n + " but " + buffer.remaining() + " bytes remain", at);
    }
  }

  /** Restores a spectrum's content written by {@link StateWriter#putSpectrum} (same binning required). */
  public void getSpectrum(EnergySpectrum s) {
    int n = s.binning().binCount();
    String what = s.labels().name() + ".counts";
    length(what, n);
    if (8L * n > buffer.remaining()) {
      throw fail(what + ": truncated");
    }
    java.nio.LongBuffer counts = buffer.asLongBuffer(); // little-endian view of the next n longs
    buffer.position(buffer.position() + 8 * n);
    long inRange = getLong();
    long underflow = getLong();
    long overflow = getLong();
    long invalid = getLong();
    s.restoreCounts(counts, inRange, underflow, overflow, invalid);
  }

  /** Reads an array written by {@link StateWriter#putLongs} into {@code into} (same length required). */
  public void getLongs(String what, long[] into) {
    length(what, into.length);
    if (8L * into.length > buffer.remaining()) {
      throw fail(what + ": truncated");
    }
    buffer.asLongBuffer().get(into); // bulk, in the buffer's little-endian order
    buffer.position(buffer.position() + 8 * into.length);
  }

  public void getInts(String what, int[] into) {
    length(what, into.length);
    if (4L * into.length > buffer.remaining()) {
      throw fail(what + ": truncated");
    }
    for (int i = 0; i < into.length; i++) {
      into[i] = buffer.getInt();
    }
  }

  public void getBooleans(String what, boolean[] into) {
    length(what, into.length);
    for (int i = 0; i < into.length; i++) {
      into[i] = getBoolean();
    }
  }

  /** Fails unless every byte was read (a longer state belongs to another layout). */
  public void expectEnd() {
    if (buffer.remaining() != 0) {
      throw fail(buffer.remaining() + " bytes left after the last section");
    }
  }
}
