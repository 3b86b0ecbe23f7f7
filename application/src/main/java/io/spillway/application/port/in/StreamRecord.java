package io.spillway.application.port.in;

import java.time.Instant;

/** One record as a consumer receives it from a shard. */
public record StreamRecord(String shardId, String sequenceNumber, Instant arrivedAt, byte[] data) {}
