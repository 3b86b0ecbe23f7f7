package io.spillway.application.codec;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CodecRegistry;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
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
    if (writeWith == CodecId.ZSTD) {
      byId.put(CodecId.ZSTD, new ZstdCodec(zstdLevel));
    } else {
      try {
        byId.put(CodecId.ZSTD, new ZstdCodec(zstdLevel));
      } catch (IllegalStateException unavailable) {
        // zstd chunks will be refused with UNKNOWN_CODEC; the writer does not need it
      }
    }
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
      throw new CorruptChunkException(Reason.UNKNOWN_CODEC, "no " + id + " codec is available in this process");
    }
    return c;
  }
}
