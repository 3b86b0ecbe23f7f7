package io.spillway.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.spillway.adapters.inmemory.InMemoryJobAnnouncements;
import io.spillway.application.port.out.JobAnnouncements;
import io.spillway.bootstrap.SpillwayConfig;
import javax.inject.Singleton;

/**
 * Where an in-memory environment announces settled jobs: into its own {@link
 * InMemoryJobAnnouncements} when the configuration asks ({@link SpillwayConfig#memoryAnnouncements()}),
 * nowhere otherwise, so a long run that nobody watches keeps no list growing.
 */
@Module
public interface InMemoryAnnouncementsModule {
  @Provides
  @Singleton
  static InMemoryJobAnnouncements recorded() {
    return new InMemoryJobAnnouncements();
  }

  @Provides
  @Singleton
  static JobAnnouncements announcements(SpillwayConfig config, InMemoryJobAnnouncements recorded) {
    return config.memoryAnnouncements() ? recorded : JobAnnouncements.none();
  }
}
