package io.fleetlens.aggregator;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where records that can never be indexed go, with why. */
interface DeadLetterSink {

  String MALFORMED = "malformed";
  String REJECTED = "rejected";

  void send(ConsumerRecord<byte[], byte[]> source, String reason, String detail);
}
