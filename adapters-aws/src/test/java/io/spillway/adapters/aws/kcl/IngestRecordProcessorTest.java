package io.spillway.adapters.aws.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.in.Ingest;
import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * KCL skips whatever a processor throws out of processRecords, so the processor throws nothing: a
 * failure a retry may fix is retried until the records are durable, and one no retry fixes stops
 * the worker with the checkpoint before the record that met it.
 */
class IngestRecordProcessorTest {
  private final List<String> checkpoints = new CopyOnWriteArrayList<>();
  private final RecordProcessorCheckpointer checkpointer = (RecordProcessorCheckpointer) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {RecordProcessorCheckpointer.class}, (proxy, method, args) -> {
        if (method.getName().equals("checkpoint") && args != null && args.length == 1 && args[0] instanceof String s) {
          checkpoints.add(s);
          return null;
        }
        throw new UnsupportedOperationException(method.getName());
      });

  private ProcessRecordsInput batch(int n) {
    List<KinesisClientRecord> records = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      records.add(KinesisClientRecord.builder().sequenceNumber(Integer.toString(i)).approximateArrivalTimestamp(Instant.EPOCH)
          .data(ByteBuffer.wrap(new byte[] {(byte) i})).build());
    }
    return ProcessRecordsInput.builder().records(records).checkpointer(checkpointer).build();
  }

  private static IngestResult durable(List<StreamRecord> records, int n) {
    return new IngestResult(n == 0 ? Optional.empty() : Optional.of(records.get(n - 1).sequenceNumber()), n, n, 0, 0, 0, records.size() - n, n);
  }

  private IngestRecordProcessor processor(Ingest ingest, WorkerFailure failure) {
    IngestRecordProcessor p = new IngestRecordProcessor(ingest, Duration.ofMillis(1), failure);
    p.initialize(InitializationInput.builder().shardId("shardId-000000000000").extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON).build());
    return p;
  }

  @Test
  void timeoutsAndLostConnectionsAreRetriedUntilEveryRecordIsDurable() {
    AtomicInteger calls = new AtomicInteger();
    Ingest flaky = records -> switch (calls.incrementAndGet()) {
      case 1 -> throw new RetryableStoreException("Unable to execute HTTP request: Read timed out");
      case 2 -> durable(records, 2);
      case 3 -> throw new IllegalStateException("Unable to execute HTTP request: Connection reset");
      case 4 -> durable(records, 0);
      default -> durable(records, records.size());
    };
    WorkerFailure failure = new WorkerFailure(e -> { });

    processor(flaky, failure).processRecords(batch(5));

    assertThat(calls).hasValue(5);
    assertThat(checkpoints).containsExactly("2", "5");
    assertThat(failure.tripped()).isFalse();
  }

  @Test
  void aFailureNoRetryFixesStopsEveryProcessorOfTheWorkerBeforeTheRecord() {
    AtomicReference<PermanentStoreException> told = new AtomicReference<>();
    WorkerFailure failure = new WorkerFailure(told::set);
    AtomicInteger calls = new AtomicInteger();
    Ingest tableGone = records -> {
      if (calls.incrementAndGet() == 1) {
        return durable(records, 1);
      }
      throw new PermanentStoreException("spillway-t", "PutItem on DynamoDB table spillway-t failed: ResourceNotFoundException", null);
    };
    IngestRecordProcessor first = processor(tableGone, failure);
    IngestRecordProcessor other = processor(records -> durable(records, records.size()), failure);

    first.processRecords(batch(3));
    other.processRecords(batch(3));

    assertThat(calls).as("not retried").hasValue(2);
    assertThat(checkpoints).as("nothing past the record that met it, nothing from another shard after").containsExactly("1");
    assertThat(told.get()).isNotNull();
    assertThat(told.get().resource()).isEqualTo("spillway-t");
  }
}
