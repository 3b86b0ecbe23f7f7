package io.spillway.application.codec;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CodecRegistry;
import java.util.EnumMap;
import java.util.Map;

/** The codecs a process can read, and the one it writes with. */
public final class Codecs implements CodecRegistry {
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  private final Map<CodecId, Codec> byId = new EnumMap<>(CodecId.class);
  private final Codec writer;

  private Codecs(CodecId writeWith, int zstdLevel) {
    byId.put(CodecId.NONE, new NoneCodec());
    byId.put(CodecId.GZIP, new GzipCodec());
    // every process loads every codec, even one that writes gzip: a consumer that could not read
    // zstd would otherwise have to tell healthy records from poison ones (it fails here, loudly)
    byId.put(CodecId.ZSTD, new ZstdCodec(zstdLevel));
    this.writer = byId.get(writeWith);
  }

  /** Writes zstd at level 3, reads everything. */
  public static Codecs standard() {
    return new Codecs(CodecId.ZSTD, DEFAULT_ZSTD_LEVEL);
  }

  public static Codecs writingWith(CodecId codec, int zstdLevel) {
    return new Codecs(codec, zstdLevel);
  }

  public Codec writer() {
    return writer;
  }

  @Override
  public Codec codec(CodecId id) {
    Codec c = byId.get(id);
    if (c == null) {
      throw new IllegalStateException("no " + id + " codec is installed in this process");
    }
    return c;
  }
}
