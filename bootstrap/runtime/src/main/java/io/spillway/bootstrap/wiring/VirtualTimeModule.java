package io.spillway.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.JobIds;
import io.spillway.application.port.out.RandomSource;
import io.spillway.bootstrap.RandomJobIds;
import io.spillway.bootstrap.SpillwayConfig;
import java.util.SplittableRandom;
import javax.inject.Singleton;

/**
 * Time, ids and randomness handed in by the caller: a virtual clock (sleeping advances it) for
 * simulations and property tests, or the wall clock for a quick in-memory run; jitter from a
 * source seeded by {@link SpillwayConfig#jitterSeed()}, and sequential job ids when the
 * configuration asks for them, so a run on the virtual clock is reproducible for a seed.
 */
@Module
public final class VirtualTimeModule {
  private final Clock clock;

  public VirtualTimeModule(Clock clock) {
    this.clock = clock;
  }

  @Provides
  Clock clock() {
    return clock;
  }

  @Provides
  @Singleton
  static JobIds jobIds(SpillwayConfig config) {
    return config.sequentialJobIds() ? new SequentialJobIds() : new RandomJobIds();
  }

  @Provides
  @Singleton
  static RandomSource jitter(SpillwayConfig config) {
    return seededJitter(config.jitterSeed());
  }

  /** Jitter drawn from a source seeded with {@code seed}: the same seed, the same draws. */
  static RandomSource seededJitter(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return () -> {
      synchronized (random) {
        return random.nextDouble();
      }
    };
  }
}
