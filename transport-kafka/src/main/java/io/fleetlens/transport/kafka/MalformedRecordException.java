package io.fleetlens.transport.kafka;

/** A Kafka record's value is not a log record in the documented format. */
public class MalformedRecordException extends Exception {

  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
