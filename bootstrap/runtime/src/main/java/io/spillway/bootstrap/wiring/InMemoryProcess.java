package io.spillway.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Module;
import dagger.Provides;
import dagger.Subcomponent;
import io.spillway.adapters.inmemory.InMemoryStreamConsumer;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.application.port.out.JobIds;
import io.spillway.application.port.out.RandomSource;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.WriteRateGovernor;

/**
 * One process of an {@link InMemoryWorld}: a producer side (intake, publisher) and a consumer side
 * (governor, ingest service, stream consumer), each built when first asked for, on the world's
 * shared stream, table and clock.
 */
@ProcessScope
@Subcomponent(modules = {ServicesModule.PerProcess.class, InMemoryStreamModule.Consumer.class, InMemoryProcess.Seeded.class})
public interface InMemoryProcess {
  IntakeService intake();

  ChunkPublisher publisher();

  WriteRateGovernor governor();

  IngestService ingest();

  InMemoryStreamConsumer consumer();

  /**
   * Who a process is.
   *
   * @param name prefixes the ids of the jobs its intake opens without one
   * @param jitterSeed seeds its publisher's backoff jitter
   */
  record Identity(String name, long jitterSeed) {}

  /** Starts a process of the world. */
  @Subcomponent.Factory
  interface Factory {
    InMemoryProcess create(@BindsInstance Identity identity);
  }

  /** A process's ids and randomness on virtual time: sequential job ids under its name, jitter from its seed. */
  @Module
  interface Seeded {
    @Provides
    @ProcessScope
    static JobIds jobIds(Identity identity) {
      return new SequentialJobIds(identity.name());
    }

    @Provides
    @ProcessScope
    static RandomSource jitter(Identity identity) {
      return VirtualTimeModule.seededJitter(identity.jitterSeed());
    }
  }
}
