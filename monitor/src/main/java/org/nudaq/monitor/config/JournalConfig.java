package org.nudaq.monitor.config;

/**
 * The daemon's journal: every validated frame and every state change, on disk before the pipeline
 * sees it (docs/journal-and-replay.md). Immutable.
 *
 * @param enabled          whether the daemon journals (and recovers from its journal on start)
 * @param directory        the queue directory; relative paths are resolved against the data directory
 * @param rollCycle        how long one queue file covers; persisted in the queue, so an existing
 *                         journal keeps the cycle it was created with
 * @param retentionCycles  how many closed cycle files to keep (0 keeps everything, the default: years
 *                         of data are irreplaceable); older ones are deleted
 * @param diskFreeAlarmGiB the disk-space alarm: below this much free space on the journal's file
 *                         system the daemon warns and the alarm gauge reads 1, GiB
 */
public record JournalConfig(boolean enabled, String directory, RollCycle rollCycle, int retentionCycles, double diskFreeAlarmGiB) {

  /** The roll cycles offered (names of Chronicle Queue's {@code RollCycles}, in YAML spelling). */
  public enum RollCycle {
    /** One file per hour: small files, quick retention; 2^28 excerpts per hour. */
    FAST_HOURLY,
    /** One file per day (the default): a day of frames at our rates is well below 2^32 excerpts. */
    FAST_DAILY,
    /** One file per week, for low rates and few files. */
    WEEKLY
  }

  /** The defaults: enabled, {@code journal} under the data directory, daily files kept forever, alarm at 10 GiB. */
  public static JournalConfig defaults() {
    return new JournalConfig(true, "journal", RollCycle.FAST_DAILY, 0, 10);
  }

  /** A copy with another directory (tests, command-line overrides). */
  public JournalConfig withDirectory(String dir) {
    return new JournalConfig(enabled, dir, rollCycle, retentionCycles, diskFreeAlarmGiB);
  }

  /** The alarm threshold in bytes. */
  public long diskFreeAlarmBytes() {
    return (long) (diskFreeAlarmGiB * (1L << 30));
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
    return new JournalConfig(enabled, dir, roll, retention, alarm);
  }
}
