package org.nudaq.server.checkpoint;

import static org.nudaq.server.checkpoint.CheckpointFormat.*;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.nudaq.server.pipeline.StateReader;
import org.nudaq.server.pipeline.StateWriter;

/**
 * Encodes and decodes checkpoint files ({@link CheckpointFormat}). Writing happens in two steps so
 * that the pipeline thread only serializes: {@link #beginHeader} and the payload into a reused
 * {@link StateWriter} on the pipeline thread, {@link #seal} (length and CRC) on the writer thread.
 * Reading checks, in this order, the size, magic, format version, header length, payload length and
 * CRC-32C, and names the first problem with its offset in hex. Stateless.
 */
public final class CheckpointFile {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  /** Larger files are refused before being read (a healthy checkpoint is a few MiB at most). */
  static final long MAX_FILE_BYTES = 1L << 30;

  private CheckpointFile() {}

  /** Clears {@code out} and writes the header; the payload follows, then {@link #seal}. */
  public static void beginHeader(StateWriter out, long sessionStartIndex, long sessionStartEpochMs, long journalIndex,
      long takenAtEpochMs, byte[] configSha256) {
    if (configSha256.length != CONFIG_SHA256_LENGTH) {
      throw new IllegalArgumentException("configSha256 must be 32 bytes, got " + configSha256.length);
    }
    out.clear();
    out.putBytes(MAGIC, 0, MAGIC.length);
    out.putByte(FORMAT_VERSION & 0xFF);
    out.putByte(FORMAT_VERSION >>> 8);
    out.putByte(HEADER_LENGTH & 0xFF);
    out.putByte(HEADER_LENGTH >>> 8);
    out.putInt(0);
    out.putLong(sessionStartIndex);
    out.putLong(sessionStartEpochMs);
    out.putLong(journalIndex);
    out.putLong(takenAtEpochMs);
    out.putBytes(configSha256, 0, CONFIG_SHA256_LENGTH);
    out.putLong(0); // payload length, set by seal
  }

  /** Sets the payload length and appends the CRC-32C; returns the file's length, bytes. */
  public static int seal(StateWriter out) {
    int end = out.position();
    LONG_LE.set(out.array(), PAYLOAD_LENGTH_OFFSET, (long) (end - HEADER_LENGTH));
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, end);
    out.putInt((int) crc.getValue());
    return out.position();
  }

  /**
   * The header of a checkpoint file, read without the payload or its CRC (for housekeeping, not for
   * restoring); null if the file is too short or not a checkpoint of this format.
   */
  public static CheckpointHeader readHeader(Path file) throws IOException {
    byte[] b = new byte[HEADER_LENGTH];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(b, 0, HEADER_LENGTH) < HEADER_LENGTH) {
        return null;
      }
    }
    if (!Arrays.equals(b, MAGIC_OFFSET, MAGIC_OFFSET + MAGIC.length, MAGIC, 0, MAGIC.length)
        || ((short) SHORT_LE.get(b, VERSION_OFFSET) & 0xFFFF) != FORMAT_VERSION) {
      return null;
    }
    return header(b);
  }

  private static CheckpointHeader header(byte[] b) {
    return new CheckpointHeader((long) LONG_LE.get(b, SESSION_START_INDEX_OFFSET),
        (long) LONG_LE.get(b, SESSION_START_EPOCH_MS_OFFSET), (long) LONG_LE.get(b, JOURNAL_INDEX_OFFSET),
        (long) LONG_LE.get(b, TAKEN_AT_EPOCH_MS_OFFSET),
        HexFormat.of().formatHex(b, CONFIG_SHA256_OFFSET, CONFIG_SHA256_OFFSET + CONFIG_SHA256_LENGTH));
  }

  /** Reads and checks a checkpoint file; its payload is not interpreted here. */
  public static LoadedCheckpoint read(Path file) {
    String name = file.toString();
    byte[] b;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new CheckpointException(name, "size " + size + " bytes above the limit of " + MAX_FILE_BYTES, null);
      }
      b = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CheckpointException(name, "cannot read: " + e, e);
    }
    if (b.length < HEADER_LENGTH + CRC_LENGTH) {
      throw new CheckpointException(name, "truncated: " + b.length + " bytes, less than a header and CRC ("
          + (HEADER_LENGTH + CRC_LENGTH) + ")", null);
    }
    if (!Arrays.equals(b, MAGIC_OFFSET, MAGIC_OFFSET + MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CheckpointException(name, "bad magic at offset 0x0: 0x" + HexFormat.of().formatHex(b, 0, MAGIC.length)
          + " (not a nudaq checkpoint)", null);
    }
    int version = (short) SHORT_LE.get(b, VERSION_OFFSET) & 0xFFFF;
    if (version != FORMAT_VERSION) {
      throw new CheckpointException(name, "format version " + version + " at offset 0x" + Integer.toHexString(VERSION_OFFSET)
          + ", this daemon reads version " + FORMAT_VERSION, null);
    }
    int headerLength = (short) SHORT_LE.get(b, HEADER_LENGTH_OFFSET) & 0xFFFF;
    if (headerLength != HEADER_LENGTH) {
      throw new CheckpointException(name, "header length " + headerLength + " at offset 0x"
          + Integer.toHexString(HEADER_LENGTH_OFFSET) + ", expected " + HEADER_LENGTH, null);
    }
    long payloadLength = (long) LONG_LE.get(b, PAYLOAD_LENGTH_OFFSET);
    long expected = HEADER_LENGTH + payloadLength + CRC_LENGTH;
    if (payloadLength < 0 || expected != b.length) {
      throw new CheckpointException(name, "truncated or padded: payload length " + payloadLength + " at offset 0x"
          + Integer.toHexString(PAYLOAD_LENGTH_OFFSET) + " needs a file of " + expected + " bytes, found " + b.length, null);
    }
    int crcAt = b.length - CRC_LENGTH;
    CRC32C crc = new CRC32C();
    crc.update(b, 0, crcAt);
    int stored = (int) INT_LE.get(b, crcAt);
    if (stored != (int) crc.getValue()) {
      throw new CheckpointException(name, "CRC-32C mismatch at offset 0x" + Integer.toHexString(crcAt) + ": stored 0x"
          + Integer.toHexString(stored) + ", computed 0x" + Long.toHexString(crc.getValue()) + " (damaged file)", null);
    }
    return new LoadedCheckpoint(file, header(b), b, HEADER_LENGTH, (int) payloadLength);
  }

  /** A checkpoint file read and checked (magic, version, length, CRC). Immutable by convention (the bytes are not exposed). */
  public static final class LoadedCheckpoint {
    private final Path file;
    private final CheckpointHeader header;
    private final byte[] bytes;
    private final int payloadOffset;
    private final int payloadLength;

    LoadedCheckpoint(Path file, CheckpointHeader header, byte[] bytes, int payloadOffset, int payloadLength) {
      this.file = file;
      this.header = header;
      this.bytes = bytes;
      this.payloadOffset = payloadOffset;
      this.payloadLength = payloadLength;
    }

    public Path file() {
      return file;
    }

    public CheckpointHeader header() {
      return header;
    }

    /** A fresh reader of the payload (session progress, then pipeline state). */
    public StateReader payload() {
      return new StateReader(bytes, payloadOffset, payloadLength);
    }

    /** The file's size, bytes. */
    public int sizeBytes() {
      return bytes.length;
    }
  }
}
