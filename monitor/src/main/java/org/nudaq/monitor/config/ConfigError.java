package org.nudaq.monitor.config;

/**
 * One problem found in a configuration file.
 *
 * @param source  the file (as the user named it) or another source label
 * @param keyPath the dotted key path, with list indices, e.g. {@code detectors[0].massKg}
 * @param message what is wrong, including the offending value where there is one
 */
public record ConfigError(String source, String keyPath, String message) {

  /** Formats the error the way users see it: {@code config/gemma-1.yaml: detector.massKg: must be > 0, got -1.5}. */
  @Override
  public String toString() {
    return keyPath.isEmpty() ? source + ": " + message : source + ": " + keyPath + ": " + message;
  }
}
