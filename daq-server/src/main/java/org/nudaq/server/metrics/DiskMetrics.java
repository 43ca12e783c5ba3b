package org.nudaq.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.File;
import java.nio.file.Path;

/**
 * Free and total space of the file system holding the data directory, read when scraped (of its
 * nearest existing ancestor while the directory is not created yet). Thread-safe.
 *
 * <p>Micrometer holds function meters\' state weakly: keep this binder reachable as long as the registry.
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
    Gauge.builder("nudaq.data.disk.free", this, m -> m.existing().getUsableSpace()).baseUnit("bytes")
        .description("Usable space on the file system of the data directory").tags(tags).register(registry);
    Gauge.builder("nudaq.data.disk.total", this, m -> m.existing().getTotalSpace()).baseUnit("bytes")
        .description("Size of the file system of the data directory").tags(tags).register(registry);
  }

  private File existing() {
    File f = dataDir;
    while (f != null && !f.exists()) {
      f = f.getParentFile();
    }
    return f == null ? new File("/") : f;
  }
}
