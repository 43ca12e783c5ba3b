package org.nudaq.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.File;
import java.nio.file.Path;

/**
 * Free and total space of the file system holding the data directory, read when scraped (NaN if
 * the directory does not exist yet). Thread-safe.
 */
public final class DiskMetrics implements MeterBinder {
  private final File dataDir;
  private final Iterable<Tag> tags;

  public DiskMetrics(Path dataDir, Iterable<Tag> tags) {
    this.dataDir = dataDir.toAbsolutePath().toFile();
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("nudaq.data.disk.free", dataDir, f -> f.exists() ? f.getUsableSpace() : Double.NaN).baseUnit("bytes")
        .description("Usable space on the file system of the data directory").tags(tags).register(registry);
    Gauge.builder("nudaq.data.disk.total", dataDir, f -> f.exists() ? f.getTotalSpace() : Double.NaN).baseUnit("bytes")
        .description("Size of the file system of the data directory").tags(tags).register(registry);
  }
}
