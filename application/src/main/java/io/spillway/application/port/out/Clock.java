package io.spillway.application.port.out;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as a port: the wall clock in production, a virtual clock in simulations and tests, where
 * sleeping advances time instead of waiting.
 */
public interface Clock {
  Instant now();

  /** Waits for the duration (a virtual clock advances by it instead). */
  void sleep(Duration duration) throws InterruptedException;
}
