package io.spillway.adapters.aws.kinesis;

import io.spillway.application.contract.ChunkStreamContract;
import io.spillway.application.port.out.ChunkStream;

class KinesisChunkStreamContractTest extends ChunkStreamContract {
  @Override
  protected ChunkStream newStream() {
    return new KinesisChunkStream(io.spillway.adapters.aws.LocalStandIns.kinesis(), io.spillway.adapters.aws.LocalStandIns.freshStream(4));
  }
}
