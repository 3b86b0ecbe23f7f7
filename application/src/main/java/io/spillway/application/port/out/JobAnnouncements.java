package io.spillway.application.port.out;

/**
 * Where Spillway announces jobs that settled (AVAILABLE, INCOMPLETE, FAILED), for services that
 * would rather be told than poll; optional, and then {@link #none()}.
 *
 * <p>{@link #announce} returns once the other side has accepted the announcement. A failure that
 * a later attempt may not meet (throttling, a timeout, a 5xx) is a {@link RetryableStoreException};
 * one no retry fixes as it stands (access denied, no such bus, a refused event) is a {@link
 * PermanentStoreException} naming the destination. Adapters do not retry on their own beyond their
 * client's default: {@link io.spillway.application.service.JobAnnouncer} keeps what failed and tries again.
 */
@FunctionalInterface
public interface JobAnnouncements {
  void announce(JobAnnouncement announcement);

  /** Announces nothing, to no one: what runs when no destination is configured. */
  static JobAnnouncements none() {
    return Silence.NONE;
  }

  /** The one silent destination, so that announcers can tell they have nowhere to announce. */
  final class Silence {
    static final JobAnnouncements NONE = announcement -> {};

    private Silence() {}
  }
}
