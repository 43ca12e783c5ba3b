package org.nudaq.server.x27xx;

import static org.nudaq.server.x27xx.X27xxDescriptor.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a {@code .raw} file as SOLARIS_DAQ writes the Dig2 raw endpoint's blobs (u16 identifier, u64
 * blob size, then the blob; see {@link X27xxDescriptor}) and decodes every blob. A blob header that is
 * wrong (unknown identifier, a size beyond the file) is reported with its offset and ends the file: what
 * was decoded before it stands. Blobs are read one at a time into one reused buffer. Single-threaded.
 */
public final class X27xxRawFile {
  private X27xxRawFile() {}

  /** What a file gave: blobs read, and whether the last blob was DPP-PSD (else PHA). */
  public record Result(long blobs, long bytes, boolean psd, X27xxRawDecoder decoder) {}

  /** Decodes the whole file into {@code v}; errors go to {@code v.onError} with the file name and offset. */
  public static Result read(Path file, X27xxVisitor v) {
    X27xxRawDecoder decoder = new X27xxRawDecoder(file.toString());
    long blobs = 0;
    boolean psd = false;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer header = ByteBuffer.allocate(BLOB_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer blob = ByteBuffer.allocate(1 << 20).order(ByteOrder.BIG_ENDIAN);
      long at = 0;
      while (at < size) {
        if (size - at < BLOB_HEADER_BYTES) {
          v.onError(at, "x27xx raw data " + file + " at byte 0x" + Long.toHexString(at) + ": " + (size - at)
              + " bytes after the last blob, less than a blob header (truncated file)");
          break;
        }
        header.clear();
        readFully(ch, header, at);
        int id = header.getShort(0) & 0xFFFF;
        long length = header.getLong(2);
        if (id != BLOB_PHA && id != BLOB_PSD) {
          v.onError(at, "x27xx raw data " + file + " at byte 0x" + Long.toHexString(at) + ": blob identifier 0x" + Integer.toHexString(id)
              + " is neither 0xaa0a (PHA) nor 0xaa1a (PSD): not a .raw file, or a damaged one; reading stops here");
          break;
        }
        if (length < 0 || length > size - at - BLOB_HEADER_BYTES) {
          v.onError(at, "x27xx raw data " + file + " at byte 0x" + Long.toHexString(at) + ": blob of " + length + " bytes, but only "
              + (size - at - BLOB_HEADER_BYTES) + " follow (truncated file); reading stops here");
          break;
        }
        if (length > Integer.MAX_VALUE - 8) {
          v.onError(at, "x27xx raw data " + file + " at byte 0x" + Long.toHexString(at) + ": blob of " + length + " bytes is too large");
          break;
        }
        psd = id == BLOB_PSD;
        if (blob.capacity() < length) {
          blob = ByteBuffer.allocate((int) Math.max(length, 2L * blob.capacity())).order(ByteOrder.BIG_ENDIAN);
        }
        blob.clear().limit((int) length);
        readFully(ch, blob, at + BLOB_HEADER_BYTES);
        decoder.decode(blob, 0, (int) length, at + BLOB_HEADER_BYTES, true, v);
        blobs++;
        at += BLOB_HEADER_BYTES + length;
      }
      return new Result(blobs, size, psd, decoder);
    } catch (IOException e) {
      v.onError(0, "x27xx raw " + file + ": cannot read: " + e.getMessage());
      return new Result(blobs, 0, psd, decoder);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    long p = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, p);
      if (n < 0) {
        throw new IOException("unexpected end of file at offset " + p);
      }
      p += n;
    }
  }
}
