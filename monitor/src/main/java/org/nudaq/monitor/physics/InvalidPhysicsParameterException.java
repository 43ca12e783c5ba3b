package org.nudaq.monitor.physics;

/**
 * Thrown when a physics parameter is out of its valid range. The message names the parameter and
 * its value ({@code name=value}) so a configuration layer can map it to its key path.
 */
public final class InvalidPhysicsParameterException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidPhysicsParameterException(String message) {
    super(message);
  }

  static double requirePositive(String name, double value) {
    if (!(value > 0.0) || !Double.isFinite(value)) {
      throw new InvalidPhysicsParameterException(
          name + " must be positive and finite: " + name + "=" + value);
    }
    return value;
  }

  static double requireNonNegative(String name, double value) {
    if (!(value >= 0.0) || !Double.isFinite(value)) {
      throw new InvalidPhysicsParameterException(
          name + " must be non-negative and finite: " + name + "=" + value);
    }
    return value;
  }

  static <T> T requireNonNull(String name, T value) {
    if (value == null) {
      throw new InvalidPhysicsParameterException(name + " must be given: " + name + "=null");
    }
    return value;
  }
}
