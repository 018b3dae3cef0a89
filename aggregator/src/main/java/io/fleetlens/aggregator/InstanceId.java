package io.fleetlens.aggregator;

/** This process among the aggregators: {@code <pid>@<host name>}. */
final class InstanceId {

  private InstanceId() {
  }

  static String of() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "unknown-host";
    }
    return ProcessHandle.current().pid() + "@" + host;
  }
}
