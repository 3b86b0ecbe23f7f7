package io.spillway.bootstrap.wiring;

import java.time.Duration;
import java.util.Optional;

/** How long the stream keeps a record; empty when it could not be learned (then no job is ever marked INCOMPLETE). */
public record StreamRetention(Optional<Duration> value) {}
