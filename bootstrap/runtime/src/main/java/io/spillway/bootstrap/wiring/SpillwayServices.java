package io.spillway.bootstrap.wiring;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.JobAnnouncer;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.domain.chunk.CodecRegistry;

/** The application services one environment's component builds, whatever the backend behind them. */
public interface SpillwayServices {
  IntakeService intake();

  ChunkPublisher publisher();

  IngestService ingest();

  WriteRateGovernor governor();

  AvailabilityCheck availability();

  /**
   * Announces settled jobs and retries what failed. Whoever moves a job outside the availability
   * check (an operator marking it FAILED) announces it here: {@link JobAnnouncer#announceSettled}.
   * The availability check's own, so that there is one retry list per environment.
   */
  default JobAnnouncer announcer() {
    return availability().announcer();
  }

  DatasetService datasets();

  Jobs jobs();

  DeadLetters deadLetters();

  /** The chunk store itself, for re-verification and operators' checks (readers go through {@link #datasets()}). */
  Chunks chunks();

  CodecRegistry codecs();

  Clock clock();

  SpillwayConfig config();

  /** How long the stream keeps a record (what the retention-risk forecast and INCOMPLETE are judged against). */
  StreamRetention retention();
}
