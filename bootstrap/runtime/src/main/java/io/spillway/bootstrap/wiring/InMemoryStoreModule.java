package io.spillway.bootstrap.wiring;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryDeadLetters;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.Jobs;
import io.spillway.bootstrap.SpillwayConfig;
import javax.inject.Singleton;

/** The table (chunks, jobs, dead letters) in memory, with DynamoDB's capacity model. */
@Module(includes = InMemoryStoreModule.Records.class)
public interface InMemoryStoreModule {
  @Provides
  @Singleton
  static TableCapacity tableCapacity(SpillwayConfig config, Clock clock) {
    return new TableCapacity(config.table(), clock.now());
  }

  @Provides
  @Singleton
  static InMemoryChunks inMemoryChunks(TableCapacity capacity, Clock clock) {
    return new InMemoryChunks(capacity, clock);
  }

  @Binds
  Chunks chunks(InMemoryChunks chunks);

  /**
   * The job records and the dead letters in memory, for an environment whose chunks are stored
   * elsewhere too (an {@link InMemoryWorld}'s); and where its settled jobs are announced.
   */
  @Module(includes = InMemoryAnnouncementsModule.class)
  interface Records {
    @Provides
    @Singleton
    static Jobs jobs() {
      return new InMemoryJobs();
    }

    @Provides
    @Singleton
    static DeadLetters deadLetters() {
      return new InMemoryDeadLetters();
    }
  }
}
