package org.nudaq.monitor.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration could not be loaded. Carries every error found, not only the first, so that a
 * user fixes a file in one pass.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public ConfigException(ConfigError error, Throwable cause) {
    super(error.toString(), cause);
    this.errors = List.of(error);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
