package io.spillway.bootstrap.cli;

import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.bootstrap.local.AwsPipeline;
import io.spillway.bootstrap.local.LocalStandIns;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Where the AWS-backed commands find their stream and table. Each option comes from the flag, else
 * from ~/.spillway.properties (key = option name without dashes), else from the environment
 * variable shown, else from the built-in default. Credentials always come from the SDK's default
 * chain and are never printed.
 */
final class AwsOptions {
  /** DynamoDB's table names: 3..255 characters. */
  static final int MAX_TABLE_NAME = 255;
  /** Kinesis' stream names, and its stream-consumer names: 1..128 characters. */
  static final int MAX_STREAM_NAME = 128;
  /** An AWS region code: us-east-1, eu-west-1, us-gov-west-1, cn-north-1, …. */
  private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z]+)+-[0-9]+");

  @Option(names = "--stream", defaultValue = "${env:SPILLWAY_STREAM:-spillway-events}", description = "stream name, 1-128 of [a-zA-Z0-9_.-] (env SPILLWAY_STREAM; default spillway-events)")
  String stream;

  @Option(names = "--table", defaultValue = "${env:SPILLWAY_TABLE:-spillway}", description = "table name, 3-255 of [a-zA-Z0-9_.-] (env SPILLWAY_TABLE; default spillway)")
  String table;

  @Option(names = "--region", defaultValue = "${env:SPILLWAY_REGION}", description = "AWS region, aws backend (env SPILLWAY_REGION; default: the SDK's region chain)")
  String region;

  @Option(names = "--dynamodb-endpoint", defaultValue = "${env:SPILLWAY_DYNAMODB_ENDPOINT}", description = "DynamoDB endpoint override, aws backend")
  URI dynamoEndpoint;

  @Option(names = "--kinesis-endpoint", defaultValue = "${env:SPILLWAY_KINESIS_ENDPOINT}", description = "Kinesis endpoint override, aws backend")
  URI kinesisEndpoint;

  @Mixin LocalCommand.Home home;

  /** What {@link #validate} found: the running stand-ins (local) or the region (aws). */
  private LocalStandIns.State standIns;
  private String resolvedRegion;

  /**
   * Refuses names AWS would refuse, and a backend that cannot be reached as configured — local
   * stand-ins that are not running, an aws backend with no region — before any client is built.
   *
   * @param retrieval how consumers would read (enhanced fan-out registers a consumer named after the stream)
   * @param consumers whether KCL consumers run, keeping their tables next to Spillway's
   */
  void validate(CommandSpec spec, String backend, KclConsumer.Retrieval retrieval, boolean consumers) {
    Options.awsName(spec, "--stream", stream, 1, MAX_STREAM_NAME, "a Kinesis stream name");
    Options.awsName(spec, "--table", table, 3, MAX_TABLE_NAME, "a DynamoDB table name");
    String application = AwsPipeline.consumerApplication(stream);
    List<String> kclTables = KclConsumer.tablesOf(application);
    if (kclTables.contains(table)) {
      throw Options.refuse(spec, "--table", table, "not one of the KCL tables of stream " + stream + " " + kclTables);
    }
    if (consumers) {
      // KCL keeps its leases in DynamoDB tables named after the stream, and with enhanced fan-out registers
      // a stream consumer under the same name: each must be a name AWS accepts
      String longest = kclTables.stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
      String prefix = application.substring(0, application.length() - stream.length());
      int room = MAX_TABLE_NAME - (longest.length() - stream.length());
      if (stream.length() > room) {
        throw Options.refuse(spec, "--stream", stream, "at most " + room + " characters, so that KCL's table "
            + prefix + "<stream>" + longest.substring(application.length()) + " is a valid table name (" + MAX_TABLE_NAME + " characters)");
      }
      room = MAX_STREAM_NAME - (application.length() - stream.length());
      if (retrieval == KclConsumer.Retrieval.ENHANCED_FAN_OUT && stream.length() > room) {
        throw Options.refuse(spec, "--stream", stream, "at most " + room + " characters with --retrieval efo, so that KCL's stream consumer "
            + prefix + "<stream>" + " is a valid consumer name (" + MAX_STREAM_NAME + " characters)");
      }
    }
    if ("local".equals(backend)) {
      standIns = home.running(spec, backend);
      return;
    }
    endpoint(spec, "--dynamodb-endpoint", dynamoEndpoint);
    endpoint(spec, "--kinesis-endpoint", kinesisEndpoint);
    if (region != null) {
      if (dynamoEndpoint == null && kinesisEndpoint == null && !REGION.matcher(region).matches()) {
        throw Options.refuse(spec, "--region", region, "an AWS region code such as eu-west-1");
      }
      resolvedRegion = region;
    } else {
      try {
        resolvedRegion = new DefaultAwsRegionProviderChain().getRegion().id();
      } catch (SdkClientException e) {
        throw new Options.Refused(spec, "--region: not given, and the SDK's region chain (AWS_REGION, the profile's config, instance "
            + "metadata) found none: give --region, e.g. --region eu-west-1, or set SPILLWAY_REGION");
      }
    }
    // the clients would find no credentials either, but only at their first call: say so now (whether, never which)
    try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
      credentials.resolveCredentials();
    } catch (SdkClientException e) {
      throw new Options.Refused(spec, "--backend aws: the SDK's default credential chain (environment, system properties, profile, web "
          + "identity, container or instance role) found no credentials");
    }
  }

  private static void endpoint(CommandSpec spec, String option, URI endpoint) {
    if (endpoint != null && (endpoint.getHost() == null || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
      throw Options.refuse(spec, option, endpoint.toString(), "an http:// or https:// URL with a host");
    }
  }

  /** Clients for the backend {@link #validate} accepted: the running local stand-ins, or AWS. */
  AwsClients clients(String backend) {
    if ("local".equals(backend)) {
      var running = standIns != null ? standIns : home.standIns().requireRunning();
      return AwsClients.local(running.dynamoDb(), running.kinesis());
    }
    return AwsClients.aws(Optional.ofNullable(resolvedRegion != null ? resolvedRegion : region), Optional.ofNullable(dynamoEndpoint),
        Optional.ofNullable(kinesisEndpoint));
  }
}
