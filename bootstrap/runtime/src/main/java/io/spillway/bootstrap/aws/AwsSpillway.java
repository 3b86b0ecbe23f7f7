package io.spillway.bootstrap.aws;

import dagger.BindsInstance;
import dagger.Component;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kinesis.KinesisStreams;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.wiring.CodecModule;
import io.spillway.bootstrap.wiring.ProcessScope;
import io.spillway.bootstrap.wiring.ServicesModule;
import io.spillway.bootstrap.wiring.SpillwayServices;
import io.spillway.bootstrap.wiring.SystemTimeModule;
import javax.inject.Singleton;

/** The pipeline on DynamoDB and Kinesis (or their local stand-ins), on the wall clock. */
@Singleton
@ProcessScope
@Component(modules = {AwsModule.class, SystemTimeModule.class, CodecModule.class, ServicesModule.class})
public interface AwsSpillway extends SpillwayServices {
  AwsClients clients();

  AwsSettings aws();

  SpillwayTable table();

  KinesisStreams streams();

  /** Builds one pipeline from the configuration, the AWS settings and clients built from them. */
  @Component.Factory
  interface Factory {
    AwsSpillway create(@BindsInstance SpillwayConfig config, @BindsInstance AwsSettings aws, @BindsInstance AwsClients clients);
  }

  static AwsSpillway create(SpillwayConfig config, AwsSettings aws) {
    return create(config, aws, AwsClients.of(aws));
  }

  /** On clients built elsewhere (closed with the pipeline). */
  static AwsSpillway create(SpillwayConfig config, AwsSettings aws, AwsClients clients) {
    return DaggerAwsSpillway.factory().create(config, aws, clients);
  }
}
