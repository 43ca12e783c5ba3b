package org.nudaq.server.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One daemon session in a journal: from its SESSION record to its CLOSED record, or to the end of
 * the journal if the daemon did not close it (a crash: then the next start recovers it).
 *
 * @param startIndex     index of the SESSION record
 * @param startEpochMs   when it started, epoch ms
 * @param configSource   the configuration file it ran with
 * @param configYaml     that configuration's text
 * @param closed         whether a CLOSED record ends it
 */
public record JournalSession(long startIndex, long startEpochMs, String configSource, String configYaml, boolean closed) {

  /** The last session of the journal, or null if it has none; reads backwards from the end (cheap). */
  public static JournalSession last(Path dir) {
    try (JournalReader r = new JournalReader(dir)) {
      r.fromEndBackwards();
      Finder f = new Finder();
      while (f.found == null && r.next(f)) {
        // reading backwards until the session record
      }
      return f.found;
    }
  }

  /** Every session of the journal, oldest first (reads it all). */
  public static List<JournalSession> all(Path dir) {
    List<JournalSession> out = new ArrayList<>();
    try (JournalReader r = new JournalReader(dir)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
          out.add(new JournalSession(index, wallClockEpochMs, configSource, configYaml, false));
        }

        @Override
        public void onClosed(long index, long wallClockEpochMs) {
          if (!out.isEmpty()) {
            JournalSession s = out.get(out.size() - 1);
            out.set(out.size() - 1, new JournalSession(s.startIndex, s.startEpochMs, s.configSource, s.configYaml, true));
          }
        }
      };
      while (r.next(v)) {
        // all records
      }
    }
    return out;
  }

  private static final class Finder implements JournalVisitor {
    boolean closedSeen;
    JournalSession found;

    @Override
    public void onClosed(long index, long wallClockEpochMs) {
      closedSeen = true;
    }

    @Override
    public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
      found = new JournalSession(index, wallClockEpochMs, configSource, configYaml, closedSeen);
    }
  }
}
