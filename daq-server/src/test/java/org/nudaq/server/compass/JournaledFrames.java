package org.nudaq.server.compass;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalVisitor;

/**
 * What a journal's FRAME records hold, read once from first record to last (every session): the events
 * of its EVENTS frames, its HELLOs, the last frame sequence number and every break in the sequence
 * (a repeat or a gap). The CoMPASS follow tests show with it that nothing was journaled twice or
 * skipped across kills, clean stops, restarts and late channel files. Test helper; not thread-safe.
 *
 * @param events       events in all EVENTS frames
 * @param hellos       HELLO frames (one opens each session)
 * @param lastSequence sequence number of the last frame, −1 for none
 * @param problems     one line per break: {@code "board B frame S after P"}
 */
record JournaledFrames(long events, int hellos, long lastSequence, List<String> problems) {

  /** Reads the journal in {@code journalDir} (a daemon's {@code data/journal}). */
  static JournaledFrames read(Path journalDir) {
    long[] counts = {0, 0, -1}; // events, hellos, last sequence
    List<String> problems = new ArrayList<>();
    try (JournalReader reader = new JournalReader(journalDir)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] bytes, int length, long framesLostBefore) {
          ByteBuffer b = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
          long sequence = b.getLong(FrameDescriptor.SEQUENCE_OFFSET);
          if (sequence != counts[2] + 1) {
            problems.add("board " + boardId + " frame " + sequence + " after " + counts[2]);
          }
          counts[2] = sequence;
          int type = bytes[FrameDescriptor.TYPE_OFFSET] & 0xFF;
          if (type == FrameDescriptor.TYPE_HELLO) {
            counts[1]++;
          } else if (type == FrameDescriptor.TYPE_EVENTS) {
            counts[0] += b.getInt(FrameDescriptor.EVENTS_COUNT_OFFSET);
          }
        }
      };
      while (reader.next(v)) {
        // every record of every session
      }
    }
    return new JournaledFrames(counts[0], (int) counts[1], counts[2], List.copyOf(problems));
  }
}
