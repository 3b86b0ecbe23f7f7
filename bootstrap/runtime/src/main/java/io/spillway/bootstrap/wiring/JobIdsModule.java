package io.spillway.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.application.port.out.JobIds;
import io.spillway.bootstrap.RandomJobIds;
import io.spillway.bootstrap.SpillwayConfig;
import javax.inject.Singleton;

/** Random job ids, or sequential ones where a run must be reproducible. */
@Module
public interface JobIdsModule {
  @Provides
  @Singleton
  static JobIds jobIds(SpillwayConfig config) {
    return config.sequentialJobIds() ? new SequentialJobIds() : new RandomJobIds();
  }
}
