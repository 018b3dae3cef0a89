package io.fleetlens.runtime;

/** This process among its replicas: {@code <pid>@<host name>}, for leases and logs. */
public final class InstanceName {

  private InstanceName() {
  }

  public static String of() {
    return ProcessHandle.current().pid() + "@" + host();
  }

  public static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown-host";
    }
  }
}
