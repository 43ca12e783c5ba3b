package org.nudaq.monitor.limits;

/**
 * Thrown when the inputs of a limit computation are inconsistent (array lengths, window, live
 * times, negative rates). The message names the offending quantity as {@code key=value}.
 */
public final class InvalidLimitInputException extends IllegalArgumentException {

  public InvalidLimitInputException(String message) {
    super(message);
  }
}
