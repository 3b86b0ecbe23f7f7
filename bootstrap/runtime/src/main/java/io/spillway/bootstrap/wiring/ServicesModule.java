package io.spillway.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.JobAnnouncements;
import io.spillway.application.port.out.JobIds;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.RandomSource;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.JobAnnouncer;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.spill.DirectoryChunkSpill;
import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecRegistry;
import javax.inject.Singleton;

/**
 * The application services, whatever the backend: those an environment's processes share ({@link
 * Shared}) and those each process has its own of ({@link PerProcess}). A single-process component
 * installs the whole module; an {@link InMemoryWorld} installs one half on each of its two levels.
 */
@Module(includes = {ServicesModule.Shared.class, ServicesModule.PerProcess.class})
public interface ServicesModule {

  /**
   * The services over the environment's shared records: the availability check, the announcer it
   * tells of the jobs it settles (one per environment, so one retry list), and the dataset reader.
   */
  @Module
  interface Shared {
    @Provides
    @Singleton
    static JobAnnouncer announcer(JobAnnouncements announcements, Jobs jobs, Clock clock) {
      return new JobAnnouncer(announcements, jobs, clock, JobAnnouncer.Settings.defaults());
    }

    @Provides
    @Singleton
    static AvailabilityCheck availability(Jobs jobs, Chunks chunks, Clock clock, SpillwayConfig config, StreamRetention retention,
        JobAnnouncer announcer) {
      // a count that stood still for two sweeps is recounted in the table; a job whose missing chunks
      // must have left the stream (retention past its seal) is marked INCOMPLETE
      AvailabilityCheck.Settings settings = AvailabilityCheck.Settings.defaults()
          .withRecounts(config.availabilitySweep().multipliedBy(2), config.maxRecountInterval());
      if (retention.value().isPresent()) {
        settings = settings.withRetention(retention.value().get());
      }
      return new AvailabilityCheck(jobs, chunks, clock, settings, announcer);
    }

    @Provides
    @Singleton
    static DatasetService datasets(Jobs jobs, Chunks chunks, CodecRegistry codecs, SpillwayConfig config) {
      return new DatasetService(jobs, chunks, codecs, config.readParallelism());
    }
  }

  /** One process's own services: its publisher and intake (the producer side), its governor and ingest service (the consumer side). */
  @Module
  interface PerProcess {
    @Provides
    @ProcessScope
    static ChunkPublisher publisher(ChunkStream stream, Clock clock, SpillwayConfig config, RandomSource jitter) {
      // the spill is opened here, per process: what a previous process left in it is published first
      return new ChunkPublisher(stream, clock, config.publisher(), jitter,
          config.spill().map(s -> new DirectoryChunkSpill(s.directory(), s.maxBytes())));
    }

    @Provides
    @ProcessScope
    static IntakeService intake(Jobs jobs, JobIds ids, Clock clock, ChunkPublisher publisher, Codec codec,
        AvailabilityCheck availability, Chunks chunks, SpillwayConfig config) {
      // the chunk store tells a resumed partition which of its chunks need not be published again
      return new IntakeService(jobs, ids, clock, publisher, codec, config.assembler(), availability, config.sealTimeout(), config.intake(), chunks);
    }

    @Provides
    @ProcessScope
    static WriteRateGovernor governor(Clock clock, SpillwayConfig config) {
      return new WriteRateGovernor(clock, config.ingest().writeUnitsPerSecond());
    }

    @Provides
    @ProcessScope
    static IngestService ingest(Chunks chunks, DeadLetters deadLetters, AvailabilityCheck availability, WriteRateGovernor governor,
        CodecRegistry codecs, Clock clock, SpillwayConfig config) {
      return new IngestService(chunks, deadLetters, availability, governor, codecs, clock, config.ingest());
    }
  }
}
