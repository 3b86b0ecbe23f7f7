package io.spillway.adapters.aws.kinesis;

import io.spillway.application.contract.ChunkStreamContract;
import io.spillway.application.port.out.ChunkStream;

class KinesisChunkStreamContractTest extends ChunkStreamContract {
  @Override
  protected ChunkStream newStream() {
    return new KinesisChunkStream(LocalKinesis.client(), LocalKinesis.freshStream(4));
  }
}
