package io.feathergate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One gateway replica in a JVM of its own, for tests of what replicas share: starts the gateway on
 * the config file named by its argument, prints {@code port=<n>}, and serves until its standard
 * input closes (the test ended or died).
 */
public final class ReplicaMain {
  private ReplicaMain() {}

  public static void main(String[] args) throws Exception {
    try (GatewayServer gateway = GatewayServer.start(Files.readString(Path.of(args[0])))) {
      System.out.println("port=" + gateway.port());
      System.out.flush();
      InputStream in = System.in;
      try {
        while (in.read() >= 0) {
          // nothing to read: waiting for the end of input
        }
      } catch (IOException ignored) {
        // the test is gone
      }
    }
    System.exit(0);
  }
}
