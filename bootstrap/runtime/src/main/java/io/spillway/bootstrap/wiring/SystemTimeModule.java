package io.spillway.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.JobIds;
import io.spillway.application.port.out.RandomSource;
import io.spillway.bootstrap.RandomJobIds;
import io.spillway.bootstrap.SystemClock;
import java.util.concurrent.ThreadLocalRandom;
import javax.inject.Singleton;

/**
 * Time, ids and randomness of a real process: the wall clock, random job ids, and backoff jitter
 * from the OS's entropy, so producers in many processes that were throttled together do not retry
 * together.
 */
@Module
public interface SystemTimeModule {
  @Provides
  @Singleton
  static Clock clock() {
    return new SystemClock();
  }

  @Provides
  @Singleton
  static JobIds jobIds() {
    return new RandomJobIds();
  }

  @Provides
  @Singleton
  static RandomSource jitter() {
    return () -> ThreadLocalRandom.current().nextDouble();
  }
}
