package org.nudaq.sim.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one board's link did, for the ground truth: frames and events written to connections per
 * channel, and every injected link fault. Updated per frame (never per event) from the event loop;
 * thread-safe (atomics), read at any time.
 */
public final class LinkCounters {
  final AtomicLongArray sentEvents;
  final AtomicLongArray damagedEvents;
  final AtomicLong framesSent = new AtomicLong();
  final AtomicLong connections = new AtomicLong();
  final AtomicLong rejectedClients = new AtomicLong();
  final AtomicLong disconnects = new AtomicLong();
  final AtomicLong corruptFrames = new AtomicLong();
  final AtomicLong truncatedFrames = new AtomicLong();
  final AtomicLong garbageInsertions = new AtomicLong();
  final AtomicLong skippedSequences = new AtomicLong();
  final AtomicLong duplicatedSequences = new AtomicLong();
  final AtomicLong stalls = new AtomicLong();
  final AtomicLong goodbyes = new AtomicLong();

  /** @param channelCount channels are numbered 0 … channelCount − 1 */
  public LinkCounters(int channelCount) {
    sentEvents = new AtomicLongArray(channelCount);
    damagedEvents = new AtomicLongArray(channelCount);
  }

  /** Events of a channel written intact to a connection (in frames the reader can decode). */
  public long sentEvents(int channel) {
    return sentEvents.get(channel);
  }

  /** Events of a channel in frames that were corrupted or truncated on purpose. */
  public long damagedEvents(int channel) {
    return damagedEvents.get(channel);
  }

  public long framesSent() {
    return framesSent.get();
  }

  public long connections() {
    return connections.get();
  }

  public long rejectedClients() {
    return rejectedClients.get();
  }

  public long disconnects() {
    return disconnects.get();
  }

  public long corruptFrames() {
    return corruptFrames.get();
  }

  public long truncatedFrames() {
    return truncatedFrames.get();
  }

  public long garbageInsertions() {
    return garbageInsertions.get();
  }

  public long skippedSequences() {
    return skippedSequences.get();
  }

  public long duplicatedSequences() {
    return duplicatedSequences.get();
  }

  public long stalls() {
    return stalls.get();
  }

  public long goodbyes() {
    return goodbyes.get();
  }

  /** The link faults as a JSON-ready map. */
  public Map<String, Object> faultSummary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("disconnects", disconnects());
    m.put("corruptFrames", corruptFrames());
    m.put("truncatedFrames", truncatedFrames());
    m.put("garbageInsertions", garbageInsertions());
    m.put("skippedSequences", skippedSequences());
    m.put("duplicatedSequences", duplicatedSequences());
    m.put("stalls", stalls());
    m.put("rejectedClients", rejectedClients());
    return m;
  }
}
