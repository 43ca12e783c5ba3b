package org.nudaq.monitor.cli;

import java.nio.file.Path;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by every command; loading validates the whole file. */
public final class ConfigOption {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "config/gemma-1.yaml",
      description = "YAML configuration (default: ${DEFAULT-VALUE})")
  Path file;

  /** Loads and validates the file; throws {@link org.nudaq.monitor.config.ConfigException} on any error. */
  public NudaqConfig load() {
    return new ConfigLoader().load(file);
  }

  public Path file() {
    return file;
  }
}
