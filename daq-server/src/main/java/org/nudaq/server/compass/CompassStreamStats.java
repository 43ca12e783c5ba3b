package org.nudaq.server.compass;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.nudaq.server.link.ConnectionCounts;

/**
 * Counters of the CoMPASS TCP stream source: what arrived, what was decoded, what was skipped while
 * finding the record alignment, and the connection's history. Every byte received is decoded, skipped
 * or still waiting in the decoder: {@code bytesReceived = decodedBytes + skippedBytes + pendingBytes}.
 * Written by the link's event loop, read from any thread.
 */
public final class CompassStreamStats {
  final AtomicLong bytesReceived = new AtomicLong();
  final AtomicLong decodedBytes = new AtomicLong();
  final AtomicLong skippedBytes = new AtomicLong();
  final AtomicLong pendingBytes = new AtomicLong();
  final AtomicLong records = new AtomicLong();
  final AtomicLong events = new AtomicLong();
  final AtomicLong fakeRecords = new AtomicLong();
  final AtomicLong locks = new AtomicLong();
  final AtomicLong lockLosses = new AtomicLong();
  final AtomicLong frames = new AtomicLong();
  final ConnectionCounts connection = new ConnectionCounts();
  final AtomicLong backpressurePauses = new AtomicLong();
  final AtomicLong framesLost = new AtomicLong();
  private volatile boolean locked;
  private volatile boolean connected;

  /** Every byte read from the connections. */
  public long bytesReceived() {
    return bytesReceived.get();
  }

  /** Bytes of records passed on. */
  public long decodedBytes() {
    return decodedBytes.get();
  }

  /**
   * Bytes that were no plausible record: before the alignment was found, around corruption, and what
   * was left of a record when a connection ended.
   */
  public long skippedBytes() {
    return skippedBytes.get();
  }

  /** Bytes received and not yet decoded nor skipped (waiting for the rest of a record or a search window). */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  /** Records decoded (fake records included). */
  public long records() {
    return records.get();
  }

  /** Events passed on to the journal and the pipeline. */
  public long events() {
    return events.get();
  }

  /** Fake records (flag 0x8 and the board alarms) counted and not passed on. */
  public long fakeRecords() {
    return fakeRecords.get();
  }

  /** Times the record alignment was found (once per connection, plus once after each loss). */
  public long locks() {
    return locks.get();
  }

  /** Times a record failed the plausibility check while aligned (corruption, lost or inserted bytes). */
  public long lockLosses() {
    return lockLosses.get();
  }

  /** Wire frames handed to the journal and pipeline (HELLO frames included). */
  public long frames() {
    return frames.get();
  }

  public long connects() {
    return connection.connects();
  }

  public long disconnects() {
    return connection.disconnects();
  }

  public long connectFailures() {
    return connection.connectFailures();
  }

  /** Times reading paused because the pipeline's queue was full (nothing is dropped). */
  public long backpressurePauses() {
    return backpressurePauses.get();
  }

  /** Frames assembled while the pipeline was full and still held when the link's event loop stopped: lost. */
  public long framesLost() {
    return framesLost.get();
  }

  /** Whether the decoder knows the record alignment now. */
  public boolean locked() {
    return locked;
  }

  void locked(boolean value) {
    locked = value;
  }

  /** Where the connection stands (connecting, connected, retrying, closed): the metric {@code nudaq_compass_stream_state}. */
  public org.nudaq.server.link.ConnectionState connectionState() {
    return connection.state();
  }

  /** Whether a connection to CoMPASS is open. */
  public boolean connected() {
    return connected;
  }

  void connected(boolean value) {
    connected = value;
  }

  /** All counters by name, for the API and the run summary. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connected", connected);
    m.put("locked", locked);
    m.put("bytesReceived", bytesReceived());
    m.put("decodedBytes", decodedBytes());
    m.put("skippedBytes", skippedBytes());
    m.put("pendingBytes", pendingBytes());
    m.put("records", records());
    m.put("events", events());
    m.put("fakeRecords", fakeRecords());
    m.put("locks", locks());
    m.put("lockLosses", lockLosses());
    m.put("frames", frames());
    m.put("connects", connects());
    m.put("disconnects", disconnects());
    m.put("connectFailures", connectFailures());
    m.put("backpressurePauses", backpressurePauses());
    m.put("framesLost", framesLost());
    return m;
  }
}
