package io.spillway.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.spillway.application.codec.Codecs;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecRegistry;
import javax.inject.Singleton;

/** The codec chunks are written with (zstd by default) and the registry they are read with. */
@Module
public interface CodecModule {
  @Provides
  @Singleton
  static Codecs codecs(SpillwayConfig config) {
    return Codecs.writingWith(config.codec(), config.zstdLevel());
  }

  @Provides
  static Codec writer(Codecs codecs) {
    return codecs.writer();
  }

  @Provides
  static CodecRegistry registry(Codecs codecs) {
    return codecs;
  }
}
