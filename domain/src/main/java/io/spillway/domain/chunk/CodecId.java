package io.spillway.domain.chunk;

import io.spillway.domain.chunk.CorruptChunkException.Reason;

/** The compression of a chunk's payload, as written in byte 5 of every chunk record. */
public enum CodecId {
  NONE(0),
  GZIP(1),
  ZSTD(2);

  private final int code;

  CodecId(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static CodecId fromCode(int code) {
    for (CodecId id : values()) {
      if (id.code == code) {
        return id;
      }
    }
    throw new CorruptChunkException(Reason.UNKNOWN_CODEC, "codec byte " + code + " is not one of 0 (none), 1 (gzip), 2 (zstd)");
  }
}
