package io.spillway.bootstrap.aws;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.DynamoDbDeadLetters;
import io.spillway.adapters.aws.dynamodb.DynamoDbJobs;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.eventbridge.EventBridgeJobAnnouncements;
import io.spillway.adapters.aws.kinesis.KinesisChunkStream;
import io.spillway.adapters.aws.kinesis.KinesisStreams;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.JobAnnouncements;
import io.spillway.application.port.out.Jobs;
import io.spillway.bootstrap.wiring.StreamRetention;
import java.util.Optional;
import javax.inject.Singleton;
import org.slf4j.LoggerFactory;

/** The table and the stream on DynamoDB and Kinesis, through the clients of {@link AwsClients}. */
@Module
public interface AwsModule {
  @Provides
  @Singleton
  static SpillwayTable table(AwsClients clients, AwsSettings settings) {
    return new SpillwayTable(clients.dynamo(), settings.tableName());
  }

  @Provides
  @Singleton
  static KinesisStreams streams(AwsClients clients) {
    return new KinesisStreams(clients.kinesis());
  }

  @Provides
  @Singleton
  static DynamoDbJobs dynamoDbJobs(SpillwayTable table) {
    return new DynamoDbJobs(table);
  }

  @Binds
  Jobs jobs(DynamoDbJobs jobs);

  @Provides
  @Singleton
  static Chunks chunks(SpillwayTable table, Clock clock, AwsSettings settings) {
    return new DynamoDbChunks(table, clock, settings.chunkTtl());
  }

  @Provides
  @Singleton
  static DeadLetters deadLetters(SpillwayTable table) {
    return new DynamoDbDeadLetters(table);
  }

  /** The stream's retention, read once (DescribeStreamSummary); unknown if it cannot be read, so no job is marked INCOMPLETE on a guess. */
  @Provides
  @Singleton
  static StreamRetention retention(KinesisStreams streams, AwsSettings settings) {
    try {
      return new StreamRetention(Optional.of(streams.retention(settings.streamName())));
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(AwsModule.class).warn("could not read the retention of stream {}: {}; jobs will not be marked INCOMPLETE",
          settings.streamName(), e.toString());
      return new StreamRetention(Optional.empty());
    }
  }

  /**
   * Settled jobs announced on the configured EventBridge bus; nowhere when none is configured.
   * The client is built only then, and lives as long as the process (it is not one of {@link AwsClients}).
   */
  @Provides
  @Singleton
  static JobAnnouncements announcements(AwsSettings settings) {
    if (settings.eventBus().isEmpty()) {
      return JobAnnouncements.none();
    }
    return new EventBridgeJobAnnouncements(EventBridgeClients.of(settings), settings.eventBus().get());
  }

  @Provides
  @Singleton
  static ChunkStream chunkStream(AwsClients clients, AwsSettings settings) {
    return new KinesisChunkStream(clients.kinesis(), settings.streamName());
  }
}
