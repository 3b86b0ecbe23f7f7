package io.spillway.adapters.aws.eventbridge;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A stand-in for EventBridge on a loopback port: it records each request the SDK sends (headers and
 * JSON body) and answers as EventBridge does — every entry accepted, unless told to refuse the next
 * call, as a failed entry (HTTP 200) or as a failed call (HTTP 4xx/5xx).
 */
final class LoopbackEventBridge implements AutoCloseable {
  /** One request as it arrived. */
  record Request(String method, String path, Map<String, String> headers, String body) {
    JsonNode json() {
      return JsonNode.parser().parse(body);
    }

    /** The PutEvents entries sent. */
    List<JsonNode> entries() {
      return json().field("Entries").orElseThrow().asArray();
    }
  }

  /** An answer to give once: the status and the JSON body. */
  record Answer(int status, String body) {
    static Answer failedEntry(String code, String message) {
      return new Answer(200, "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"" + code + "\",\"ErrorMessage\":\"" + message + "\"}]}");
    }

    static Answer error(int status, String type, String message) {
      return new Answer(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Request> refused = new CopyOnWriteArrayList<>();
  private final Deque<Answer> answers = new ArrayDeque<>();
  private int accepted;

  LoopbackEventBridge() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Answer answer;
      synchronized (this) {
        answer = answers.pollFirst();
        if (answer == null) {
          answer = new Answer(200, "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"loopback-" + (++accepted) + "\"}]}");
        }
      }
      // kept apart, so that what was accepted is what a rule on the bus would have seen
      boolean refusal = answer.status() != 200 || answer.body().contains("\"ErrorCode\"");
      (refusal ? refused : requests).add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.getResponseHeaders().set("x-amzn-RequestId", "loopback");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A client for this endpoint; the SDK's own retries are off, so each announce is one request. */
  EventBridgeClient client() {
    return EventBridgeClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOOPBACK", "loopback-secret")))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** Answers the next call so instead of accepting it. */
  synchronized LoopbackEventBridge answerNext(Answer answer) {
    answers.addLast(answer);
    return this;
  }

  /** The requests whose entries were accepted, oldest first. */
  List<Request> accepted() {
    return List.copyOf(requests);
  }

  /** The requests answered with a refusal, oldest first. */
  List<Request> refused() {
    return List.copyOf(refused);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
