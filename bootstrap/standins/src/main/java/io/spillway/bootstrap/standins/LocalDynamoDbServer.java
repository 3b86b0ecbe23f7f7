package io.spillway.bootstrap.standins;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * AWS's DynamoDB Local served over HTTP on 127.0.0.1 only, in memory, for several processes to
 * share. Its own server binds every interface, so this wires its request handler into a Jetty
 * server with a loopback connector instead.
 */
public final class LocalDynamoDbServer implements AutoCloseable {
  private final Server server;
  private final int port;

  private LocalDynamoDbServer(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts on the port (0 for any free one). */
  public static LocalDynamoDbServer start(int port) throws Exception {
    LocalDynamoDBRequestHandler requests = new LocalDynamoDBRequestHandler(0, true, null, true, false);
    LocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(requests, null);
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ContextHandler context = new ContextHandler();
    context.setHandler(handler);
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    contexts.addHandler(context);
    server.setHandler(contexts);
    server.start();
    return new LocalDynamoDbServer(server, connector.getLocalPort());
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
