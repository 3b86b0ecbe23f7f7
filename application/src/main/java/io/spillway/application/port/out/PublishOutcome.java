package io.spillway.application.port.out;

/** What the stream did with one published chunk. */
public sealed interface PublishOutcome {
  /** Accepted and durable in the stream at this position. */
  record Accepted(String shardId, String sequenceNumber) implements PublishOutcome {}

  /** Refused for lack of capacity (or a retryable failure); publish it again later. */
  record Throttled(String reason) implements PublishOutcome {}
}
