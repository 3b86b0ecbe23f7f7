package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.contract.ChunksContract;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

class DynamoDbChunksContractTest extends ChunksContract {
  private static final Clock FIXED = new Clock() {
    @Override
    public Instant now() {
      return Instant.parse("2026-01-01T00:00:00Z");
    }

    @Override
    public void sleep(Duration duration) {}
  };

  @Override
  protected Chunks newChunks() {
    return new DynamoDbChunks(io.spillway.adapters.aws.LocalStandIns.freshTable(), FIXED, Optional.of(Duration.ofDays(30)));
  }
}
