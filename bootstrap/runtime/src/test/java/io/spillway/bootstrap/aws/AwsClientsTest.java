package io.spillway.bootstrap.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkSystemSetting;

/** The local backend's Kinesis client, against a loopback server that records what it is sent. */
class AwsClientsTest {

  @Test
  void theLocalKinesisClientSpeaksJsonAndLeavesTheSdkSettingAsItWas() throws Exception {
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
      exchange.getRequestBody().readAllBytes();
      byte[] body = "{\"StreamNames\":[],\"HasMoreStreams\":false}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    String property = SdkSystemSetting.CBOR_ENABLED.property();
    String before = System.getProperty(property);
    try {
      URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      try (AwsClients clients = AwsClients.local(endpoint, endpoint)) {
        assertThat(clients.kinesis().listStreams().join().streamNames()).isEmpty();
      }
      assertThat(contentTypes).containsExactly("application/x-amz-json-1.1");
      assertThat(System.getProperty(property)).isEqualTo(before);
    } finally {
      server.stop(0);
    }
  }
}
