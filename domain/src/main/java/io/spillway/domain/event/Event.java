package io.spillway.domain.event;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One immutable event of a job: the envelope Spillway understands around a payload it does not.
 *
 * <p>Events with the same group key aggregate into the same chunks. The sequence is per partition
 * of the job (one per producer task; a job of one partition has only partition 0) and dense from 0.
 * Every field is checked here, so an event that exists is one a chunk can hold.
 */
public record Event(
    JobId jobId,
    int partition,
    long sequence,
    String eventId,
    Instant eventTime,
    String type,
    String groupKey,
    int schemaVersion,
    byte[] payload) {

  public static final int MAX_EVENT_ID_BYTES = 128;
  public static final int MAX_TYPE_BYTES = 64;
  public static final int MAX_GROUP_KEY_BYTES = 255;
  public static final int MAX_SCHEMA_VERSION = 65_535;
  /**
   * The largest payload: a chunk holding only this event, with the longest keys and header, still
   * fits one 409,600-byte DynamoDB item even if compression does not shrink it.
   */
  public static final int MAX_PAYLOAD_BYTES = 400_000;
  public static final Instant MIN_TIME = Instant.parse("0000-01-01T00:00:00Z");
  public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

  public Event {
    Checks.required("event.jobId", jobId);
    Checks.range("event.partition", partition, 0, io.spillway.domain.job.Job.MAX_PARTITIONS - 1);
    Checks.range("event.sequence", sequence, 0, Long.MAX_VALUE);
    Checks.text("event.eventId", eventId, 1, MAX_EVENT_ID_BYTES);
    Checks.required("event.eventTime", eventTime);
    if (eventTime.isBefore(MIN_TIME) || eventTime.isAfter(MAX_TIME)) {
      throw new InvalidFieldException("event.eventTime", eventTime, MIN_TIME + ".." + MAX_TIME);
    }
    Checks.text("event.type", type, 1, MAX_TYPE_BYTES);
    Checks.text("event.groupKey", groupKey, 1, MAX_GROUP_KEY_BYTES);
    Checks.range("event.schemaVersion", schemaVersion, 0, MAX_SCHEMA_VERSION);
    Checks.required("event.payload", payload);
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new InvalidFieldException(
          "event.payload", payload.length + " bytes", "at most " + MAX_PAYLOAD_BYTES + " bytes (one chunk must hold the event in a 409,600-byte item)");
    }
  }

  /** An event of partition 0: the only partition of a job written by one producer. */
  public Event(JobId jobId, long sequence, String eventId, Instant eventTime, String type, String groupKey, int schemaVersion, byte[] payload) {
    this(jobId, 0, sequence, eventId, eventTime, type, groupKey, schemaVersion, payload);
  }

  /** This event in another partition of its job. */
  public Event inPartition(int p) {
    return new Event(jobId, p, sequence, eventId, eventTime, type, groupKey, schemaVersion, payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e
        && partition == e.partition
        && sequence == e.sequence
        && schemaVersion == e.schemaVersion
        && jobId.equals(e.jobId)
        && eventId.equals(e.eventId)
        && eventTime.equals(e.eventTime)
        && type.equals(e.type)
        && groupKey.equals(e.groupKey)
        && Arrays.equals(payload, e.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, partition, sequence, eventId, eventTime, type, groupKey, schemaVersion) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Event[" + jobId + (partition == 0 ? "" : "/p" + partition) + "#" + sequence + " id=" + eventId + " type=" + type + " group=" + groupKey
        + " time=" + eventTime + " schema=" + schemaVersion + " payload=" + payload.length + "B]";
  }
}
