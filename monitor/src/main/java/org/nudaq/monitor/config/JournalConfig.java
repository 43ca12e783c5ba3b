package org.nudaq.monitor.config;

/**
 * The daemon's journal: every validated frame and every state change, on disk before the pipeline
 * sees it, and the periodic state snapshots that make crash recovery replay only the journal's tail
 * (docs/journal-and-replay.md). Immutable.
 *
 * @param enabled                 whether the daemon journals (and recovers from its journal on start)
 * @param directory               the queue directory; relative paths are resolved against the data directory
 * @param rollCycle               how long one queue file covers; persisted in the queue, so an existing
 *                                journal keeps the cycle it was created with
 * @param retentionCycles         how many closed cycle files to keep (0 keeps everything, the default: years
 *                                of data are irreplaceable); older ones are deleted
 * @param diskFreeAlarmGiB        the disk-space alarm: below this much free space on the journal's file
 *                                system the daemon warns and the alarm gauge reads 1, GiB
 * @param snapshotIntervalSeconds time between state snapshots of the pipeline, s (0: none; recovery then
 *                                replays the whole unclosed session)
 * @param snapshotsKept           how many snapshots to keep (the newest); older ones are deleted
 * @param snapshotDirectory       where snapshots are written; relative paths are resolved against the data
 *                                directory. One directory per journal
 */
public record JournalConfig(boolean enabled, String directory, RollCycle rollCycle, int retentionCycles, double diskFreeAlarmGiB,
    double snapshotIntervalSeconds, int snapshotsKept, String snapshotDirectory) {

  /** The roll cycles offered (names of Chronicle Queue's {@code RollCycles}, in YAML spelling). */
  public enum RollCycle {
    /** One file per hour: small files, quick retention; 2^28 excerpts per hour. */
    FAST_HOURLY,
    /** One file per day (the default): a day of frames at our rates is well below 2^32 excerpts. */
    FAST_DAILY,
    /** One file per week, for low rates and few files. */
    WEEKLY
  }

  /** Default snapshot interval, s: recovery replays at most five minutes of data (well under a second). */
  public static final double DEFAULT_SNAPSHOT_INTERVAL_SECONDS = 300;
  /** Default number of snapshots kept: the newest, and two to fall back on if it is damaged. */
  public static final int DEFAULT_SNAPSHOTS_KEPT = 3;
  public static final String DEFAULT_SNAPSHOT_DIRECTORY = "snapshots";

  /** The journal settings with the default snapshot settings. */
  public JournalConfig(boolean enabled, String directory, RollCycle rollCycle, int retentionCycles, double diskFreeAlarmGiB) {
    this(enabled, directory, rollCycle, retentionCycles, diskFreeAlarmGiB, DEFAULT_SNAPSHOT_INTERVAL_SECONDS,
        DEFAULT_SNAPSHOTS_KEPT, DEFAULT_SNAPSHOT_DIRECTORY);
  }

  /**
   * The defaults: enabled, {@code journal} under the data directory, daily files kept forever, alarm at
   * 10 GiB; a snapshot every 300 s in {@code snapshots} under the data directory, the newest 3 kept.
   */
  public static JournalConfig defaults() {
    return new JournalConfig(true, "journal", RollCycle.FAST_DAILY, 0, 10);
  }

  /** A copy with another directory (tests, command-line overrides). */
  public JournalConfig withDirectory(String dir) {
    return new JournalConfig(enabled, dir, rollCycle, retentionCycles, diskFreeAlarmGiB, snapshotIntervalSeconds, snapshotsKept,
        snapshotDirectory);
  }

  /** A copy with other snapshot settings (tests). */
  public JournalConfig withSnapshots(double intervalSeconds, int kept, String dir) {
    return new JournalConfig(enabled, directory, rollCycle, retentionCycles, diskFreeAlarmGiB, intervalSeconds, kept, dir);
  }

  /** The alarm threshold in bytes. */
  public long diskFreeAlarmBytes() {
    return (long) (diskFreeAlarmGiB * (1L << 30));
  }

  /** Whether state snapshots are taken. */
  public boolean snapshotsEnabled() {
    return snapshotIntervalSeconds > 0;
  }

  static JournalConfig bind(ConfigNode n) {
    JournalConfig d = defaults();
    boolean enabled = n.bool("enabled", d.enabled());
    String dir = n.text("directory", d.directory());
    if (dir.isBlank()) {
      n.error("directory", "must name a directory");
    }
    RollCycle roll = n.choice("rollCycle", RollCycle.class, d.rollCycle());
    int retention = n.integer("retentionCycles", d.retentionCycles());
    if (retention < 0) {
      n.error("retentionCycles", "must be 0 (keep everything) or a positive number of cycles, got " + retention);
    }
    double alarm = n.number("diskFreeAlarmGiB", d.diskFreeAlarmGiB());
    n.requireNonNegative("diskFreeAlarmGiB", alarm);
    double interval = n.number("snapshotIntervalSeconds", d.snapshotIntervalSeconds());
    if (!Double.isFinite(interval)) {
      n.error("snapshotIntervalSeconds", "must be a finite number of seconds (0 disables snapshots), got " + interval);
    }
    n.requireNonNegative("snapshotIntervalSeconds", interval);
    int kept = n.integer("snapshotsKept", d.snapshotsKept());
    if (kept < 1) {
      n.error("snapshotsKept", "must be >= 1 (the newest snapshot and any older ones to fall back on), got " + kept);
    }
    String snapshotDir = n.text("snapshotDirectory", d.snapshotDirectory());
    if (snapshotDir.isBlank()) {
      n.error("snapshotDirectory", "must name a directory");
    } else if (snapshotDir.equals(dir)) {
      n.error("snapshotDirectory", "must differ from journal.directory (the journal's directory holds only its queue files), got "
          + snapshotDir);
    }
    return new JournalConfig(enabled, dir, roll, retention, alarm, interval, kept, snapshotDir);
  }
}
