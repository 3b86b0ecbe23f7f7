package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.local.AwsClients;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the AWS-backed commands find their stream and table. Each option comes from the flag, else
 * from ~/.spillway.properties (key = option name without dashes), else from the environment
 * variable shown, else from the built-in default. Credentials always come from the SDK's default
 * chain and are never printed.
 */
final class AwsOptions {
  @Option(names = "--stream", defaultValue = "${env:SPILLWAY_STREAM:-spillway-events}", description = "stream name (env SPILLWAY_STREAM; default spillway-events)")
  String stream;

  @Option(names = "--table", defaultValue = "${env:SPILLWAY_TABLE:-spillway}", description = "table name (env SPILLWAY_TABLE; default spillway)")
  String table;

  @Option(names = "--region", defaultValue = "${env:SPILLWAY_REGION}", description = "AWS region, aws backend (env SPILLWAY_REGION; default: the SDK's region chain)")
  String region;

  @Option(names = "--dynamodb-endpoint", defaultValue = "${env:SPILLWAY_DYNAMODB_ENDPOINT}", description = "DynamoDB endpoint override, aws backend")
  URI dynamoEndpoint;

  @Option(names = "--kinesis-endpoint", defaultValue = "${env:SPILLWAY_KINESIS_ENDPOINT}", description = "Kinesis endpoint override, aws backend")
  URI kinesisEndpoint;

  @Mixin LocalCommand.Home home;

  /** Clients for the backend: the running local stand-ins, or AWS. */
  AwsClients clients(String backend) {
    if ("local".equals(backend)) {
      return AwsClients.local(home.standIns().requireRunning());
    }
    return AwsClients.aws(Optional.ofNullable(region), Optional.ofNullable(dynamoEndpoint), Optional.ofNullable(kinesisEndpoint));
  }
}
