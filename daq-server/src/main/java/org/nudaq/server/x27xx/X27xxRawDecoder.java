package org.nudaq.server.x27xx;

import static org.nudaq.server.x27xx.X27xxDescriptor.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes CAEN x27xx raw data ({@link X27xxDescriptor}) from a big-endian buffer, aggregate by
 * aggregate, into an {@link X27xxVisitor}: hits, statistics events, start and stop of runs. For a
 * stream the caller passes what it has and keeps what {@link #decode} did not use (an aggregate not
 * yet complete); for a file, whole blobs.
 *
 * <p>Bad input never stops it: a word that starts neither an aggregate nor a special event is skipped
 * (consecutive ones reported once, with the offset of the first), an event that runs past its
 * aggregate's end is reported and the rest of that aggregate skipped, an aggregate whose word count
 * is 0 or absurd ({@link #MAX_AGGREGATE_WORDS}) is reported and its header word skipped. Every error
 * goes to {@link X27xxVisitor#onError} with the source and the byte offset, and is counted; every byte
 * is either decoded or counted in {@link #skippedBytes()}.
 *
 * <p>Allocation-free except when reporting an error. Single-threaded.
 */
public final class X27xxRawDecoder {
  /** Larger word counts are not believed (128 MiB; the Dig2 library reads far smaller blobs). */
  public static final long MAX_AGGREGATE_WORDS = 1L << 24;

  private final String source;
  private long hits;
  private long statistics;
  private long aggregates;
  private long errors;
  private long skippedBytes;
  private long unknownSpecialEvents;
  /** Offset where a run of unrecognised words began (−1: none open). */
  private long garbageStart = -1;
  private long garbageWords;

  /** @param source named in error messages (a file name, or host:port) */
  public X27xxRawDecoder(String source) {
    this.source = source;
  }

  /**
   * Decodes the complete aggregates and special events in {@code buffer[offset, offset + length)}.
   *
   * @param sourceOffset where {@code buffer[offset]} is in the source, bytes (for messages)
   * @param final_       true if no more bytes follow (a file's blob): an aggregate cut short is then an
   *                     error; false (a stream): it is left for the next call
   * @return bytes used (whole words; the rest is to be passed again with more bytes behind it)
   */
  public int decode(ByteBuffer buffer, int offset, int length, long sourceOffset, boolean final_, X27xxVisitor v) {
    if (buffer.order() != ByteOrder.BIG_ENDIAN) {
      throw new IllegalArgumentException("x27xx raw data are big-endian: pass a BIG_ENDIAN buffer");
    }
    int p = offset;
    int end = offset + length;
    while (end - p >= WORD_BYTES) {
      long w = buffer.getLong(p);
      int format = (int) (w >>> FORMAT_SHIFT);
      long words = w & WORD_COUNT_MASK;
      long at = sourceOffset + (p - offset);
      if (format != FORMAT_AGGREGATE && format != FORMAT_SPECIAL) {
        if (garbageStart < 0) {
          garbageStart = at;
        }
        garbageWords++;
        skippedBytes += WORD_BYTES;
        p += WORD_BYTES;
        continue;
      }
      if (words == 0 || words > MAX_AGGREGATE_WORDS) {
        endGarbage(v);
        error(v, at, (format == FORMAT_AGGREGATE ? "aggregate header" : "special event") + " word 0x" + Long.toHexString(w)
            + " says " + words + " words: not believed; word skipped");
        skippedBytes += WORD_BYTES;
        p += WORD_BYTES;
        continue;
      }
      long bytes = words * WORD_BYTES;
      if (bytes > end - p) {
        if (!final_) {
          break; // the rest arrives later
        }
        endGarbage(v);
        error(v, at, (format == FORMAT_AGGREGATE ? "aggregate" : "special event") + " of " + words + " words is cut short: only "
            + (end - p) / WORD_BYTES + " words follow (truncated data)");
        skippedBytes += end - p;
        p = end;
        break;
      }
      endGarbage(v);
      if (format == FORMAT_AGGREGATE) {
        aggregate(buffer, p, (int) words, at, v);
      } else {
        special(buffer, p, (int) words, v);
      }
      p += (int) bytes;
    }
    if (final_) {
      endGarbage(v);
      int tail = end - p;
      if (tail > 0 && tail < WORD_BYTES) {
        error(v, sourceOffset + (p - offset), tail + " bytes after the last whole word (data cut short)");
        skippedBytes += tail;
        p = end;
      }
    }
    return p - offset;
  }

  private void aggregate(ByteBuffer b, int start, int words, long sourceStart, X27xxVisitor v) {
    long header = b.getLong(start);
    aggregates++;
    v.onAggregate((int) ((header >>> AGGREGATE_COUNTER_SHIFT) & AGGREGATE_COUNTER_MASK), ((header >>> AGGREGATE_FLUSH_BIT) & 1) != 0,
        ((header >>> AGGREGATE_BOARD_FAIL_BIT) & 1) != 0, words);
    int end = start + words * WORD_BYTES;
    int q = start + WORD_BYTES;
    while (q < end) {
      long w0 = b.getLong(q);
      if ((w0 >>> FORMAT_SHIFT) == FORMAT_SPECIAL) {
        long n = w0 & WORD_COUNT_MASK;
        if (n == 0 || n > (end - q) / WORD_BYTES) {
          q = cut(v, sourceStart + (q - start), "special event of " + n + " words inside the aggregate", q, end);
          break;
        }
        special(b, q, (int) n, v);
        q += (int) n * WORD_BYTES;
        continue;
      }
      int channel = (int) ((w0 >>> CHANNEL_SHIFT) & CHANNEL_MASK);
      if (w0 < 0) { // bit 63: single-word hit
        hits++;
        v.onHit(channel, (w0 >>> SINGLE_TIMESTAMP_SHIFT) & SINGLE_TIMESTAMP_MASK, 0, (int) (w0 & ENERGY_MASK), 0, 0,
            (int) ((w0 >>> SINGLE_FLAGS_HIGH_SHIFT) & FLAGS_HIGH_MASK), true, false);
        q += WORD_BYTES;
        continue;
      }
      long timestamp = w0 & TIMESTAMP_MASK;
      if (((w0 >>> STATISTICS_BIT) & 1) != 0) {
        if (end - q < STATISTICS_WORDS * WORD_BYTES) {
          q = cut(v, sourceStart + (q - start), "statistics event (4 words)", q, end);
          break;
        }
        long dead = b.getLong(q + 2 * WORD_BYTES) & TIMESTAMP_MASK;
        long counters = b.getLong(q + 3 * WORD_BYTES);
        statistics++;
        v.onStatistics(channel, timestamp, dead, (int) ((counters >>> TRIGGER_COUNT_SHIFT) & COUNTER_MASK), (int) (counters & COUNTER_MASK));
        q += STATISTICS_WORDS * WORD_BYTES;
        continue;
      }
      if (end - q < 2 * WORD_BYTES) {
        q = cut(v, sourceStart + (q - start), "hit (word 1 missing)", q, end);
        break;
      }
      int hitStart = q;
      long w1 = b.getLong(q + WORD_BYTES);
      boolean waveform = ((w1 >>> WAVEFORM_BIT) & 1) != 0;
      q += 2 * WORD_BYTES;
      if (w1 >= 0) { // bit 63 clear: extra words follow, the last one has bit 63 set
        boolean last = false;
        while (q < end && !last) {
          last = b.getLong(q) < 0;
          q += WORD_BYTES;
        }
        if (!last) {
          q = cut(v, sourceStart + (hitStart - start), "hit whose extra words run past the aggregate end", hitStart, end);
          break;
        }
        if (waveform) { // the last extra word was the waveform extra word; then the waveform header, then samples
          if (end - q < WORD_BYTES) {
            q = cut(v, sourceStart + (hitStart - start), "hit without its waveform header word", hitStart, end);
            break;
          }
          long sampleWords = b.getLong(q) & WORD_COUNT_MASK;
          q += WORD_BYTES;
          if (sampleWords > (end - q) / WORD_BYTES) {
            q = cut(v, sourceStart + (hitStart - start), "waveform of " + sampleWords + " words running past the aggregate end",
                hitStart, end);
            break;
          }
          q += (int) sampleWords * WORD_BYTES;
        }
      } else if (waveform) {
        error(v, sourceStart + (hitStart - start), "hit with the waveform bit but no extra words (word 1 bit 63 set);"
            + " decoded without a waveform");
      }
      hits++;
      v.onHit(channel, timestamp, (int) ((w1 >>> FINE_TIMESTAMP_SHIFT) & FINE_TIMESTAMP_MASK), (int) (w1 & ENERGY_MASK),
          (int) ((w1 >>> ENERGY_SHORT_SHIFT) & ENERGY_MASK), (int) ((w1 >>> FLAGS_LOW_SHIFT) & FLAGS_LOW_MASK),
          (int) ((w1 >>> FLAGS_HIGH_SHIFT) & FLAGS_HIGH_MASK), false, waveform);
    }
  }

  /** Reports an event cut by its aggregate's end; the aggregate's rest from {@code from} is skipped. */
  private int cut(X27xxVisitor v, long at, String what, int from, int end) {
    error(v, at, what + ": the aggregate ends first; its last " + (end - from) / WORD_BYTES + " words skipped");
    skippedBytes += end - from;
    return end;
  }

  private void special(ByteBuffer b, int start, int words, X27xxVisitor v) {
    long w0 = b.getLong(start);
    int subtype = (int) ((w0 >>> SPECIAL_SUBTYPE_SHIFT) & 0xF);
    if (subtype == SPECIAL_START_RUN && words >= START_RUN_WORDS) {
      long mask = (b.getLong(start + 2 * WORD_BYTES) & 0xFFFF_FFFFL) | (b.getLong(start + 3 * WORD_BYTES) << 32);
      v.onStartRun(mask, b.getLong(start + WORD_BYTES));
    } else if (subtype == SPECIAL_STOP_RUN && words >= STOP_RUN_WORDS) {
      v.onStopRun(b.getLong(start + WORD_BYTES) & TIMESTAMP_MASK, b.getLong(start + 2 * WORD_BYTES) & TIMESTAMP_MASK);
    } else {
      unknownSpecialEvents++;
    }
  }

  private void endGarbage(X27xxVisitor v) {
    if (garbageStart >= 0) {
      error(v, garbageStart, garbageWords + " word(s) that start neither an aggregate (0x2) nor a special event (0x3): skipped");
      garbageStart = -1;
      garbageWords = 0;
    }
  }

  private void error(X27xxVisitor v, long offset, String message) {
    errors++;
    v.onError(offset, "x27xx raw data " + source + " at byte 0x" + Long.toHexString(offset) + ": " + message);
  }

  public long hits() {
    return hits;
  }

  public long statisticsEvents() {
    return statistics;
  }

  public long aggregates() {
    return aggregates;
  }

  /** Errors reported to the visitor. */
  public long errors() {
    return errors;
  }

  /** Bytes not decoded (unrecognised words, events cut short, truncated data). */
  public long skippedBytes() {
    return skippedBytes;
  }

  /** Special events of a subtype other than start (0x0) and stop (0x2) run, skipped by their word count. */
  public long unknownSpecialEvents() {
    return unknownSpecialEvents;
  }
}
