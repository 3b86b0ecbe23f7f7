package io.spillway.bootstrap.simulation;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;

/**
 * A codec for simulations, where only sizes matter: its output is zeros, {@link #RATIO} of the
 * input's length. The simulation sizes each block of events so that this ratio over the block's
 * envelope gives the compressed size the scenario's measured ratio gives the events the block
 * stands for. It answers to the zstd id, the codec it stands in for; nothing decompresses it
 * (consumers run with payload verification off and datasets are not read back).
 */
final class ModelledCodec implements Codec {
  static final double RATIO = 0.8;

  @Override
  public CodecId id() {
    return CodecId.ZSTD;
  }

  @Override
  public byte[] compress(byte[] src, int offset, int length) {
    return new byte[(int) Math.ceil(length * RATIO)];
  }

  @Override
  public byte[] decompress(byte[] src, int offset, int length, int rawLength) {
    throw new UnsupportedOperationException("a modelled payload has sizes, not bytes: it cannot be decompressed");
  }
}
