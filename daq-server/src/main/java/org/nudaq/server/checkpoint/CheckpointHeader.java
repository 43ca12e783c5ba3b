package org.nudaq.server.checkpoint;

import java.time.Instant;

/**
 * The header of a checkpoint ({@link CheckpointFormat}): which session and which journal record the
 * state belongs to, and the configuration it was taken under. Immutable.
 *
 * @param sessionStartIndex   journal index of the session's SESSION record
 * @param sessionStartEpochMs that record's wall-clock time, epoch ms (with the index: the session's identity)
 * @param journalIndex        the last journal record applied to the state
 * @param takenAtEpochMs      when the state was taken, epoch ms
 * @param configSha256Hex     SHA-256 of the configuration text, 64 lower-case hex digits
 */
public record CheckpointHeader(long sessionStartIndex, long sessionStartEpochMs, long journalIndex, long takenAtEpochMs,
    String configSha256Hex) {

  @Override
  public String toString() {
    return "session=0x" + Long.toHexString(sessionStartIndex) + " journalIndex=0x" + Long.toHexString(journalIndex)
        + " takenAt=" + Instant.ofEpochMilli(takenAtEpochMs) + " configSha256=" + configSha256Hex.substring(0, 12) + "…";
  }
}
